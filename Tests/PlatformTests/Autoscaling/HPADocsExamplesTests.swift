import Testing
import Platform

/// The examples of the Kubernetes HPA documentation (kubernetes/website
/// `content/en/docs/tasks/run-application/horizontal-pod-autoscale.md`, "Scaling policies",
/// "Stabilization window", "Default Behavior", "Example: limit scale down rate",
/// "Example: disable scale down") run through `reconcile` every 15 s. Expected sequences are
/// worked out by hand from the text's rules.
@Suite("HPA documentation examples (behavior over time)")
struct HPADocsExamplesTests {
    static let s = TimeUnit.second

    /// Reconciles every 15 s from t = 0 to `until` (inclusive). Pods appear and disappear as soon
    /// as the replica count changes, all Ready long ago, each using `usage(t, replicas)` of a
    /// 1000m request. Returns the replica count after each reconcile.
    static func simulate(_ hpa: inout HorizontalPodAutoscaler, start: Int32, until: Instant,
                         usage: (Instant, Int32) -> Int64) -> [(t: Instant, replicas: Int32)] {
        var replicas = start
        var out: [(Instant, Int32)] = []
        var t: Instant = 0
        let origin: Instant = -3_600 * s  // pods started and became ready an hour before t = 0
        while t <= until {
            let u = usage(t, replicas)
            let pods = (0..<Int(replicas)).map { _ in
                HPAPod.running(request: 1_000, usage: u, startedAt: origin, readySince: origin,
                               metricTimestamp: t, metricWindow: 30 * s)
            }
            let d = hpa.reconcile(now: t, currentReplicas: replicas, pods: pods)
            replicas = d.desiredReplicas
            out.append((t, replicas))
            t += 15 * s
        }
        return out
    }

    /// The distinct replica counts in order and the instants they were reached.
    static func changes(_ run: [(t: Instant, replicas: Int32)], from start: Int32) -> [(t: Instant, replicas: Int32)] {
        var last = start
        var out: [(Instant, Int32)] = []
        for step in run where step.replicas != last {
            out.append(step)
            last = step.replicas
        }
        return out
    }

    @Test("scale-down policies Pods 4/60s + Percent 10/60s from 80 to 10: -8, -8, ..., then -4 below 40")
    func scaleDownPolicies() {
        var hpa = HorizontalPodAutoscaler(spec: HPASpec(
            minReplicas: 10, maxReplicas: 100, targetAverageUtilization: 100,
            behavior: HPABehavior(scaleDown: HPAScalingRules(
                stabilizationWindowSeconds: 0,
                policies: [.pods(4, periodSeconds: 60), .percent(10, periodSeconds: 60)]))))
        // 12.5% usage: the metric asks for far fewer pods than the policies allow.
        let run = Self.simulate(&hpa, start: 80, until: 900 * Self.s) { _, _ in 125 }
        let steps = Self.changes(run, from: 80)
        // One change per 60 s period; the Percent policy (largest change) while above 40
        // (int(80*0.9)=72, int(72*0.9)=64, int(64*0.9)=57, ...), then 4 at a time.
        #expect(steps.map(\.replicas) == [72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10])
        #expect(steps.map(\.t) == (0..<14).map { Int64($0) * 60 * Self.s })
        // "In the next iteration when the number of replicas is 72, 10% of the pods is 7.2 but
        // the number is rounded up to 8."
        #expect(steps[0].replicas == 72 && steps[1].replicas == 64)
    }

    @Test("limit scale down rate: Percent 10/60s + Pods 5/60s with selectPolicy Min removes at most 5 per minute")
    func scaleDownMin() {
        var hpa = HorizontalPodAutoscaler(spec: HPASpec(
            minReplicas: 10, maxReplicas: 100, targetAverageUtilization: 100,
            behavior: HPABehavior(scaleDown: HPAScalingRules(
                stabilizationWindowSeconds: 0, selectPolicy: .min,
                policies: [.percent(10, periodSeconds: 60), .pods(5, periodSeconds: 60)]))))
        let run = Self.simulate(&hpa, start: 80, until: 1_800 * Self.s) { _, _ in 125 }
        let steps = Self.changes(run, from: 80)
        #expect(Array(steps.prefix(8).map(\.replicas)) == [75, 70, 65, 60, 55, 50, 45, 40])
        var previous: Int32 = 80
        for step in steps {
            // the smaller of 5 pods and 10% (truncating what stays) of the count a minute ago
            let allowed = min(5, previous - Int32(Double(previous) * 0.9))
            #expect(previous - step.replicas <= allowed)
            previous = step.replicas
        }
        #expect(steps.last?.replicas == 10)
    }

    @Test("disable scale down: selectPolicy Disabled keeps the replica count")
    func scaleDownDisabled() {
        var hpa = HorizontalPodAutoscaler(spec: HPASpec(
            minReplicas: 1, maxReplicas: 100, targetAverageUtilization: 100,
            behavior: HPABehavior(scaleDown: HPAScalingRules(selectPolicy: .disabled))))
        let run = Self.simulate(&hpa, start: 80, until: 900 * Self.s) { _, _ in 125 }
        #expect(run.allSatisfy { $0.replicas == 80 })
        let d = hpa.reconcile(now: 1_000 * Self.s, currentReplicas: 80, pods: (0..<80).map { _ in
            HPAPod.running(request: 1_000, usage: 125, startedAt: 0, readySince: 0, metricTimestamp: 1_000 * Self.s,
                           metricWindow: 30 * Self.s)
        })
        #expect(d.conditions.scalingLimited?.reason == "ScaleDownLimit")
    }

    @Test("stabilization window 300 s: scale-down after the last high recommendation leaves the window")
    func stabilizationWindow() {
        // The total load halves after t = 0 (10 pods at 50% -> 2500m spread over the pods):
        // the metric asks for 5 instead of 10 from t = 15 s on, and 5 pods are then at target.
        let usage: (Instant, Int32) -> Int64 = { t, n in (t == 0 ? 5_000 : 2_500) / Int64(n) }
        func firstScaleDown(_ behavior: HPABehavior?) -> Instant? {
            var hpa = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 1, maxReplicas: 100,
                                                            targetAverageUtilization: 50, behavior: behavior))
            let run = Self.simulate(&hpa, start: 10, until: 600 * Self.s, usage: usage)
            #expect(run.last?.replicas == 5)
            return run.first { $0.replicas < 10 }?.t
        }
        // With a behavior (default scale-down window = the 300 s flag), a recommendation exactly
        // 300 s old is outside the window (Go: rec.timestamp.After(cutoff)).
        #expect(firstScaleDown(HPABehavior()) == 300 * Self.s)
        #expect(firstScaleDown(HPABehavior(scaleDown: HPAScalingRules(stabilizationWindowSeconds: 60)))
                == 60 * Self.s)
        // Legacy path: a recommendation exactly at the cutoff still counts (Go: !Before(cutoff)).
        #expect(firstScaleDown(nil) == 315 * Self.s)
    }

    @Test("default scale-up: 4 pods or 100% per 15 s; legacy: max(2x, 4)")
    func defaultScaleUp() {
        let heavy: (Instant, Int32) -> Int64 = { _, _ in 1_000 }  // 100% usage at a 10% target
        var withBehavior = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 1, maxReplicas: 1_000,
                                                                 targetAverageUtilization: 10, behavior: HPABehavior()))
        var legacy = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 1, maxReplicas: 1_000,
                                                           targetAverageUtilization: 10))
        #expect(Self.simulate(&withBehavior, start: 1, until: 60 * Self.s, usage: heavy).map(\.replicas)
                == [5, 10, 20, 40, 80])
        #expect(Self.simulate(&legacy, start: 1, until: 60 * Self.s, usage: heavy).map(\.replicas)
                == [4, 8, 16, 32, 64])
        var fromTen = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 1, maxReplicas: 1_000,
                                                            targetAverageUtilization: 10, behavior: HPABehavior()))
        #expect(Self.simulate(&fromTen, start: 10, until: 30 * Self.s, usage: heavy).map(\.replicas) == [20, 40, 80])
        // Scale events are kept per scale-up; a slot is reused once older than the longest
        // period (15 s). An event exactly 15 s old is not yet outdated (Go: Before(cutoff)), so
        // the list holds two events: [+40 at 30 s, +20 at 15 s... reused in place].
        #expect(fromTen.history.scaleUpEvents.map(\.replicaChange) == [40, 20])
        #expect(fromTen.history.scaleUpEvents.map(\.timestamp) == [30 * Self.s, 15 * Self.s])
    }

    @Test("the seed's order_service HPA (20..100 at 70% CPU): 20 pods at 90% -> 26")
    func seedOrderService() {
        var hpa = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 20, maxReplicas: 100,
                                                        targetAverageUtilization: 70))
        let pods = (0..<20).map { _ in
            HPAPod.running(request: 1_000, usage: 900, startedAt: 0, readySince: 0, metricTimestamp: 3_600 * Self.s,
                           metricWindow: 30 * Self.s)
        }
        let d = hpa.reconcile(now: 3_600 * Self.s, currentReplicas: 20, pods: pods)
        #expect(d.desiredReplicas == 26)   // ceil(90 / 70 * 20) = ceil(25.71)
        #expect(d.currentUtilization == 90 && d.reason == .metricAboveTarget)
    }
}
