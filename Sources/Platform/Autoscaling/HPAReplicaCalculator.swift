/// Per-direction tolerance around a usage ratio of 1 (`Tolerances` in
/// `replica_calculator.go`): no change while `1 - scaleDown <= ratio <= 1 + scaleUp`.
public struct HPATolerances: Sendable, Equatable {
    public var scaleDown: Double
    public var scaleUp: Double

    public init(scaleDown: Double, scaleUp: Double) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    public init(_ both: Double) { self.init(scaleDown: both, scaleUp: both) }

    /// `Tolerances.isWithin`.
    @inlinable
    public func isWithin(_ usageRatio: Double) -> Bool {
        (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp)
    }
}

/// The replica count for a `Resource` metric with a `Utilization` target: Kubernetes'
/// `ReplicaCalculator.GetResourceReplicas`, `groupPods` and `GetResourceUtilizationRatio`
/// (kubernetes/kubernetes `pkg/controller/podautoscaler/replica_calculator.go`,
/// `pkg/controller/podautoscaler/metrics/utilization.go`), computed over an array of pods
/// instead of name-keyed maps.
///
/// Integer and floating-point steps are the controller's: utilization is
/// `Int32((Σ usage × 100) / Σ request)` with 64-bit integer division, the ratio is
/// `Double(utilization) / Double(target)`, counts are `ceil(ratio × n)`, and a missing pod
/// on a scale-down is filled in with `request × max(100, target) / 100` (integer division per
/// pod).
public enum HPAReplicaCalculator {
    /// Outcome of `resourceReplicas`.
    public struct Result: Sendable, Equatable {
        /// Proposed replica count.
        public var replicas: Int32
        /// Utilization of the ready pods, percent of request (what status reports).
        public var utilization: Int32
        /// Average usage per ready pod, milli-units (`rawUtilization`).
        public var rawAverageValue: Int64

        public init(replicas: Int32, utilization: Int32, rawAverageValue: Int64) {
            self.replicas = replicas
            self.utilization = utilization
            self.rawAverageValue = rawAverageValue
        }
    }

    /// `groupPods` for one pod.
    ///
    /// Order of the checks, as in Kubernetes: deleted or failed -> ignored; pending ->
    /// unready; no metric -> missing; then, for CPU only: no Ready condition or no start
    /// time -> unready; within `cpuInitializationPeriod` of start -> unready if not Ready or
    /// if the metric window began before the last readiness transition; after it -> unready
    /// only if not Ready and the transition came within `initialReadinessDelay` of start.
    /// All comparisons are strict, as Go's `Before`/`After`.
    public static func classify(_ pod: HPAPod, resource: HPAResource, now: Instant,
                                cpuInitializationPeriod: Nanoseconds,
                                initialReadinessDelay: Nanoseconds) -> HPAPodGroup {
        group(pod, metric: pod.metric, cpuRules: resource == .cpu, now: now,
              cpuInitializationPeriod: cpuInitializationPeriod, initialReadinessDelay: initialReadinessDelay)
    }

    /// `groupPods` for one pod with `metric` as its sample (`nil` = none); `cpuRules` = the
    /// metric is the `cpu` resource (a `Pods` custom metric passes the empty resource name, so
    /// only phase, deletion and presence count).
    public static func group(_ pod: HPAPod, metric: HPAPodMetric?, cpuRules: Bool, now: Instant,
                             cpuInitializationPeriod: Nanoseconds,
                             initialReadinessDelay: Nanoseconds) -> HPAPodGroup {
        if pod.isTerminating || pod.phase == .failed { return .ignored }
        if pod.phase == .pending { return .unready }
        guard let metric else { return .missing }
        if cpuRules {
            guard let condition = pod.readyCondition, let start = pod.startTime else { return .unready }
            let unready: Bool
            if start &+ cpuInitializationPeriod > now {
                unready = condition.status == .false
                    || metric.timestamp < condition.lastTransitionTime &+ metric.window
            } else {
                unready = condition.status == .false
                    && start &+ initialReadinessDelay > condition.lastTransitionTime
            }
            if unready { return .unready }
        }
        return .ready
    }

    /// `GetResourceReplicas`: the replica count that brings the average utilization of `pods`
    /// to `targetUtilization` percent.
    ///
    /// - Parameters:
    ///   - currentReplicas: `scale.spec.replicas` (returned unchanged when within tolerance).
    ///   - pods: every pod the target's selector matches, in any order.
    /// - Complexity: O(pods); no allocation.
    public static func resourceReplicas(currentReplicas: Int32, targetUtilization: Int32,
                                        pods: [HPAPod], resource: HPAResource = .cpu,
                                        tolerances: HPATolerances, now: Instant,
                                        cpuInitializationPeriod: Nanoseconds,
                                        initialReadinessDelay: Nanoseconds) throws(HPAMetricError) -> Result {
        // The metrics client fails before the pods are listed when it returns nothing.
        var anyMetric = false
        for pod in pods where pod.metric != nil {
            anyMetric = true
            break
        }
        if !anyMetric { throw .noMetricsReturned }
        if pods.isEmpty { throw .noPods }

        let fallbackUtilization = Int64(max(100, targetUtilization))
        var readyCount = 0
        var readyUsage: Int64 = 0
        var readyRequest: Int64 = 0
        var unreadyCount = 0
        var unreadyRequest: Int64 = 0
        var missingCount = 0
        var missingRequest: Int64 = 0
        var missingFallbackUsage: Int64 = 0
        var anyRequestMissing = false
        for pod in pods {
            guard let request = pod.request else {
                anyRequestMissing = true
                continue
            }
            switch classify(pod, resource: resource, now: now,
                            cpuInitializationPeriod: cpuInitializationPeriod,
                            initialReadinessDelay: initialReadinessDelay) {
            case .ready:
                readyCount += 1
                readyUsage &+= pod.metric!.value
                readyRequest &+= request
            case .unready:
                unreadyCount += 1
                unreadyRequest &+= request
            case .missing:
                missingCount += 1
                missingRequest &+= request
                missingFallbackUsage &+= request &* fallbackUtilization / 100
            case .ignored:
                break
            }
        }
        // A pod without a request is still classified in Kubernetes; only the
        // "no metrics for targeted pods" check precedes the request check. Recount that case
        // exactly when it matters.
        if anyRequestMissing {
            var readyWithMetric = 0
            for pod in pods where classify(pod, resource: resource, now: now,
                                           cpuInitializationPeriod: cpuInitializationPeriod,
                                           initialReadinessDelay: initialReadinessDelay) == .ready {
                readyWithMetric += 1
            }
            if readyWithMetric == 0 { throw .noMetricsForTargetedPods }
            throw .missingRequest
        }
        if readyCount == 0 { throw .noMetricsForTargetedPods }
        if readyRequest == 0 { throw .noMetricsMatchedKnownPods }

        let utilization = Int32(truncatingIfNeeded: (readyUsage &* 100) / readyRequest)
        let usageRatio = Double(utilization) / Double(targetUtilization)
        let rawAverage = readyUsage / Int64(readyCount)

        let scaleUpWithUnready = unreadyCount > 0 && usageRatio > 1.0
        if !scaleUpWithUnready && missingCount == 0 {
            if tolerances.isWithin(usageRatio) {
                return Result(replicas: currentReplicas, utilization: utilization, rawAverageValue: rawAverage)
            }
            return Result(replicas: _hpaCeilToInt32(usageRatio * Double(readyCount)),
                          utilization: utilization, rawAverageValue: rawAverage)
        }

        var newUsage = readyUsage
        var newRequest = readyRequest
        var counted = readyCount
        if missingCount > 0 {
            if usageRatio < 1.0 {
                // scale-down: missing pods use 100% of their request (or the target if above)
                newUsage &+= missingFallbackUsage
                newRequest &+= missingRequest
                counted += missingCount
            } else if usageRatio > 1.0 {
                // scale-up: missing pods use 0%
                newRequest &+= missingRequest
                counted += missingCount
            }
        }
        if scaleUpWithUnready {
            // scale-up: unready pods use 0%
            newRequest &+= unreadyRequest
            counted += unreadyCount
        }
        let newUtilization = Int32(truncatingIfNeeded: (newUsage &* 100) / newRequest)
        let newUsageRatio = Double(newUtilization) / Double(targetUtilization)

        if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
            || (usageRatio > 1.0 && newUsageRatio < 1.0) {
            return Result(replicas: currentReplicas, utilization: utilization, rawAverageValue: rawAverage)
        }
        let newReplicas = _hpaCeilToInt32(newUsageRatio * Double(counted))
        if (newUsageRatio < 1.0 && newReplicas > currentReplicas)
            || (newUsageRatio > 1.0 && newReplicas < currentReplicas) {
            return Result(replicas: currentReplicas, utilization: utilization, rawAverageValue: rawAverage)
        }
        return Result(replicas: newReplicas, utilization: utilization, rawAverageValue: rawAverage)
    }
}

/// Go's `int32(math.Ceil(x))`, clamped to the `Int32` range (Go's conversion of an
/// out-of-range float is undefined). Computed without libm.
@inlinable
internal func _hpaCeilToInt32(_ x: Double) -> Int32 {
    if x.isNaN { return 0 }
    if x >= 2_147_483_647 { return Int32.max }
    if x <= -2_147_483_648 { return Int32.min }
    let t = Int64(x)  // truncates toward zero
    return Int32(Double(t) < x ? t + 1 : t)
}

/// Go's `int32(x)` for a float (truncation toward zero), clamped to the `Int32` range.
@inlinable
internal func _hpaTruncToInt32(_ x: Double) -> Int32 {
    if x.isNaN { return 0 }
    if x >= 2_147_483_647 { return Int32.max }
    if x <= -2_147_483_648 { return Int32.min }
    return Int32(Int64(x))
}
