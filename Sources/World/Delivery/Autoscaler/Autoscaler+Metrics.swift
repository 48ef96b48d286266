import Platform
import Scenario
import SimCore

/// Scaling on what real clusters scale consumers and front ends on, besides CPU: Kafka consumer
/// lag as an `External` metric with an `AverageValue` target (KEDA's Kafka scaler serves a
/// consumer group's total lag this way, its `lagThreshold` being the per-pod target; with
/// prometheus-adapter the usual series is kafka_exporter's `kafka_consumergroup_lag`), and
/// request rate as a `Pods` metric with an `AverageValue` target (requests per second per pod). The
/// decision is the Platform HPA's (`HorizontalPodAutoscaler`, kubernetes/kubernetes
/// `pkg/controller/podautoscaler/horizontal.go` `computeReplicasForMetrics`): every metric
/// proposes a count and the largest wins, then the pool's behaviour normalization.
///
/// Nothing here runs unless the world calls it: `addLagMetric` / `addRequestRateMetric` once
/// after `addPool`, then `setLag` / `setRequestRate` before each sync.
extension Autoscaler {
    /// The `External` metric name of a pool's consumer lag.
    static let lagMetric = "consumer_lag"
    /// The `Pods` metric name of a pool's request rate.
    static let requestRateMetric = "requests_per_second"

    /// Pool `p` also scales on the total lag of its consumer group: `External`, AverageValue
    /// `targetRecordsPerPod` records per pod (`ceil(total lag / target)` replicas when outside
    /// the 10% tolerance).
    func addLagMetric(_ p: Int, targetRecordsPerPod: Double) {
        precondition(targetRecordsPerPod > 0)
        addMetric(p, .externalAverageValue(name: Self.lagMetric,
                                           averageValueMilli: Int64((targetRecordsPerPod * 1000).rounded())))
    }

    /// Pool `p` also scales on requests per second per pod: `Pods`, AverageValue
    /// `targetPerPod` (the average over the ready pods against the target).
    func addRequestRateMetric(_ p: Int, targetPerPod: Double) {
        precondition(targetPerPod > 0)
        addMetric(p, .pods(name: Self.requestRateMetric, averageValueMilli: Int64((targetPerPod * 1000).rounded())))
    }

    /// The lag the external metrics API reports for pool `p` at its next sync: the sum over
    /// the consumer group's partitions, records. Until the first call the metric is invalid
    /// ("no metrics returned"), which blocks scale-downs but not CPU scale-ups.
    func setLag(_ p: Int, records: Double) {
        readings[p].setExternal(Self.lagMetric, total: Int64((records * 1000).rounded()))
    }

    /// Per-pod request rates of pool `p`, req/s, in the order `ServicePool.hpaPods` lists the
    /// pods (replica index order, terminating and dead replicas skipped); `nil` = no sample.
    /// Replaces any total set with `setRequestRate`.
    func setRequestRates(_ p: Int, _ perPod: [Double?]) {
        requestRateTotals[p] = nil
        readings[p].setPodValues(Self.requestRateMetric) { values in
            for r in perPod { values.append(r.map { Int64(($0 * 1000).rounded()) }) }
        }
    }

    /// The pool's total request rate, req/s: at each sync it is spread evenly over the
    /// Running + Ready pods as the `Pods` metric (a balancer that sends only to ready pods).
    func setRequestRate(_ p: Int, totalPerSecond: Double) {
        requestRateTotals[p] = totalPerSecond
    }

    /// What pool `p`'s HPA reads besides CPU at the sync at hand: its consumer group's total
    /// lag (records, `lag`, nil when the pool consumes nothing) and the requests its balancer
    /// routed in total (`routed`; the rate is the increase since the last sync over the sync
    /// period, kube-state's `rate()` over one scrape). Only for the metrics the pool scales on.
    func observe(_ p: Int, lag: Int?, routed: Int) {
        let spec = self.spec(p)
        if let lag, spec.metrics.contains(where: { if case .externalAverageValue(Self.lagMetric, _) = $0 { return true }; return false }) {
            setLag(p, records: Double(lag))
        }
        if spec.metrics.contains(where: { if case .pods(Self.requestRateMetric, _) = $0 { return true }; return false }) {
            setRequestRate(p, totalPerSecond: Double(routed - routedAtSync[p]) / SimUnit.seconds(Self.syncPeriod))
        }
        routedAtSync[p] = routed
    }

    /// `services.<svc>.behavior` as the HPA's `spec.behavior` (nil keeps the legacy normalization).
    static func behavior(_ b: (scaleUp: PlatformConfig.ScalingRules?, scaleDown: PlatformConfig.ScalingRules?)?) -> HPABehavior? {
        guard let b else { return nil }
        func rules(_ r: PlatformConfig.ScalingRules?) -> HPAScalingRules? {
            guard let r else { return nil }
            let select: HPASelectPolicy? = r.selectPolicy.map { $0 == "min" ? .min : $0 == "disabled" ? .disabled : .max }
            return HPAScalingRules(stabilizationWindowSeconds: r.stabilizationWindow.map { Int32($0 / SimUnit.second) }, selectPolicy: select,
                                   policies: r.policies?.map { HPAScalingPolicy(type: $0.percent ? .percent : .pods, value: Int32($0.value),
                                                                                 periodSeconds: Int32($0.period / SimUnit.second)) })
        }
        return HPABehavior(scaleUp: rules(b.scaleUp), scaleDown: rules(b.scaleDown))
    }
}
