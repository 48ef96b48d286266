/// One entry of `spec.metrics` of an `autoscaling/v2` HorizontalPodAutoscaler: a metric source
/// (`Resource`, `Pods`, `External`) with its target (`Utilization`, `AverageValue`, `Value`).
///
/// Every quantity is in milli-units, as the controller reads them (`Quantity.MilliValue()`):
/// an `AverageValue` of "1000" records of consumer lag is `1_000_000`, a CPU `AverageValue`
/// of "500m" is `500`. The `Object` source and `ContainerResource` are not modelled.
///
/// Which replica calculation each case uses (kubernetes/kubernetes
/// `pkg/controller/podautoscaler/horizontal.go`, `computeReplicasForMetric` and the
/// `computeStatusFor*Metric` functions; `replica_calculator.go`):
///
/// | case | calculation | replica count it starts from |
/// | --- | --- | --- |
/// | `resourceUtilization` | `GetResourceReplicas` | `spec.replicas` |
/// | `resourceAverageValue` | `GetRawResourceReplicas` (`calcPlainMetricReplicas`) | `spec.replicas` |
/// | `pods` | `GetMetricReplicas` (`calcPlainMetricReplicas`) | `spec.replicas` |
/// | `externalValue` | `GetExternalMetricReplicas` | `spec.replicas`, ready pods |
/// | `externalAverageValue` | `GetExternalPerPodMetricReplicas` | `status.replicas` |
public enum HPAMetricSpec: Sendable, Equatable {
    /// `type: Resource`, `target.type: Utilization`: percent of the pods' request.
    case resourceUtilization(HPAResource, averageUtilization: Int32)
    /// `type: Resource`, `target.type: AverageValue`: usage per pod, milli-units (millicores
    /// for CPU), without reference to the request.
    case resourceAverageValue(HPAResource, averageValueMilli: Int64)
    /// `type: Pods`, `target.type: AverageValue` (the only target the API allows for Pods): a
    /// per-pod custom metric such as requests per second, averaged over the ready pods.
    case pods(name: String, averageValueMilli: Int64)
    /// `type: External`, `target.type: Value`: the sum of the external series (e.g. the total
    /// lag of a consumer group) against one value for the whole workload.
    case externalValue(name: String, valueMilli: Int64)
    /// `type: External`, `target.type: AverageValue`: the sum of the external series divided by
    /// the number of pods, against a per-pod value (e.g. lag per consumer).
    case externalAverageValue(name: String, averageValueMilli: Int64)

    /// The API's default when `spec.metrics` is empty: CPU at 80% utilization
    /// (`SetDefaults_HorizontalPodAutoscaler`, `pkg/apis/autoscaling/v2/defaults.go`).
    public static var defaultMetric: HPAMetricSpec { .resourceUtilization(.cpu, averageUtilization: 80) }

    /// The target, milli-units (percent for `resourceUtilization`). Must be > 0.
    public var target: Int64 {
        switch self {
        case .resourceUtilization(_, let t): return Int64(t)
        case .resourceAverageValue(_, let t), .pods(_, let t), .externalValue(_, let t),
             .externalAverageValue(_, let t):
            return t
        }
    }

    /// The resource of a `Resource` metric.
    public var resource: HPAResource? {
        switch self {
        case .resourceUtilization(let r, _), .resourceAverageValue(let r, _): return r
        case .pods, .externalValue, .externalAverageValue: return nil
        }
    }

    /// The metric's name as the controller puts it in its messages (`metricNameProposal`):
    /// "cpu resource utilization (percentage of request)", "cpu resource", "pods metric qps",
    /// "external metric lag" (Kubernetes appends the label selector, which is not modelled).
    public var description: String {
        switch self {
        case .resourceUtilization(let r, _): return "\(r.name) resource utilization (percentage of request)"
        case .resourceAverageValue(let r, _): return "\(r.name) resource"
        case .pods(let name, _): return "pods metric \(name)"
        case .externalValue(let name, _), .externalAverageValue(let name, _): return "external metric \(name)"
        }
    }

    /// The `ScalingActive=False` reason the controller sets when this metric cannot be computed
    /// (`getUnableComputeReplicaCountCondition` callers).
    public var failureReason: String {
        switch self {
        case .resourceUtilization, .resourceAverageValue: return "FailedGetResourceMetric"
        case .pods: return "FailedGetPodsMetric"
        case .externalValue, .externalAverageValue: return "FailedGetExternalMetric"
        }
    }
}

/// What the controller reports for one metric in `status.currentMetrics` after a reconcile,
/// plus the replica count that metric proposed (not part of the API status; kept so a
/// caller can tell which metric drove a decision).
public struct HPAMetricStatus: Sendable, Equatable {
    /// The metric's proposal (`replicaCountProposal`), `nil` if it could not be computed.
    public var proposedReplicas: Int32?
    /// `current.averageUtilization` (Resource Utilization).
    public var averageUtilization: Int32?
    /// `current.averageValue`, milli-units (Resource, Pods, External AverageValue).
    public var averageValue: Int64?
    /// `current.value`, milli-units (External Value: the summed series).
    public var value: Int64?
    /// Why the metric could not be computed.
    public var error: HPAMetricError?

    public init(proposedReplicas: Int32? = nil, averageUtilization: Int32? = nil, averageValue: Int64? = nil,
                value: Int64? = nil, error: HPAMetricError? = nil) {
        self.proposedReplicas = proposedReplicas
        self.averageUtilization = averageUtilization
        self.averageValue = averageValue
        self.value = value
        self.error = error
    }
}
