/// `computeReplicasForMetrics` and `computeReplicasForMetric` of kubernetes/kubernetes
/// `pkg/controller/podautoscaler/horizontal.go`: every metric of the spec proposes a replica
/// count, the largest proposal wins, and failed metrics are tolerated only when the others
/// do not ask for a scale-down.
extension HorizontalPodAutoscaler {
    /// The outcome over all metrics.
    struct MetricsOutcome {
        /// The largest proposal, or -1 when the controller must not act on the metrics.
        var replicas: Int32
        var metricIndex: Int?
        var invalidCount: Int
        var firstError: HPAMetricError?
        var firstFailureReason: String?
    }

    /// `status.replicas` as a Deployment/ReplicaSet reports it for `pods`: the pods that are
    /// neither terminal (`Succeeded`, `Failed`) nor being deleted (`FilterActivePods` in
    /// kubernetes/kubernetes `pkg/controller/controller_utils.go`).
    public static func statusReplicas(of pods: [HPAPod]) -> Int32 {
        var n: Int32 = 0
        for pod in pods where !pod.isTerminating && pod.phase != .succeeded && pod.phase != .failed { n += 1 }
        return n
    }

    /// `computeReplicasForMetrics`: each metric in spec order; the first failure's reason is
    /// kept for the condition; a proposal replaces the running one when that is still 0 or
    /// the proposal is larger. The metrics are not acted on (-1) when all failed, or when some
    /// failed and the largest proposal is below `specReplicas`.
    mutating func computeReplicasForMetrics(now: Instant, specReplicas: Int32, statusReplicas: Int32,
                                            pods: [HPAPod], readings: HPAMetricReadings) -> MetricsOutcome {
        if currentMetrics.count != spec.metrics.count {
            currentMetrics = Array(repeating: HPAMetricStatus(), count: spec.metrics.count)
        }
        var outcome = MetricsOutcome(replicas: 0, metricIndex: nil, invalidCount: 0, firstError: nil,
                                     firstFailureReason: nil)
        for i in spec.metrics.indices {
            let metric = spec.metrics[i]
            do {
                let status = try computeReplicasForMetric(metric, now: now, specReplicas: specReplicas,
                                                          statusReplicas: statusReplicas, pods: pods, readings: readings)
                currentMetrics[i] = status
                let proposal = status.proposedReplicas.unsafelyUnwrapped
                if outcome.replicas == 0 || proposal > outcome.replicas {
                    outcome.replicas = proposal
                    outcome.metricIndex = i
                }
            } catch {
                currentMetrics[i] = HPAMetricStatus(error: error)
                if outcome.invalidCount == 0 {
                    outcome.firstError = error
                    outcome.firstFailureReason = metric.failureReason
                }
                outcome.invalidCount += 1
            }
        }
        if outcome.invalidCount >= spec.metrics.count
            || (outcome.invalidCount > 0 && outcome.replicas < specReplicas) {
            outcome.replicas = -1
            outcome.metricIndex = nil
        }
        return outcome
    }

    /// `computeReplicasForMetric`: one metric's proposal and status, by source and target type.
    func computeReplicasForMetric(_ metric: HPAMetricSpec, now: Instant, specReplicas: Int32, statusReplicas: Int32,
                                  pods: [HPAPod], readings: HPAMetricReadings) throws(HPAMetricError) -> HPAMetricStatus {
        switch metric {
        case .resourceUtilization(let resource, let target):
            let r = try HPAReplicaCalculator.resourceReplicas(
                currentReplicas: specReplicas, targetUtilization: target, pods: pods, resource: resource,
                tolerances: tolerances, now: now, cpuInitializationPeriod: configuration.cpuInitializationPeriod,
                initialReadinessDelay: configuration.initialReadinessDelay)
            return HPAMetricStatus(proposedReplicas: r.replicas, averageUtilization: r.utilization,
                                   averageValue: r.rawAverageValue)
        case .resourceAverageValue(let resource, let target):
            let r = try HPAReplicaCalculator.resourceAverageValueReplicas(
                currentReplicas: specReplicas, targetAverageValue: target, pods: pods, resource: resource,
                tolerances: tolerances, now: now, cpuInitializationPeriod: configuration.cpuInitializationPeriod,
                initialReadinessDelay: configuration.initialReadinessDelay)
            return HPAMetricStatus(proposedReplicas: r.replicas, averageValue: r.usage)
        case .pods(let name, let target):
            guard let reading = readings.podMetric(name) else { throw .noCustomMetricsReturned }
            let r = try HPAReplicaCalculator.podsMetricReplicas(
                currentReplicas: specReplicas, targetAverageValue: target, pods: pods, values: reading.values,
                tolerances: tolerances, now: now)
            return HPAMetricStatus(proposedReplicas: r.replicas, averageValue: r.usage)
        case .externalValue(let name, let target):
            guard let reading = readings.externalMetric(name) else { throw .noExternalMetricsReturned }
            let r = try HPAReplicaCalculator.externalValueReplicas(
                currentReplicas: specReplicas, targetValue: target, values: reading.values, pods: pods,
                tolerances: tolerances)
            return HPAMetricStatus(proposedReplicas: r.replicas, value: r.usage)
        case .externalAverageValue(let name, let target):
            guard let reading = readings.externalMetric(name) else { throw .noExternalMetricsReturned }
            let r = try HPAReplicaCalculator.externalAverageValueReplicas(
                statusReplicas: statusReplicas, targetAverageValue: target, values: reading.values,
                tolerances: tolerances)
            return HPAMetricStatus(proposedReplicas: r.replicas, averageValue: r.usage)
        }
    }
}
