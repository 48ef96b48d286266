import Testing
import Platform

private let second = HPAFixture.second
private let t0 = HPAFixture.now

/// Ready pods created at once (the caller's ReplicaSet; start-up delay is the simulator's
/// business, not the HPA's), without a resource metric.
private func readyPods(_ n: Int32) -> [HPAPod] {
    (0..<Int(n)).map { _ in
        HPAPod(startTime: t0 - 3_600 * second, readyCondition: HPAPodCondition(status: .true, lastTransitionTime: t0 - 3_600 * second),
               request: nil, metric: nil)
    }
}

/// Step loads through `reconcile` every 15 s (the controller's sync period) with `behavior`
/// policies. Every expected count is computed by hand below from the Kubernetes formula
/// `desired = ceil(current × currentMetric / target)` (no change while
/// |currentMetric/target − 1| ≤ 0.1), then the behaviour rules of `horizontal.go`
/// (`stabilizeRecommendationWithBehaviors`: the scale-down window keeps the largest
/// recommendation made in the last N seconds, strictly after now − N;
/// `calculateScaleUpLimitWithScalingRules` / `calculateScaleDownLimitWithBehaviors`: a
/// policy's limit counts from the replica count at the start of its period, the events strictly
/// after now − period undone).
@Suite("HPA step loads with behaviour policies (hand-computed)")
struct HPABehaviourStepTests {
    /// Consumer lag (External, AverageValue 1000 records per pod = 1_000_000 milli), min 2,
    /// max 40, start 4. scaleUp: no window, Max of [Pods 4 / 60 s, Percent 50 / 60 s];
    /// scaleDown: window 60 s, [Pods 3 / 60 s]. The lag is an input: 4000 at sync 0,
    /// 20000 from sync 1 to 13, 3000 from sync 14.
    ///
    /// - sync 0 (t 0): 4000 / 4 pods = 1000 = target -> 4.
    /// - sync 1 (t 15): 20000 / 4 = 5000 -> ceil(4 × 5) = 20. Up limit from 4: max(4+4,
    ///   ceil(4 × 1.5) = 6) = 8 -> 8 (ScaleUpLimit). Event +4 at t 15.
    /// - syncs 2–4 (t 30–60): 20000/8 -> 20; the +4 at t 15 is after now − 60, the period
    ///   starts at 4, limit 8 -> stay 8.
    /// - sync 5 (t 75): t 15 is not after 75 − 60: the period starts at 8 -> max(12, 12) = 12.
    /// - syncs 6–8 stay 12 (event at t 75); sync 9 (t 135): from 12 -> max(16, 18) = 18.
    /// - syncs 10–12 (t 150–180): 20000/18 = 1111 -> ratio 1.11 > 1.1 -> 20; limit 18 -> stay;
    ///   sync 13 (t 195): from 18 -> max(22, 27) = 27 ≥ 20 -> 20.
    /// - sync 14 (t 210): lag 3000 -> 3000/20 = 150 -> ceil(20 × 0.15) = 3, but the window
    ///   keeps 20 (recommendations of t 165, 180, 195) -> 20; likewise syncs 15, 16.
    /// - sync 17 (t 255): the window (t 195, t 255] holds 3, 3, 3 -> 3. Down limit from 20:
    ///   20 − 3 = 17 -> 17 (ScaleDownLimit). Event −3 at t 255.
    /// - then −3 every 60 s (at syncs 21, 25, 29, 33): 14, 11, 8, 5; sync 37 (t 555): 5 − 3 = 2,
    ///   but the stabilized recommendation is 3 -> 3; sync 38: 3000/3 = target -> 3.
    @Test("lag step up and down: rate limits and the scale-down window")
    func lagStep() {
        let spec = HPASpec(minReplicas: 2, maxReplicas: 40,
                           metrics: [.externalAverageValue(name: "lag", averageValueMilli: 1_000_000)],
                           behavior: HPABehavior(
                               scaleUp: HPAScalingRules(stabilizationWindowSeconds: 0, selectPolicy: .max,
                                                        policies: [.pods(4, periodSeconds: 60),
                                                                   .percent(50, periodSeconds: 60)]),
                               scaleDown: HPAScalingRules(stabilizationWindowSeconds: 60,
                                                          policies: [.pods(3, periodSeconds: 60)])))
        var hpa = HorizontalPodAutoscaler(spec: spec)
        var expected: [Int32] = [4, 8, 8, 8, 8, 12, 12, 12, 12, 18, 18, 18, 18, 20, 20, 20, 20, 17]
        expected += [17, 17, 17, 14, 14, 14, 14, 11, 11, 11, 11, 8, 8, 8, 8, 5, 5, 5, 5, 3, 3]
        var replicas: Int32 = 4
        var got: [Int32] = []
        var readings = HPAMetricReadings()
        for sync in 0..<expected.count {
            let lag: Int64 = sync == 0 ? 4_000 : (sync <= 13 ? 20_000 : 3_000)
            readings.setExternal("lag", total: lag * 1_000)
            let now = t0 + Int64(sync) * 15 * second
            let d = hpa.reconcile(now: now, currentReplicas: replicas, pods: readyPods(replicas), readings: readings)
            if sync == 1 { #expect(d.conditions.scalingLimited! == (true, "ScaleUpLimit")) }
            if sync == 17 { #expect(d.conditions.scalingLimited! == (true, "ScaleDownLimit")) }
            if sync == 14 { #expect(d.metricDesiredReplicas == 3 && d.conditions.ableToScale == "ScaleDownStabilized") }
            if d.rescaled { replicas = d.desiredReplicas }
            got.append(replicas)
        }
        #expect(got == expected)
    }

    /// Requests per second (Pods, AverageValue 100 rps per pod = 100_000 milli), the load
    /// spread evenly over the pods, so the metric answers the scaling: per pod = R / n
    /// (milli, integer division). scaleUp: [Pods 2 / 30 s] only; scaleDown: the API default
    /// (window 300 s, 100% / 15 s). Start 4 pods at R = 400 rps, step to R = 1000 at sync 1.
    ///
    /// - sync 0: 100 rps/pod = target -> 4.
    /// - sync 1 (t 15): 250 -> ceil(4 × 2.5) = 10; limit 4 + 2 = 6 -> 6 (event +2 at t 15).
    /// - sync 2 (t 30): 1_000_000/6 = 166_666 -> ceil(6 × 1.66666) = 10; t 15 is after 30 − 30,
    ///   the period starts at 4, limit 6 -> stay.
    /// - sync 3 (t 45): t 15 not after 15 -> from 6: 8 -> 8 (event at t 45).
    /// - sync 4 (t 60): 125 -> ceil(8 × 1.25) = 10; limit from 6: 8 -> stay.
    /// - sync 5 (t 75): from 8: 10 -> 10. sync 6 on: 100 rps/pod -> 10.
    /// - sync 9 (t 135): the load drops to R = 500: 50 rps/pod -> ceil(10 × 0.5) = 5, held at
    ///   10 by the 300 s window (the last recommendation of 10 is sync 8's, at t 120) until
    ///   sync 28 (t 420), the first whose window (t 120, t 420] holds only 5s -> 5 (the
    ///   default 100% / 15 s policy allows it).
    @Test("request-rate step: Pods policy and the default scale-down window")
    func rpsStep() {
        let spec = HPASpec(minReplicas: 1, maxReplicas: 50, metrics: [.pods(name: "rps", averageValueMilli: 100_000)],
                           behavior: HPABehavior(scaleUp: HPAScalingRules(stabilizationWindowSeconds: 0,
                                                                          policies: [.pods(2, periodSeconds: 30)])))
        var hpa = HorizontalPodAutoscaler(spec: spec)
        var expected: [Int32] = [4, 6, 6, 8, 8, 10, 10, 10, 10]
        expected += Array(repeating: 10, count: 19)  // syncs 9-27: held by the window
        expected += [5, 5]                            // syncs 28-29
        var replicas: Int32 = 4
        var got: [Int32] = []
        var readings = HPAMetricReadings()
        for sync in 0..<expected.count {
            let rps: Int64 = sync == 0 ? 400 : (sync < 9 ? 1_000 : 500)
            let perPod = rps * 1_000 / Int64(replicas)
            readings.setPodValues("rps") { v in for _ in 0..<replicas { v.append(perPod) } }
            let d = hpa.reconcile(now: t0 + Int64(sync) * 15 * second, currentReplicas: replicas,
                                  pods: readyPods(replicas), readings: readings)
            if d.rescaled { replicas = d.desiredReplicas }
            got.append(replicas)
        }
        #expect(got == expected)
    }
}
