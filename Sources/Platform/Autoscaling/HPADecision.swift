/// Why the replica calculation could not produce a count (the controller then leaves the
/// target alone). Messages follow `replica_calculator.go` / `utilization.go`.
public enum HPAMetricError: Error, Sendable, Equatable {
    /// "no metrics returned from resource metrics API": no pod has a metric.
    case noMetricsReturned
    /// "no pods returned by selector while calculating replica count".
    case noPods
    /// "did not receive metrics for targeted pods (pods might be unready)": no ready pod has
    /// a metric.
    case noMetricsForTargetedPods
    /// "missing request for <resource>": some pod has no request.
    case missingRequest
    /// "no metrics returned matched known pods": the counted pods request 0 in total.
    case noMetricsMatchedKnownPods
    /// "no metrics returned from custom metrics API": a `Pods` metric has no value for any pod
    /// (or no reading was given).
    case noCustomMetricsReturned
    /// "no metrics returned from external metrics API": an `External` metric has no series (or
    /// no reading was given).
    case noExternalMetricsReturned
}

/// Why the controller changed (or would change) the replica count: the `rescaleReason` of
/// `reconcileAutoscaler`.
public enum HPAScaleReason: Sendable, Equatable {
    /// The metric says the current count is right (or the change is within tolerance).
    case none
    /// `scale.spec.replicas` is 0 and `minReplicas` is not: autoscaling is off.
    case scalingDisabled
    /// "Current number of replicas above Spec.MaxReplicas".
    case aboveMaxReplicas
    /// "Current number of replicas below Spec.MinReplicas".
    case belowMinReplicas
    /// "<metric> above target".
    case metricAboveTarget
    /// "All metrics below target".
    case allMetricsBelowTarget
    /// The metric could not be computed; see `HPADecision.error`.
    case metricsUnavailable
}

/// The HPA status conditions after the reconcile, with Kubernetes' reason strings (the
/// messages are omitted). `nil` = the controller did not set that condition on this path.
public struct HPAConditions: Sendable, Equatable {
    /// `AbleToScale` reason: "SucceededGetScale", "SucceededRescale", "ReadyForNewScale",
    /// "ScaleUpStabilized", "ScaleDownStabilized".
    public var ableToScale: String
    /// `ScalingActive`: `(true, "ValidMetricFound")`, `(false, "ScalingDisabled")`,
    /// `(false, "FailedGetResourceMetric")`.
    public var scalingActive: (status: Bool, reason: String)?
    /// `ScalingLimited`: reason "DesiredWithinRange", "ScaleUpLimit", "ScaleDownLimit",
    /// "TooManyReplicas", "TooFewReplicas"; status true when the limit changed the
    /// stabilized recommendation.
    public var scalingLimited: (status: Bool, reason: String)?

    public init(ableToScale: String, scalingActive: (status: Bool, reason: String)? = nil,
                scalingLimited: (status: Bool, reason: String)? = nil) {
        self.ableToScale = ableToScale
        self.scalingActive = scalingActive
        self.scalingLimited = scalingLimited
    }

    public static func == (a: HPAConditions, b: HPAConditions) -> Bool {
        a.ableToScale == b.ableToScale
            && a.scalingActive?.status == b.scalingActive?.status
            && a.scalingActive?.reason == b.scalingActive?.reason
            && a.scalingLimited?.status == b.scalingLimited?.status
            && a.scalingLimited?.reason == b.scalingLimited?.reason
    }
}

/// Result of one `HorizontalPodAutoscaler.reconcile`.
public struct HPADecision: Sendable, Equatable {
    /// `scale.spec.replicas` given to the reconcile.
    public var currentReplicas: Int32
    /// The replica count to set (equal to `currentReplicas` when nothing changes).
    public var desiredReplicas: Int32
    /// The controller wrote a new replica count.
    public var rescaled: Bool
    public var reason: HPAScaleReason
    /// The replica calculator's proposal before stabilization and limits, when computed.
    public var metricDesiredReplicas: Int32?
    /// Current utilization in percent of request, as the controller reports it in status
    /// (ready pods only, before the missing/unready adjustment), when computed.
    public var currentUtilization: Int32?
    /// Average usage per counted pod in milli-units, when computed.
    public var currentAverageValue: Int64?
    public var conditions: HPAConditions
    /// The first metric error (in spec order). With `reason == .metricsUnavailable` every
    /// metric failed, or one failed and the others proposed fewer replicas than the current
    /// count (the controller does not scale down on partial metrics); otherwise the other
    /// metrics decided and this is the error the controller returns after scaling.
    public var error: HPAMetricError?
    /// Index in `spec.metrics` of the metric whose proposal was taken (the largest; the
    /// first of equal ones, as `computeReplicasForMetrics` keeps it), when computed.
    public var metricIndex: Int? = nil
    /// How many metrics could not be computed.
    public var invalidMetrics: Int = 0

    /// The Kubernetes event message text for the reason (as in `SuccessfulRescale` events).
    public func reasonMessage(resource: HPAResource) -> String {
        switch reason {
        case .none, .scalingDisabled, .metricsUnavailable: return ""
        case .aboveMaxReplicas: return "Current number of replicas above Spec.MaxReplicas"
        case .belowMinReplicas: return "Current number of replicas below Spec.MinReplicas"
        case .metricAboveTarget:
            return "\(resource.name) resource utilization (percentage of request) above target"
        case .allMetricsBelowTarget: return "All metrics below target"
        }
    }

    /// The event message text for the reason, naming the metric that drove a scale-up as
    /// the controller does (`"%s above target"` with `metricNameProposal`).
    public func reasonMessage(spec: HPASpec) -> String {
        if reason == .metricAboveTarget, let i = metricIndex, i < spec.metrics.count {
            return "\(spec.metrics[i].description) above target"
        }
        return reasonMessage(resource: spec.resource)
    }
}
