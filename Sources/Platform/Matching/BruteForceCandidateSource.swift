/// A `CandidateSource` that measures every courier: the reference the faster indexes and
/// the matchers are tested against, and a fine choice for a few hundred couriers.
///
/// - Complexity: O(n log n) per query for n couriers (O(n) when few are within the radius).
public struct BruteForceCandidateSource<Metric: DistanceMetric>: CandidateSource {
    public var metric: Metric
    /// The indexed couriers, in insertion order (order does not affect answers).
    public private(set) var entries: [DispatchCandidate]

    public init(metric: Metric, couriers: [(id: Int, position: DispatchPosition)] = []) {
        self.metric = metric
        self.entries = couriers.map {
            DispatchCandidate(courierID: $0.id, position: $0.position, distanceMeters: 0)
        }
    }

    /// Adds a courier, or moves it if the id is already present.
    public mutating func upsert(courierID: Int, at position: DispatchPosition) {
        if let i = entries.firstIndex(where: { $0.courierID == courierID }) {
            entries[i].position = position
        } else {
            entries.append(DispatchCandidate(courierID: courierID, position: position, distanceMeters: 0))
        }
    }

    /// Removes a courier; returns whether it was present.
    @discardableResult
    public mutating func remove(courierID: Int) -> Bool {
        guard let i = entries.firstIndex(where: { $0.courierID == courierID }) else { return false }
        entries.remove(at: i)
        return true
    }

    @inlinable
    public func candidates(
        near center: DispatchPosition, radiusMeters: Double, limit: Int,
        into result: inout [DispatchCandidate]
    ) {
        result.removeAll(keepingCapacity: true)
        guard limit > 0, radiusMeters >= 0 else { return }
        for e in entries {
            let d = metric.distanceMeters(from: center, to: e.position)
            if d <= radiusMeters {
                result.append(DispatchCandidate(courierID: e.courierID, position: e.position, distanceMeters: d))
            }
        }
        result.sort(by: DispatchCandidate.nearerFirst)
        if result.count > limit { result.removeLast(result.count - limit) }
    }
}
