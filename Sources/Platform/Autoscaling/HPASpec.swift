/// `HPAScalingPolicy.type`.
public enum HPAScalingPolicyType: Sendable, Equatable {
    /// Change by at most `value` pods per period.
    case pods
    /// Change by at most `value` percent of the replicas at the start of the period.
    case percent
}

/// One rate limit of a scaling direction (`autoscaling/v2 HPAScalingPolicy`).
public struct HPAScalingPolicy: Sendable, Equatable {
    public var type: HPAScalingPolicyType
    public var value: Int32
    /// Look-back period, 1...1800 s.
    public var periodSeconds: Int32

    public init(type: HPAScalingPolicyType, value: Int32, periodSeconds: Int32) {
        self.type = type
        self.value = value
        self.periodSeconds = periodSeconds
    }

    public static func pods(_ value: Int32, periodSeconds: Int32) -> HPAScalingPolicy {
        HPAScalingPolicy(type: .pods, value: value, periodSeconds: periodSeconds)
    }

    public static func percent(_ value: Int32, periodSeconds: Int32) -> HPAScalingPolicy {
        HPAScalingPolicy(type: .percent, value: value, periodSeconds: periodSeconds)
    }
}

/// `HPAScalingRules.selectPolicy`.
public enum HPASelectPolicy: Sendable, Equatable {
    /// The policy allowing the largest change (the default).
    case max
    /// The policy allowing the smallest change.
    case min
    /// No scaling in this direction.
    case disabled
}

/// Rules for one scaling direction (`autoscaling/v2 HPAScalingRules`). `nil` fields take the
/// API defaults when the HPA is created (`filledScaleUp` / `filledScaleDown`).
public struct HPAScalingRules: Sendable, Equatable {
    public var stabilizationWindowSeconds: Int32?
    public var selectPolicy: HPASelectPolicy?
    public var policies: [HPAScalingPolicy]?
    /// Per-direction tolerance (KEP-4951, `HPAConfigurableTolerance`); `nil` = the
    /// controller's `--horizontal-pod-autoscaler-tolerance`.
    public var tolerance: Double?

    public init(stabilizationWindowSeconds: Int32? = nil, selectPolicy: HPASelectPolicy? = nil,
                policies: [HPAScalingPolicy]? = nil, tolerance: Double? = nil) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy
        self.policies = policies
        self.tolerance = tolerance
    }

    /// API default for `scaleUp` (kubernetes/kubernetes `pkg/apis/autoscaling/v2/defaults.go`,
    /// `defaultHPAScaleUpRules`): no stabilization, `Max` of [Pods 4 / 15 s, Percent 100 / 15 s].
    public static var defaultScaleUp: HPAScalingRules {
        HPAScalingRules(stabilizationWindowSeconds: 0, selectPolicy: .max,
                        policies: [.pods(4, periodSeconds: 15), .percent(100, periodSeconds: 15)])
    }

    /// API default for `scaleDown` (`defaultHPAScaleDownRules`): `Max` of [Percent 100 / 15 s];
    /// the stabilization window stays `nil` and the controller fills it with its
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (`maybeInitScaleDownStabilizationWindow`).
    public static var defaultScaleDown: HPAScalingRules {
        HPAScalingRules(stabilizationWindowSeconds: nil, selectPolicy: .max,
                        policies: [.percent(100, periodSeconds: 15)])
    }

    /// `GenerateHPAScaleUpRules`: every non-nil field of `rules` over the scale-up defaults.
    public static func filledScaleUp(_ rules: HPAScalingRules?) -> HPAScalingRules {
        defaultScaleUp.overlaid(with: rules)
    }

    /// `GenerateHPAScaleDownRules`: every non-nil field of `rules` over the scale-down defaults.
    public static func filledScaleDown(_ rules: HPAScalingRules?) -> HPAScalingRules {
        defaultScaleDown.overlaid(with: rules)
    }

    /// `copyHPAScalingRules(from: other, to: self)`.
    func overlaid(with other: HPAScalingRules?) -> HPAScalingRules {
        guard let other else { return self }
        var out = self
        if let v = other.selectPolicy { out.selectPolicy = v }
        if let v = other.stabilizationWindowSeconds { out.stabilizationWindowSeconds = v }
        if let v = other.policies { out.policies = v }
        if let v = other.tolerance { out.tolerance = v }
        return out
    }

    /// The longest `periodSeconds` of the policies (0 if none): how long scale events matter.
    public var longestPolicyPeriodSeconds: Int32 {
        var longest: Int32 = 0
        for p in policies ?? [] where p.periodSeconds > longest { longest = p.periodSeconds }
        return longest
    }
}

/// `spec.behavior`. Setting it (even empty) switches the controller from the legacy
/// normalization to the behavior-based one; unset directions take the API defaults.
public struct HPABehavior: Sendable, Equatable {
    public var scaleUp: HPAScalingRules?
    public var scaleDown: HPAScalingRules?

    public init(scaleUp: HPAScalingRules? = nil, scaleDown: HPAScalingRules? = nil) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}

/// The parts of an `autoscaling/v2 HorizontalPodAutoscalerSpec` the controller reads:
/// replica bounds, `metrics` (each reconciled, the largest proposal taken) and `behavior`.
public struct HPASpec: Sendable, Equatable {
    /// `minReplicas` (API default 1). 0 allows scaling to zero only for object/external
    /// metrics in Kubernetes; here it is accepted as given.
    public var minReplicas: Int32
    public var maxReplicas: Int32
    /// `metrics`, in spec order (the order decides which failure sets the condition when
    /// every metric fails). Never empty: an empty list becomes the API default (CPU 80%).
    public var metrics: [HPAMetricSpec]
    public var behavior: HPABehavior?

    /// An HPA on several metrics (`type: Resource`, `Pods`, `External`).
    ///
    /// All `Resource` metrics must name one resource: the pods carry one resource's request
    /// and metric (`HPAPod.request`, `HPAPod.metric`).
    public init(minReplicas: Int32 = 1, maxReplicas: Int32, metrics: [HPAMetricSpec], behavior: HPABehavior? = nil) {
        precondition(maxReplicas >= 1 && minReplicas >= 0 && minReplicas <= maxReplicas)
        let metrics = metrics.isEmpty ? [HPAMetricSpec.defaultMetric] : metrics
        var resource: HPAResource? = nil
        for m in metrics {
            precondition(m.target > 0, "metric target must be > 0")
            if let r = m.resource {
                precondition(resource == nil || resource == r, "Resource metrics must all name the pods' one resource")
                resource = r
            }
        }
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
    }

    /// The single-metric HPA (the seed's `target_cpu: 70`): one `Resource` metric with a
    /// `Utilization` target.
    public init(minReplicas: Int32 = 1, maxReplicas: Int32, targetAverageUtilization: Int32,
                resource: HPAResource = .cpu, behavior: HPABehavior? = nil) {
        precondition(targetAverageUtilization > 0, "target utilization must be > 0")
        self.init(minReplicas: minReplicas, maxReplicas: maxReplicas,
                  metrics: [.resourceUtilization(resource, averageUtilization: targetAverageUtilization)],
                  behavior: behavior)
    }

    /// `target.averageUtilization` of the first `Resource` Utilization metric (0 if none).
    public var targetAverageUtilization: Int32 {
        for case .resourceUtilization(_, let t) in metrics { return t }
        return 0
    }

    /// The resource the `Resource` metrics name (CPU if there is none).
    public var resource: HPAResource {
        for m in metrics { if let r = m.resource { return r } }
        return .cpu
    }
}
