/// An unstabilized replica recommendation and when it was made
/// (`timestampedRecommendation` in kubernetes/kubernetes `pkg/controller/podautoscaler/horizontal.go`).
public struct HPARecommendation: Sendable, Equatable {
    public var replicas: Int32
    public var timestamp: Instant

    public init(replicas: Int32, timestamp: Instant) {
        self.replicas = replicas
        self.timestamp = timestamp
    }
}

/// A scaling action the HPA took (`timestampedScaleEvent`): the size of the change (always
/// positive; direction given by which list holds it) and when.
public struct HPAScaleEvent: Sendable, Equatable {
    public var replicaChange: Int32
    public var timestamp: Instant
    /// Older than the longest policy period at the last store; the slot may be reused.
    public var outdated: Bool

    public init(replicaChange: Int32, timestamp: Instant, outdated: Bool = false) {
        self.replicaChange = replicaChange
        self.timestamp = timestamp
        self.outdated = outdated
    }
}

/// The per-HPA memory the controller keeps between reconciles: recommendations (for
/// stabilization) and scale events (for rate policies). Order is the controller's slice
/// order; old slots are reused in place, exactly as `horizontal.go` does.
public struct HPAHistory: Sendable, Equatable {
    /// `nil` until the first reconcile, which records the current replica count as the first
    /// recommendation (`recordInitialRecommendation`). An empty array means "seen, no
    /// history", which is different: no initial recommendation will be added.
    public var recommendations: [HPARecommendation]?
    public var scaleUpEvents: [HPAScaleEvent]
    public var scaleDownEvents: [HPAScaleEvent]
    /// `status.lastScaleTime`.
    public var lastScaleTime: Instant?

    public init(recommendations: [HPARecommendation]? = nil, scaleUpEvents: [HPAScaleEvent] = [],
                scaleDownEvents: [HPAScaleEvent] = [], lastScaleTime: Instant? = nil) {
        self.recommendations = recommendations
        self.scaleUpEvents = scaleUpEvents
        self.scaleDownEvents = scaleDownEvents
        self.lastScaleTime = lastScaleTime
    }
}
