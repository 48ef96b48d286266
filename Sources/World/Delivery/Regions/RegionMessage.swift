import SimCore

/// A message between two regions' logical processes of a parallel run (`parallel_regions`):
/// unlike the sequential channel's token, which names the sender's request slot in the one
/// shared `Services`, it carries what the receiving instance needs, since each LP has its own
/// request slots (`PlatformSimulation+LP`).
struct RegionMessage {
    var kind: CrossRegionChannel.Kind
    var from: Int32
    var to: Int32
    var sentAt: SimTime
    /// sentAt + the one-way trip (≥ sentAt + the lookahead).
    var deliverAt: SimTime
    /// A write: the writer's request slot (its answer's token); an answer: that slot again.
    var token: Int32
    /// The stage an answer resumes its request at.
    var stage: UInt8 = 0
    /// A write's row: an order's INSERT (else a status UPDATE), its id, customer, restaurant.
    var placeOrder = false
    var orderID = 0
    var customer = 0
    var restaurant = 0
    /// The writer's request: its city, pool and client start (for the write latency's warm-up cut).
    var city: Int32 = 0
    var pool: Int32 = 0
    var start: SimTime = 0
    /// An answer: when the row is on the replicas (drawn on the primary at the commit).
    var visibleAt: SimTime = 0
    /// The request's stage clock (`StageClock.words`), so its stages sum as in one instance.
    var stageWords: [SimTime] = []
}
