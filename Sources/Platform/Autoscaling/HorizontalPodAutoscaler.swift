/// One HorizontalPodAutoscaler object plus the per-HPA state the Kubernetes HPA controller
/// keeps for it, with the controller's reconcile loop as a pure function of its inputs.
///
/// Source: kubernetes/kubernetes `pkg/controller/podautoscaler/horizontal.go`
/// (`reconcileAutoscaler`, `recordInitialRecommendation`, `normalizeDesiredReplicas`,
/// `normalizeDesiredReplicasWithBehaviors`, `storeScaleEvent` and helpers) and
/// `replica_calculator.go` (`GetResourceReplicas`, via `HPAReplicaCalculator`); the
/// Kubernetes documentation page "Horizontal Pod Autoscaling" describes the same algorithm.
///
/// ## Use
/// Every sync period (15 s by default) the caller passes the current time, the target's
/// `spec.replicas` and the pods its selector matches; `reconcile` returns the replica count
/// to set and why, and updates the recommendation and scale-event history. There is no clock
/// inside: every time comparison uses the `now` given (where the controller calls
/// `time.Now()` several times within one reconcile, this uses the single `now`).
///
/// Supported: a list of metrics (`HPAMetricSpec`: `Resource` with `Utilization` or
/// `AverageValue` targets, CPU with its readiness rules or memory without; `Pods` with
/// `AverageValue`; `External` with `Value` or `AverageValue`), each reconciled and the largest
/// proposal taken (`computeReplicasForMetrics`, in `+Metrics`), the legacy normalization (no `behavior`: scale-up cap
/// `max(factor × current, minimum)`, downscale stabilization over the recommendation
/// history) and the `behavior` normalization (stabilization windows both ways, `Pods` /
/// `Percent` policies with `periodSeconds`, `selectPolicy` `Max` / `Min` / `Disabled`,
/// API defaults for unset fields, per-direction tolerance).
public struct HorizontalPodAutoscaler: Sendable {
    public var spec: HPASpec
    public var configuration: HPAControllerConfiguration
    /// Recommendations and scale events kept between reconciles.
    public var history: HPAHistory
    /// `status.currentMetrics` after the last reconcile that computed metrics, one entry per
    /// `spec.metrics` entry (empty before the first).
    public internal(set) var currentMetrics: [HPAMetricStatus] = []

    public init(spec: HPASpec, configuration: HPAControllerConfiguration = .kubernetesDefaults,
                history: HPAHistory = HPAHistory()) {
        self.spec = spec
        self.configuration = configuration
        self.history = history
    }

    /// Scale-up rules with API defaults filled (meaningful when `spec.behavior != nil`).
    public var scaleUpRules: HPAScalingRules { HPAScalingRules.filledScaleUp(spec.behavior?.scaleUp) }

    /// Scale-down rules with API defaults filled and the stabilization window defaulted to the
    /// controller's downscale stabilization (`maybeInitScaleDownStabilizationWindow`).
    public var scaleDownRules: HPAScalingRules {
        var rules = HPAScalingRules.filledScaleDown(spec.behavior?.scaleDown)
        if rules.stabilizationWindowSeconds == nil {
            rules.stabilizationWindowSeconds =
                Int32(truncatingIfNeeded: configuration.downscaleStabilizationWindow / TimeUnit.second)
        }
        return rules
    }

    /// The tolerances the replica calculator uses: per-direction `behavior` tolerances where
    /// set, else the controller's.
    public var tolerances: HPATolerances {
        HPATolerances(scaleDown: spec.behavior?.scaleDown?.tolerance ?? configuration.tolerance,
                      scaleUp: spec.behavior?.scaleUp?.tolerance ?? configuration.tolerance)
    }

    /// One reconcile (`reconcileAutoscaler`) of an HPA whose metrics are all read from the
    /// pods (`Resource` metrics).
    ///
    /// - Parameters:
    ///   - now: the reconcile time.
    ///   - currentReplicas: the target's `scale.spec.replicas` (the desired count the
    ///     Deployment was last given, not the number of ready pods).
    ///   - pods: the pods matched by the target's selector, with their metrics.
    /// - Returns: the decision; when `rescaled`, the caller sets the target to
    ///   `desiredReplicas`.
    /// - Complexity: O(pods + history); no allocation except when the history grows.
    public mutating func reconcile(now: Instant, currentReplicas: Int32, pods: [HPAPod]) -> HPADecision {
        reconcile(now: now, currentReplicas: currentReplicas, pods: pods, readings: .none)
    }

    /// One reconcile (`reconcileAutoscaler`) with custom (`Pods`) and `External` metric values.
    ///
    /// - Parameters:
    ///   - readings: what the custom and external metrics APIs return now (per-pod values
    ///     aligned with `pods`; external series). A spec metric with no reading is invalid for
    ///     this reconcile.
    ///   - statusReplicas: the target's `scale.status.replicas`, which `External` AverageValue
    ///     metrics divide by; `nil` = counted from `pods` (`statusReplicas(of:)`).
    /// - Complexity: O(metrics × pods + history); allocates only on the first reconcile (the
    ///   per-metric status array) and when the history grows.
    public mutating func reconcile(now: Instant, currentReplicas: Int32, pods: [HPAPod], readings: HPAMetricReadings,
                                   statusReplicas: Int32? = nil) -> HPADecision {
        recordInitialRecommendation(currentReplicas: currentReplicas, now: now)
        let minReplicas = spec.minReplicas
        var conditions = HPAConditions(ableToScale: "SucceededGetScale")
        var decision = HPADecision(currentReplicas: currentReplicas, desiredReplicas: currentReplicas,
                                   rescaled: false, reason: .none, metricDesiredReplicas: nil,
                                   currentUtilization: nil, currentAverageValue: nil,
                                   conditions: conditions, error: nil)
        var desiredReplicas: Int32 = 0
        var rescale = true

        if currentReplicas == 0 && minReplicas != 0 {
            // "scaling is disabled since the replica count of the target is zero"
            conditions.scalingActive = (false, "ScalingDisabled")
            decision.reason = .scalingDisabled
            decision.conditions = conditions
            return decision
        } else if currentReplicas > spec.maxReplicas {
            decision.reason = .aboveMaxReplicas
            desiredReplicas = spec.maxReplicas
        } else if currentReplicas < minReplicas {
            decision.reason = .belowMinReplicas
            desiredReplicas = minReplicas
        } else {
            let outcome = computeReplicasForMetrics(now: now, specReplicas: currentReplicas,
                                                    statusReplicas: statusReplicas ?? Self.statusReplicas(of: pods),
                                                    pods: pods, readings: readings)
            decision.error = outcome.firstError
            decision.invalidMetrics = outcome.invalidCount
            // status.currentMetrics: the first Resource metric's utilization and raw average
            for i in currentMetrics.indices where spec.metrics[i].resource != nil && currentMetrics[i].error == nil {
                decision.currentUtilization = currentMetrics[i].averageUtilization
                decision.currentAverageValue = currentMetrics[i].averageValue
                break
            }
            if outcome.replicas == -1 {
                conditions.scalingActive = (false, outcome.firstFailureReason ?? "FailedGetResourceMetric")
                decision.reason = .metricsUnavailable
                decision.conditions = conditions
                return decision
            }
            conditions.scalingActive = (true, "ValidMetricFound")
            decision.metricDesiredReplicas = outcome.replicas
            if outcome.replicas > desiredReplicas {
                desiredReplicas = outcome.replicas
                decision.metricIndex = outcome.metricIndex
            }
            if desiredReplicas > currentReplicas { decision.reason = .metricAboveTarget }
            if desiredReplicas < currentReplicas { decision.reason = .allMetricsBelowTarget }
            let normalized: (replicas: Int32, ableToScale: String, limited: (status: Bool, reason: String))
            if spec.behavior == nil {
                normalized = normalizeDesiredReplicas(now: now, currentReplicas: currentReplicas,
                                                      desiredReplicas: desiredReplicas,
                                                      minReplicas: minReplicas)
            } else {
                normalized = normalizeDesiredReplicasWithBehaviors(now: now, currentReplicas: currentReplicas,
                                                                   desiredReplicas: desiredReplicas,
                                                                   minReplicas: minReplicas)
            }
            desiredReplicas = normalized.replicas
            conditions.ableToScale = normalized.ableToScale
            conditions.scalingLimited = normalized.limited
            rescale = desiredReplicas != currentReplicas
        }

        if rescale {
            conditions.ableToScale = "SucceededRescale"
            storeScaleEvent(now: now, previousReplicas: currentReplicas, newReplicas: desiredReplicas)
            history.lastScaleTime = now
            decision.desiredReplicas = desiredReplicas
            decision.rescaled = true
        }
        decision.conditions = conditions
        return decision
    }

    /// `recordInitialRecommendation`: the first time the controller sees this HPA it records
    /// the current replica count as a recommendation, so a scale-down is stabilized against
    /// it (also after a controller restart).
    public mutating func recordInitialRecommendation(currentReplicas: Int32, now: Instant) {
        if history.recommendations == nil {
            history.recommendations = [HPARecommendation(replicas: currentReplicas, timestamp: now)]
        }
    }
}
