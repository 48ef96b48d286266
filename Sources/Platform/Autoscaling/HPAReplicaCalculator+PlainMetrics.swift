/// The replica calculations for metrics that are not a percentage of the request: Kubernetes'
/// `calcPlainMetricReplicas` (behind `GetMetricReplicas` for `Pods` metrics and
/// `GetRawResourceReplicas` for `Resource` `AverageValue` targets), `GetExternalMetricReplicas`
/// with `getUsageRatioReplicaCount` (`External` `Value`) and `GetExternalPerPodMetricReplicas`
/// (`External` `AverageValue`), all in kubernetes/kubernetes
/// `pkg/controller/podautoscaler/replica_calculator.go`, with `GetMetricUsageRatio` from
/// `pkg/controller/podautoscaler/metrics/utilization.go`.
///
/// Integer steps are the controller's: the average of a plain metric is `Σ values / n` with
/// 64-bit integer division before the ratio is taken, counts are `ceil(ratio × n)`, and an
/// external sum saturates at `Int64.max`.
extension HPAReplicaCalculator {
    /// Outcome of a plain or external calculation.
    public struct PlainResult: Sendable, Equatable {
        /// Proposed replica count.
        public var replicas: Int32
        /// What status reports, milli-units: the average over the ready pods (`Pods`,
        /// `Resource` AverageValue), the summed series (`External` Value), or the sum per
        /// `status.replicas`, rounded up (`External` AverageValue).
        public var usage: Int64

        public init(replicas: Int32, usage: Int64) {
            self.replicas = replicas
            self.usage = usage
        }
    }

    /// `GetMetricReplicas`: a `Pods` metric with an `AverageValue` target. `values[i]` is pod
    /// `i`'s value (`nil` = missing). No CPU readiness rules (the resource name is empty):
    /// pending pods count as unready, deleted and failed pods are dropped.
    public static func podsMetricReplicas(currentReplicas: Int32, targetAverageValue: Int64, pods: [HPAPod],
                                          values: [Int64?], tolerances: HPATolerances,
                                          now: Instant) throws(HPAMetricError) -> PlainResult {
        precondition(values.count == pods.count, "one value (or nil) per pod")
        var any = false
        for v in values where v != nil {
            any = true
            break
        }
        if !any { throw .noCustomMetricsReturned }
        return try plainMetricReplicas(currentReplicas: currentReplicas, targetUsage: targetAverageValue, pods: pods,
                                       cpuRules: false, tolerances: tolerances, now: now,
                                       cpuInitializationPeriod: 0, initialReadinessDelay: 0) { i in
            values[i].map { HPAPodMetric(value: $0, timestamp: now, window: 0) }
        }
    }

    /// `GetRawResourceReplicas`: a `Resource` metric with an `AverageValue` target, read from
    /// the pods' resource metric (`HPAPod.metric`); CPU keeps its readiness rules.
    public static func resourceAverageValueReplicas(currentReplicas: Int32, targetAverageValue: Int64,
                                                    pods: [HPAPod], resource: HPAResource = .cpu,
                                                    tolerances: HPATolerances, now: Instant,
                                                    cpuInitializationPeriod: Nanoseconds,
                                                    initialReadinessDelay: Nanoseconds) throws(HPAMetricError) -> PlainResult {
        var any = false
        for pod in pods where pod.metric != nil {
            any = true
            break
        }
        if !any { throw .noMetricsReturned }
        return try plainMetricReplicas(currentReplicas: currentReplicas, targetUsage: targetAverageValue, pods: pods,
                                       cpuRules: resource == .cpu, tolerances: tolerances, now: now,
                                       cpuInitializationPeriod: cpuInitializationPeriod,
                                       initialReadinessDelay: initialReadinessDelay) { i in pods[i].metric }
    }

    /// `calcPlainMetricReplicas`. Missing pods count as using exactly the target on a
    /// scale-down and 0 on a scale-up; unready pods count as 0 on a scale-up; no change when the
    /// adjusted ratio is within tolerance, flips direction, or the adjusted count would move
    /// the other way than the ratio says.
    static func plainMetricReplicas(currentReplicas: Int32, targetUsage: Int64, pods: [HPAPod], cpuRules: Bool,
                                    tolerances: HPATolerances, now: Instant, cpuInitializationPeriod: Nanoseconds,
                                    initialReadinessDelay: Nanoseconds,
                                    metricAt: (Int) -> HPAPodMetric?) throws(HPAMetricError) -> PlainResult {
        if pods.isEmpty { throw .noPods }
        var readyCount = 0
        var readyTotal: Int64 = 0
        var unreadyCount = 0
        var missingCount = 0
        for i in pods.indices {
            let metric = metricAt(i)
            switch group(pods[i], metric: metric, cpuRules: cpuRules, now: now,
                         cpuInitializationPeriod: cpuInitializationPeriod, initialReadinessDelay: initialReadinessDelay) {
            case .ready:
                readyCount += 1
                readyTotal &+= metric.unsafelyUnwrapped.value
            case .unready: unreadyCount += 1
            case .missing: missingCount += 1
            case .ignored: break
            }
        }
        if readyCount == 0 { throw .noMetricsForTargetedPods }

        let usage = readyTotal / Int64(readyCount)
        let usageRatio = Double(usage) / Double(targetUsage)
        let scaleUpWithUnready = unreadyCount > 0 && usageRatio > 1.0
        if !scaleUpWithUnready && missingCount == 0 {
            if tolerances.isWithin(usageRatio) { return PlainResult(replicas: currentReplicas, usage: usage) }
            return PlainResult(replicas: _hpaCeilToInt32(usageRatio * Double(readyCount)), usage: usage)
        }

        var newTotal = readyTotal
        var counted = readyCount
        if missingCount > 0 {
            if usageRatio < 1.0 {
                newTotal &+= Int64(missingCount) &* targetUsage  // scale-down: exactly the target
                counted += missingCount
            } else if usageRatio > 1.0 {
                counted += missingCount                          // scale-up: 0
            }
        }
        if scaleUpWithUnready { counted += unreadyCount }        // scale-up: unready use 0
        let newUsageRatio = Double(newTotal / Int64(counted)) / Double(targetUsage)

        if tolerances.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
            || (usageRatio > 1.0 && newUsageRatio < 1.0) {
            return PlainResult(replicas: currentReplicas, usage: usage)
        }
        let newReplicas = _hpaCeilToInt32(newUsageRatio * Double(counted))
        if (newUsageRatio < 1.0 && newReplicas > currentReplicas)
            || (newUsageRatio > 1.0 && newReplicas < currentReplicas) {
            return PlainResult(replicas: currentReplicas, usage: usage)
        }
        return PlainResult(replicas: newReplicas, usage: usage)
    }

    /// `GetExternalMetricReplicas` + `getUsageRatioReplicaCount`: an `External` metric with a
    /// `Value` target. `ratio = Σ values / target`; within tolerance -> `currentReplicas`;
    /// else `ceil(ratio × readyPods)`, where ready pods are those `Running` with `Ready=True`
    /// (`getReadyPodsCount`). From `currentReplicas == 0` the count is `ceil(ratio)` with no
    /// tolerance (scale from zero).
    public static func externalValueReplicas(currentReplicas: Int32, targetValue: Int64, values: [Int64],
                                             pods: [HPAPod], tolerances: HPATolerances) throws(HPAMetricError) -> PlainResult {
        if values.isEmpty { throw .noExternalMetricsReturned }
        let usage = saturatingSum(values)
        let usageRatio = Double(usage) / Double(targetValue)
        guard currentReplicas != 0 else { return PlainResult(replicas: _hpaCeilToInt32(usageRatio), usage: usage) }
        if tolerances.isWithin(usageRatio) { return PlainResult(replicas: currentReplicas, usage: usage) }
        if pods.isEmpty { throw .noPods }
        var ready = 0
        for pod in pods where pod.phase == .running && pod.readyCondition?.status == .true { ready += 1 }
        return PlainResult(replicas: _hpaCeilToInt32(usageRatio * Double(ready)), usage: usage)
    }

    /// `GetExternalPerPodMetricReplicas`: an `External` metric with an `AverageValue` target.
    /// `ratio = Σ values / (target × statusReplicas)`; outside tolerance the count is
    /// `ceil(Σ values / target)` (independent of readiness); status reports
    /// `ceil(Σ values / statusReplicas)`.
    public static func externalAverageValueReplicas(statusReplicas: Int32, targetAverageValue: Int64,
                                                    values: [Int64],
                                                    tolerances: HPATolerances) throws(HPAMetricError) -> PlainResult {
        if values.isEmpty { throw .noExternalMetricsReturned }
        let usage = saturatingSum(values)
        var replicas = statusReplicas
        let usageRatio = Double(usage) / (Double(targetAverageValue) * Double(statusReplicas))
        if !tolerances.isWithin(usageRatio) {
            replicas = _hpaCeilToInt32(Double(usage) / Double(targetAverageValue))
        }
        let perPod = Double(usage) >= Double(Int64.max)
            ? Int64.max : _hpaCeilToInt64(Double(usage) / Double(statusReplicas))
        return PlainResult(replicas: replicas, usage: perPod)
    }

    /// Σ values, capped at `Int64.max` (the controller's overflow guard).
    static func saturatingSum(_ values: [Int64]) -> Int64 {
        var sum: Int64 = 0
        for v in values {
            let (s, overflow) = sum.addingReportingOverflow(v)
            if overflow { return v > 0 ? Int64.max : Int64.min }
            sum = s
        }
        return sum
    }
}

/// Go's `int64(math.Ceil(x))`, clamped to the `Int64` range (infinite or NaN -> a bound / 0).
@inlinable
internal func _hpaCeilToInt64(_ x: Double) -> Int64 {
    if x.isNaN { return 0 }
    if x >= 9.2e18 { return Int64.max }
    if x <= -9.2e18 { return Int64.min }
    let t = Int64(x)
    return Double(t) < x ? t + 1 : t
}
