import Platform
import Scenario
import SimCore

/// The autoscaler (see README.md in this folder): one Platform `HorizontalPodAutoscaler` per
/// service pool, synced every 15 s (the HPA controller's `--horizontal-pod-autoscaler-sync-period`
/// default), and what its syncs decided. Owns the HPAs, their outcome counters and the `sync`
/// event. The pods themselves (creating, deleting, readiness) are the pools' business: `sync`
/// returns the new desired count and the caller's ReplicaSet reconciles.
final class Autoscaler {
    enum Kind: UInt32 { case sync }

    /// What the syncs of one pool decided.
    struct Outcome {
        var syncs = 0
        var syncsAtMax = 0
        var syncsWantingMore = 0
        var maxMetricDesired = 0
        var scaleEvents = 0
    }

    static let syncPeriod = 15 * SimUnit.second

    private var hpas: [HorizontalPodAutoscaler] = []
    private var outcomes: [Outcome] = []
    private var pods: [HPAPod] = []
    /// Per pool: the custom/external metric values the next sync reads (see `+Metrics`).
    var readings: [HPAMetricReadings] = []
    /// Per pool: a total request rate (req/s) the next sync spreads over the ready pods as
    /// the `Pods` metric `requestRateMetric`, if set.
    var requestRateTotals: [Double?] = []
    /// Per pool: requests its balancer had routed at the last sync (the rate's start).
    var routedAtSync: [Int] = []

    /// An HPA for the next pool (pools are added in index order).
    /// With `scale_on` it also scales on consumer lag and/or request rate (`+Metrics`), and with
    /// `behavior` the HPA normalizes with those rules (`spec.behavior`).
    func addPool(_ service: PlatformConfig.Service) {
        hpas.append(HorizontalPodAutoscaler(spec: HPASpec(minReplicas: Int32(service.min), maxReplicas: Int32(service.max),
                                                          targetAverageUtilization: Int32(max(1, service.targetCPU)),
                                                          behavior: Self.behavior(service.behavior))))
        outcomes.append(Outcome())
        readings.append(HPAMetricReadings())
        requestRateTotals.append(nil)
        routedAtSync.append(0)
        let p = hpas.count - 1
        if let lag = service.lagPerPod { addLagMetric(p, targetRecordsPerPod: lag) }
        if let rps = service.rpsPerPod { addRequestRateMetric(p, targetPerPod: rps) }
    }

    func start(_ s: inout Scheduler) {
        s.schedule(at: Self.syncPeriod, kind: ComponentID.autoscaler.kind(Kind.sync.rawValue))
    }

    /// One of this component's events (the periodic sync): the caller syncs every pool, then
    /// calls `scheduleNextSync`, in that order (the next sync's sequence number comes after the
    /// pods the syncs create).
    @inline(__always) func handle(_ e: Event) -> Kind { Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped }

    func scheduleNextSync(_ s: inout Scheduler) {
        s.schedule(after: Self.syncPeriod, kind: ComponentID.autoscaler.kind(Kind.sync.rawValue))
    }

    /// Syncs pool `p`'s HPA with the pool's pods (`ServicePool.hpaPods`) and its current
    /// desired count; returns the new desired count.
    func sync(_ p: Int, _ pool: ServicePool, now: SimTime) -> Int {
        pool.hpaPods(now: now, into: &pods)
        if let total = requestRateTotals[p] { spreadRequestRate(p, totalPerSecond: total) }
        let d = hpas[p].reconcile(now: now, currentReplicas: Int32(pool.desired), pods: pods, readings: readings[p])
        outcomes[p].syncs += 1
        if let m = d.metricDesiredReplicas {
            outcomes[p].maxMetricDesired = max(outcomes[p].maxMetricDesired, Int(m))
            if Int(m) > pool.config.max { outcomes[p].syncsWantingMore += 1 }
        }
        var desired = pool.desired
        if d.rescaled {
            outcomes[p].scaleEvents += 1
            desired = Int(d.desiredReplicas)
        }
        if desired >= pool.config.max { outcomes[p].syncsAtMax += 1 }
        return desired
    }

    func scaleEvents(_ p: Int) -> Int { outcomes[p].scaleEvents }

    /// Pool `p`'s HPA spec (read-only view for the `+Metrics` methods and reports).
    func spec(_ p: Int) -> HPASpec { hpas[p].spec }

    /// Adds `metric` to pool `p`'s HPA (after its CPU metric); the largest proposal wins.
    func addMetric(_ p: Int, _ metric: HPAMetricSpec) {
        hpas[p].spec.metrics.append(metric)
    }

    /// Pool `p`'s `status.currentMetrics` after its last sync (one entry per spec metric).
    func currentMetrics(_ p: Int) -> [HPAMetricStatus] { hpas[p].currentMetrics }

    /// Fills the `Pods` request-rate values of pool `p` for the pods just listed: the total
    /// spread evenly over the Running + Ready pods (what a balancer that sends only to ready
    /// endpoints gives them), `nil` for the others (the controller then counts them as
    /// unready or missing).
    private func spreadRequestRate(_ p: Int, totalPerSecond: Double) {
        var ready = 0
        for pod in pods where pod.phase == .running && pod.readyCondition?.status == .true { ready += 1 }
        let perPod: Int64? = ready > 0 ? Int64((totalPerSecond * 1000 / Double(ready)).rounded()) : nil
        readings[p].setPodValues(Self.requestRateMetric) { values in
            for pod in pods {
                values.append(pod.phase == .running && pod.readyCondition?.status == .true ? perPod : nil)
            }
        }
    }

    func findPinnedAtMax(_ m: inout RunMetrics, pools: [ServicePool]) {
        for (p, pool) in pools.enumerated() where outcomes[p].syncsAtMax > 0 || outcomes[p].syncsWantingMore > 0 {
            let o = outcomes[p]
            m.findings.append(("warning", "pinned_at_max_replicas",
                               "\(pool.name) was at its max of \(pool.config.max) replicas at \(o.syncsAtMax) of \(o.syncs) HPA syncs; the HPA asked for up to \(o.maxMetricDesired) (more than max at \(o.syncsWantingMore) syncs)"))
        }
    }

    func findOverProvisioned(_ m: inout RunMetrics, pools: [ServicePool]) {
        for (p, pool) in pools.enumerated() where outcomes[p].syncs > 0 && outcomes[p].syncsAtMax == 0 {
            let util = pool.meanUtilisation
            if util < 0.2 * Double(pool.config.targetCPU) / 100, outcomes[p].maxMetricDesired <= pool.config.min {
                m.findings.append(("info", "over_provisioned",
                                   "\(pool.name) averaged \(MetricsFormat.fmt(100 * util))% CPU against a \(pool.config.targetCPU)% target and never needed more than its min of \(pool.config.min) replicas"))
            }
        }
    }
}
