import Platform

/// HPA micro-benchmarks: one `reconcile` over 100 pods, legacy and `behavior` paths, with the
/// history at its steady-state size (reconciles 15 s apart). Prints `name: x us/op` lines.
public enum AutoscalingBenchmark {
    public static func run() {
        let second = TimeUnit.second
        let podCount = 100
        // Mixed pods: mostly ready at ~70%, a few unready, a few without metrics, so every
        // branch of the replica calculation runs.
        func pods(at now: Instant) -> [HPAPod] {
            (0..<podCount).map { i in
                let ready = i % 17 != 0
                return HPAPod.running(request: 1_000, usage: i % 23 == 0 ? nil : Int64(600 + (i * 37) % 200),
                                      startedAt: now - 3_600 * second, readySince: ready ? now - 3_000 * second : nil,
                                      metricTimestamp: now, metricWindow: 30 * second)
            }
        }
        let podsNow = pods(at: 0)
        for (name, behavior) in [("legacy", HPABehavior?.none), ("behavior", HPABehavior())] {
            var hpa = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 20, maxReplicas: 200,
                                                            targetAverageUtilization: 70, behavior: behavior))
            let ops = 200_000
            let clock = ContinuousClock()
            var best = Double.infinity
            var checksum = 0
            var now: Instant = 0
            for _ in 0..<5 {
                let start = clock.now
                for _ in 0..<ops {
                    // the pods' metric timestamps stay at 0: only `now` moves (ready pods past init)
                    let d = hpa.reconcile(now: now, currentReplicas: Int32(podCount), pods: podsNow)
                    checksum &+= Int(d.desiredReplicas)
                    now &+= 15 * second
                }
                let elapsed = clock.now - start
                let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
                best = min(best, ns / Double(ops))
            }
            let us = Double(Int(best / 1_000 * 1_000 + 0.5)) / 1_000
            print("hpa.reconcile.\(name).pods=\(podCount): \(us) us/op  (checksum \(checksum & 0xFFFF), history \(hpa.history.recommendations?.count ?? 0))")
        }
        // The replica calculation alone.
        let ops = 500_000
        let clock = ContinuousClock()
        var sum = 0
        let start = clock.now
        for i in 0..<ops {
            if let r = try? HPAReplicaCalculator.resourceReplicas(
                currentReplicas: 100, targetUtilization: 70 + Int32(i & 1), pods: podsNow,
                tolerances: HPATolerances(0.1), now: 3_600 * second,
                cpuInitializationPeriod: 300 * second, initialReadinessDelay: 30 * second) {
                sum &+= Int(r.replicas)
            }
        }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        let us = Double(Int(ns / Double(ops) / 1_000 * 1_000 + 0.5)) / 1_000
        print("hpa.replicaCalculation.pods=\(podCount): \(us) us/op  (checksum \(sum & 0xFFFF))")
    }
}
