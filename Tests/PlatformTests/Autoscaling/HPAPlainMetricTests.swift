import Testing
import Platform

/// Cases of kubernetes/kubernetes `pkg/controller/podautoscaler/replica_calculator_test.go` for
/// the non-utilization metrics (`podMetric`, `externalMetric`, `externalPerPodMetric`), with the
/// Go tests' own inputs and expected numbers. Pods are built as the Go fake client builds them
/// (`max(currentReplicas, len(podPhase))` pods, Ready unless given, start time zero, values
/// for the first `levels.count` pods).
struct PlainMetricCase: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case pods, external, externalPerPod }
    var name: String
    var kind: Kind
    var currentReplicas: Int32
    var levels: [Int64]
    var target: Int64
    var readiness: [HPAConditionStatus]? = nil
    var startTimes: [Instant]? = nil
    var phases: [HPAPodPhase]? = nil
    var expectedReplicas: Int32
    var expectedUsage: Int64

    var testDescription: String { name }
}

private let T = HPAConditionStatus.true
private let F = HPAConditionStatus.false
private let hot = HPAFixture.hot
private let cool = HPAFixture.cool
private let r = HPAPodPhase.running

private let plainCases: [PlainMetricCase] = [
    .init(name: "TestReplicaCalcScaleUpCM", kind: .pods, currentReplicas: 3, levels: [20_000, 10_000, 30_000],
          target: 15_000, expectedReplicas: 4, expectedUsage: 20_000),
    // A Pods metric has no CPU readiness rules: the unready, hot pod still counts.
    .init(name: "TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale", kind: .pods, currentReplicas: 3,
          levels: [50_000, 10_000, 30_000], target: 15_000, readiness: [T, T, F], startTimes: [cool, cool, hot],
          expectedReplicas: 6, expectedUsage: 30_000),
    // (50000 + 15000 + 30000) / 3 = 31666 (integer division); ceil(31666/15000 × 3) = 7.
    .init(name: "TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown", kind: .pods, currentReplicas: 3,
          levels: [50_000, 15_000, 30_000], target: 15_000, readiness: [F, T, F], startTimes: [hot, cool, hot],
          expectedReplicas: 7, expectedUsage: 31_666),
    // The Go case of this name runs the podMetric path (its metricType says so).
    .init(name: "TestReplicaCalcScaleUpCMExternal", kind: .pods, currentReplicas: 1, levels: [8_600], target: 4_400,
          expectedReplicas: 2, expectedUsage: 8_600),
    .init(name: "TestReplicaCalcScaleUpCMExternalNoLabels", kind: .pods, currentReplicas: 1, levels: [8_600],
          target: 4_400, expectedReplicas: 2, expectedUsage: 8_600),
    .init(name: "TestReplicaCalcScaleDownCM", kind: .pods, currentReplicas: 5, levels: Array(repeating: 12_000, count: 5),
          target: 20_000, expectedReplicas: 3, expectedUsage: 12_000),
    .init(name: "TestReplicaCalcToleranceCM", kind: .pods, currentReplicas: 3, levels: [20_000, 21_000, 21_000],
          target: 20_000, expectedReplicas: 3, expectedUsage: 20_666),
    // Ratio exactly 1 with 2 missing pods: nothing is filled in and the result stays at 5.
    .init(name: "TestPlainMetricReplicaCalcMissingMetricsNoChangeEq", kind: .pods, currentReplicas: 5,
          levels: [20_000, 19_000, 21_000], target: 20_000, expectedReplicas: 5, expectedUsage: 20_000),
    // 3 pods during a surge, 2 with metrics: the missing one at the target gives ratio
    // 37000/3/17000 = 0.725 and ceil(0.725 × 3) = 3 > 2, a scale-down turned scale-up: no change.
    .init(name: "TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM", kind: .pods, currentReplicas: 2,
          levels: [10_000, 10_000], target: 17_000, phases: [r, r, r], expectedReplicas: 2, expectedUsage: 10_000),
    // External Value: only Running + Ready pods multiply the ratio (1 of 3 here).
    .init(name: "TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods", kind: .external, currentReplicas: 3,
          levels: [8_600], target: 4_400, readiness: [F, T, F], expectedReplicas: 2, expectedUsage: 8_600),
    .init(name: "TestReplicaCalcScaleDownCMExternal", kind: .external, currentReplicas: 5, levels: [8_600],
          target: 14_334, expectedReplicas: 3, expectedUsage: 8_600),
    .init(name: "TestReplicaCalcToleranceCMExternal", kind: .external, currentReplicas: 3, levels: [8_600],
          target: 8_888, expectedReplicas: 3, expectedUsage: 8_600),
    // External AverageValue: ceil(8600 / 2150) = 4; status ceil(8600 / 3) = 2867.
    .init(name: "TestReplicaCalcScaleUpPerPodCMExternal", kind: .externalPerPod, currentReplicas: 3, levels: [8_600],
          target: 2_150, expectedReplicas: 4, expectedUsage: 2_867),
    .init(name: "TestReplicaCalcScaleDownPerPodCMExternal", kind: .externalPerPod, currentReplicas: 5, levels: [8_600],
          target: 2_867, expectedReplicas: 3, expectedUsage: 1_720),
    .init(name: "TestReplicaCalcTolerancePerPodCMExternal", kind: .externalPerPod, currentReplicas: 3,
          levels: [8_600], target: 2_900, expectedReplicas: 3, expectedUsage: 2_867),
]

@Suite("HPA replica calculator: Pods and External metrics (replica_calculator_test.go replays)")
struct HPAPlainMetricTests {
    static func run(_ c: PlainMetricCase) throws(HPAMetricError) -> HPAReplicaCalculator.PlainResult {
        let pods = HPAFixture.replicaCalcPods(currentReplicas: Int(c.currentReplicas), requests: [], levels: [],
                                              readiness: c.readiness, startTimes: c.startTimes, phases: c.phases)
        let tolerances = HPATolerances(0.1)
        switch c.kind {
        case .pods:
            let values: [Int64?] = pods.indices.map { $0 < c.levels.count ? c.levels[$0] : nil }
            return try HPAReplicaCalculator.podsMetricReplicas(
                currentReplicas: c.currentReplicas, targetAverageValue: c.target, pods: pods, values: values,
                tolerances: tolerances, now: HPAFixture.now)
        case .external:
            return try HPAReplicaCalculator.externalValueReplicas(
                currentReplicas: c.currentReplicas, targetValue: c.target, values: c.levels, pods: pods,
                tolerances: tolerances)
        case .externalPerPod:
            return try HPAReplicaCalculator.externalAverageValueReplicas(
                statusReplicas: c.currentReplicas, targetAverageValue: c.target, values: c.levels,
                tolerances: tolerances)
        }
    }

    @Test("replicas and usage as in Kubernetes", arguments: plainCases)
    func replay(_ c: PlainMetricCase) throws {
        let result = try Self.run(c)
        #expect(result == HPAReplicaCalculator.PlainResult(replicas: c.expectedReplicas, usage: c.expectedUsage))
    }

    @Test("empty metric lists fail as the metrics clients do")
    func emptyMetrics() {
        let pods = HPAFixture.replicaCalcPods(currentReplicas: 3, requests: [], levels: [])
        // rest_metrics_client_test.go "external empty metrics": "no metrics returned from external metrics API"
        #expect(throws: HPAMetricError.noExternalMetricsReturned) {
            try HPAReplicaCalculator.externalValueReplicas(currentReplicas: 3, targetValue: 1_000, values: [], pods: pods,
                                                           tolerances: HPATolerances(0.1))
        }
        #expect(throws: HPAMetricError.noExternalMetricsReturned) {
            try HPAReplicaCalculator.externalAverageValueReplicas(statusReplicas: 3, targetAverageValue: 1_000,
                                                                  values: [], tolerances: HPATolerances(0.1))
        }
        // GetRawMetric: "no metrics returned from custom metrics API"
        #expect(throws: HPAMetricError.noCustomMetricsReturned) {
            try HPAReplicaCalculator.podsMetricReplicas(currentReplicas: 3, targetAverageValue: 1_000, pods: pods,
                                                        values: [nil, nil, nil], tolerances: HPATolerances(0.1),
                                                        now: HPAFixture.now)
        }
        // calcPlainMetricReplicas: only pending pods have values -> none left after groupPods
        let pending = HPAFixture.replicaCalcPods(currentReplicas: 2, requests: [], levels: [], phases: [.pending, .pending])
        #expect(throws: HPAMetricError.noMetricsForTargetedPods) {
            try HPAReplicaCalculator.podsMetricReplicas(currentReplicas: 2, targetAverageValue: 1_000, pods: pending,
                                                        values: [5_000, 5_000], tolerances: HPATolerances(0.1),
                                                        now: HPAFixture.now)
        }
    }

    /// `calcPlainMetricReplicas` missing/unready rules, computed by hand from the Go code.
    @Test("missing pods use the target on a scale-down and 0 on a scale-up; unready pods 0 on a scale-up")
    func missingAndUnready() throws {
        let tol = HPATolerances(0.1)
        // 4 pods, values for 2: 5000, 5000 against 10000 -> ratio 0.5 (scale-down). Missing pods
        // count as the target: (5000+5000+10000+10000)/4 = 7500 -> 0.75; ceil(0.75 × 4) = 3.
        let four = HPAFixture.replicaCalcPods(currentReplicas: 4, requests: [], levels: [])
        let down = try HPAReplicaCalculator.podsMetricReplicas(
            currentReplicas: 4, targetAverageValue: 10_000, pods: four, values: [5_000, 5_000, nil, nil],
            tolerances: tol, now: HPAFixture.now)
        #expect(down == .init(replicas: 3, usage: 5_000))
        // Same pods, values 30000, 30000 -> ratio 3 (scale-up); missing count as 0:
        // 60000/4 = 15000 -> 1.5; ceil(1.5 × 4) = 6.
        let up = try HPAReplicaCalculator.podsMetricReplicas(
            currentReplicas: 4, targetAverageValue: 10_000, pods: four, values: [30_000, 30_000, nil, nil],
            tolerances: tol, now: HPAFixture.now)
        #expect(up == .init(replicas: 6, usage: 30_000))
        // 3 running pods at 14000 and 1 pending (unready) pod, target 10000: ratio 1.4 > 1 with
        // an unready pod, so it counts as 0: 42000/4 = 10500 -> 1.05, within tolerance -> stay
        // at 4 (leaving the pending pod out would give ceil(1.4 × 3) = 5).
        let mixed = HPAFixture.replicaCalcPods(currentReplicas: 4, requests: [], levels: [],
                                               phases: [.running, .running, .running, .pending])
        let withUnready = try HPAReplicaCalculator.podsMetricReplicas(
            currentReplicas: 4, targetAverageValue: 10_000, pods: mixed, values: [14_000, 14_000, 14_000, nil],
            tolerances: tol, now: HPAFixture.now)
        #expect(withUnready == .init(replicas: 4, usage: 14_000))
    }

    /// `GetRawResourceReplicas` (Resource metric, AverageValue target), by hand: three ready CPU
    /// pods using 300, 500 and 700 millicores against an average-value target of 250m.
    @Test("Resource AverageValue: ceil(avg / target × ready pods), CPU readiness rules kept")
    func resourceAverageValue() throws {
        let pods = HPAFixture.replicaCalcPods(currentReplicas: 3, requests: [1_000, 1_000, 1_000],
                                              levels: [150, 250, 350])  // two containers each: 300, 500, 700
        // avg = 1500/3 = 500 -> ratio 2 -> ceil(2 × 3) = 6
        let r = try HPAReplicaCalculator.resourceAverageValueReplicas(
            currentReplicas: 3, targetAverageValue: 250, pods: pods, tolerances: HPATolerances(0.1), now: HPAFixture.now,
            cpuInitializationPeriod: 2 * HPAFixture.minute, initialReadinessDelay: 10 * HPAFixture.second)
        #expect(r == .init(replicas: 6, usage: 500))
        // The first pod started just now and is not Ready: CPU rules set it aside as unready;
        // ready avg = (500+700)/2 = 600 -> 2.4 > 1 with an unready pod -> it counts as 0:
        // 1200/3 = 400 -> 1.6; ceil(1.6 × 3) = 5.
        let hotPods = HPAFixture.replicaCalcPods(currentReplicas: 3, requests: [1_000, 1_000, 1_000],
                                                 levels: [150, 250, 350], readiness: [F, T, T],
                                                 startTimes: [hot, cool, cool])
        let r2 = try HPAReplicaCalculator.resourceAverageValueReplicas(
            currentReplicas: 3, targetAverageValue: 250, pods: hotPods, tolerances: HPATolerances(0.1),
            now: HPAFixture.now, cpuInitializationPeriod: 2 * HPAFixture.minute,
            initialReadinessDelay: 10 * HPAFixture.second)
        #expect(r2 == .init(replicas: 5, usage: 600))
    }

    @Test("External Value from zero replicas ignores tolerance and readiness (getUsageRatioReplicaCount)")
    func externalFromZero() throws {
        // TestScaleUpFromZeroIgnoresToleranceCMObject's rule, on the External path: ratio 1.0 from 0 -> 1.
        let r = try HPAReplicaCalculator.externalValueReplicas(currentReplicas: 0, targetValue: 1_000, values: [1_000],
                                                               pods: [], tolerances: HPATolerances(0.1))
        #expect(r == .init(replicas: 1, usage: 1_000))
        // Several series are summed: 3000 + 5000 + 12000 = 20000 against 4000 on 2 ready pods -> ceil(5 × 2) = 10.
        let pods = HPAFixture.replicaCalcPods(currentReplicas: 2, requests: [], levels: [])
        let sum = try HPAReplicaCalculator.externalValueReplicas(currentReplicas: 2, targetValue: 4_000,
                                                                 values: [3_000, 5_000, 12_000], pods: pods,
                                                                 tolerances: HPATolerances(0.1))
        #expect(sum == .init(replicas: 10, usage: 20_000))
    }
}
