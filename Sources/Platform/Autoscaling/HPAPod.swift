/// Pod phase as the Kubernetes API reports it (`v1.PodPhase`).
public enum HPAPodPhase: Sendable, Equatable {
    case pending, running, succeeded, failed, unknown
}

/// Status of a pod condition (`v1.ConditionStatus`).
public enum HPAConditionStatus: Sendable, Equatable {
    case `true`, `false`, unknown
}

/// The pod's `Ready` condition.
public struct HPAPodCondition: Sendable, Equatable {
    public var status: HPAConditionStatus
    /// When the condition last changed status.
    public var lastTransitionTime: Instant

    public init(status: HPAConditionStatus, lastTransitionTime: Instant) {
        self.status = status
        self.lastTransitionTime = lastTransitionTime
    }
}

/// One sample from the resource metrics API (metrics-server `PodMetrics`), summed over the
/// pod's containers.
public struct HPAPodMetric: Sendable, Equatable {
    /// Usage in milli-units (millicores for CPU).
    public var value: Int64
    /// End of the sampling window (`PodMetrics.Timestamp`).
    public var timestamp: Instant
    /// Length of the sampling window (`PodMetrics.Window`).
    public var window: Nanoseconds

    public init(value: Int64, timestamp: Instant, window: Nanoseconds) {
        self.value = value
        self.timestamp = timestamp
        self.window = window
    }
}

/// Which resource an HPA utilization target refers to. Only CPU gets the readiness filtering
/// of `groupPods` (a starting pod's CPU is not representative); any other resource counts a
/// pod with a metric as ready.
public enum HPAResource: Sendable, Equatable {
    case cpu
    case memory

    /// The Kubernetes resource name, as it appears in the controller's messages.
    public var name: String {
        switch self {
        case .cpu: return "cpu"
        case .memory: return "memory"
        }
    }
}

/// What the HPA controller sees of one pod selected by the target's selector: its status from
/// the pod lister, its request, and its metric from the metrics API.
///
/// Mirrors the fields `groupPods` and `calculateRequests` read in kubernetes/kubernetes
/// `pkg/controller/podautoscaler/replica_calculator.go`.
public struct HPAPod: Sendable, Equatable {
    public var phase: HPAPodPhase
    /// `metadata.deletionTimestamp` is set (the pod is shutting down).
    public var isTerminating: Bool
    /// `status.startTime` (when the kubelet accepted the pod), if known.
    public var startTime: Instant?
    /// The `Ready` condition, if the pod has one.
    public var readyCondition: HPAPodCondition?
    /// Sum of the containers' requests for the resource, milli-units (restartable init
    /// containers included, as `calculatePodRequestsFromContainers` does). `nil` = some
    /// container has no request, which makes the utilization undefined.
    public var request: Int64?
    /// The latest metric, or `nil` if the metrics API returned none for this pod.
    public var metric: HPAPodMetric?

    public init(phase: HPAPodPhase = .running, isTerminating: Bool = false, startTime: Instant?,
                readyCondition: HPAPodCondition?, request: Int64?, metric: HPAPodMetric?) {
        self.phase = phase
        self.isTerminating = isTerminating
        self.startTime = startTime
        self.readyCondition = readyCondition
        self.request = request
        self.metric = metric
    }

    /// A running pod as a simulator knows it: started at `startedAt`, Ready since `readySince`
    /// (`nil` = not ready yet; its Ready condition is then `False` since `startedAt`), with
    /// `usage` averaged over the metric window ending at `metricTimestamp` (`nil` = no metric
    /// yet).
    public static func running(request: Int64, usage: Int64?, startedAt: Instant, readySince: Instant?,
                               metricTimestamp: Instant, metricWindow: Nanoseconds) -> HPAPod {
        let condition = readySince.map { HPAPodCondition(status: .true, lastTransitionTime: $0) }
            ?? HPAPodCondition(status: .false, lastTransitionTime: startedAt)
        return HPAPod(phase: .running, isTerminating: false, startTime: startedAt,
                      readyCondition: condition, request: request,
                      metric: usage.map { HPAPodMetric(value: $0, timestamp: metricTimestamp, window: metricWindow) })
    }
}

/// How `groupPods` classifies a pod.
public enum HPAPodGroup: Sendable, Equatable {
    /// Counted with its metric.
    case ready
    /// Set aside: pending, or (CPU) not ready / still initializing. Counted as 0% usage only
    /// when the first estimate says scale up.
    case unready
    /// Running but without a metric: counted as 100% (or the target, if above 100%) on a
    /// scale-down and 0% on a scale-up.
    case missing
    /// Dropped: being deleted or failed.
    case ignored
}
