import Testing
import Platform

/// One case of kubernetes/kubernetes `pkg/controller/podautoscaler/replica_calculator_test.go`
/// (CPU `resourceInfo` cases), with the Go test's own inputs and expected numbers.
struct ReplicaCalcCase: Sendable, CustomTestStringConvertible {
    var name: String
    var currentReplicas: Int32
    var requests: [Int64]            // per container, millicores
    var levels: [Int64]              // per container, millicores
    var readiness: [HPAConditionStatus]? = nil
    var startTimes: [Instant]? = nil
    var phases: [HPAPodPhase]? = nil
    var deleting: [Bool]? = nil
    var target: Int32
    var expectedReplicas: Int32 = 0
    var expectedUtilization: Int32 = 0
    var expectedValue: Int64 = 0
    var expectedError: HPAMetricError? = nil

    var testDescription: String { name }
}

private let T = HPAConditionStatus.true
private let F = HPAConditionStatus.false
private let hot = HPAFixture.hot
private let cool = HPAFixture.cool
private let r = HPAPodPhase.running
private let p = HPAPodPhase.pending
private let failed = HPAPodPhase.failed
private let k: Int64 = 1_000

private let replicaCalcCases: [ReplicaCalcCase] = [
    ReplicaCalcCase(name: "TestReplicaCalcScaleUp", currentReplicas: 3, requests: [k, k, k], levels: [300, 500, 700],
                    target: 30, expectedReplicas: 5, expectedUtilization: 50, expectedValue: 2 * 500),
    ReplicaCalcCase(name: "TestReplicaCalcScaleUpUnreadyLessScale", currentReplicas: 3, requests: [k, k, k],
                    levels: [300, 500, 700], readiness: [F, T, T], target: 30, expectedReplicas: 4,
                    expectedUtilization: 60, expectedValue: 2 * 600),
    ReplicaCalcCase(name: "TestReplicaCalcScaleUpHotCpuLessScale", currentReplicas: 3, requests: [k, k, k],
                    levels: [300, 500, 700], startTimes: [hot, cool, cool], target: 30, expectedReplicas: 4,
                    expectedUtilization: 60, expectedValue: 2 * 600),
    ReplicaCalcCase(name: "TestReplicaCalcScaleUpUnreadyNoScale", currentReplicas: 3, requests: [k, k, k],
                    levels: [400, 500, 700], readiness: [T, F, F], target: 30, expectedReplicas: 3,
                    expectedUtilization: 40, expectedValue: 2 * 400),
    ReplicaCalcCase(name: "TestReplicaCalcScaleHotCpuNoScale", currentReplicas: 3, requests: [k, k, k],
                    levels: [400, 500, 700], readiness: [T, F, F], startTimes: [cool, hot, hot], target: 30,
                    expectedReplicas: 3, expectedUtilization: 40, expectedValue: 2 * 400),
    ReplicaCalcCase(name: "TestReplicaCalcScaleUpIgnoresFailedPods", currentReplicas: 2, requests: [k, k, k, k],
                    levels: [500, 700], readiness: [T, T, F, F], phases: [r, r, failed, failed], target: 30,
                    expectedReplicas: 4, expectedUtilization: 60, expectedValue: 2 * 600),
    ReplicaCalcCase(name: "TestReplicaCalcScaleUpIgnoresDeletionPods", currentReplicas: 2, requests: [k, k, k, k],
                    levels: [500, 700], readiness: [T, T, F, F], phases: [r, r, r, r],
                    deleting: [false, false, true, true], target: 30, expectedReplicas: 4,
                    expectedUtilization: 60, expectedValue: 2 * 600),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDown", currentReplicas: 5, requests: [k, k, k, k, k],
                    levels: [100, 300, 500, 250, 250], target: 50, expectedReplicas: 3, expectedUtilization: 28,
                    expectedValue: 2 * 280),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDownExcludeUnreadyPods", currentReplicas: 5, requests: [k, k, k, k, k],
                    levels: [100, 300, 500, 250, 250], readiness: [T, T, T, F, F], target: 50,
                    expectedReplicas: 2, expectedUtilization: 30, expectedValue: 2 * 300),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDownExcludeUnscheduledPods", currentReplicas: 5,
                    requests: [k, k, k, k, k], levels: [100], readiness: [T, F, F, F, F], phases: [r, p, p, p, p],
                    target: 50, expectedReplicas: 1, expectedUtilization: 10, expectedValue: 2 * 100),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDownIgnoreHotCpuPods", currentReplicas: 5, requests: [k, k, k, k, k],
                    levels: [100, 300, 500, 250, 250], startTimes: [cool, cool, cool, hot, hot], target: 50,
                    expectedReplicas: 2, expectedUtilization: 30, expectedValue: 2 * 300),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDownIgnoresFailedPods", currentReplicas: 5,
                    requests: [k, k, k, k, k, k, k], levels: [100, 300, 500, 250, 250],
                    readiness: [T, T, T, T, T, F, F], phases: [r, r, r, r, r, failed, failed], target: 50,
                    expectedReplicas: 3, expectedUtilization: 28, expectedValue: 2 * 280),
    ReplicaCalcCase(name: "TestReplicaCalcScaleDownIgnoresDeletionPods", currentReplicas: 5,
                    requests: [k, k, k, k, k, k, k], levels: [100, 300, 500, 250, 250],
                    readiness: [T, T, T, T, T, F, F], phases: [r, r, r, r, r, r, r],
                    deleting: [false, false, false, false, false, true, true], target: 50, expectedReplicas: 3,
                    expectedUtilization: 28, expectedValue: 2 * 280),
    ReplicaCalcCase(name: "TestReplicaCalcTolerance", currentReplicas: 3, requests: [900, 1_000, 1_100],
                    levels: [1_010, 1_030, 1_020], target: 100, expectedReplicas: 3, expectedUtilization: 102,
                    expectedValue: 2 * 1_020),
    // The Go case returns metrics for 6 pods of which 4 exist; metrics of unknown pods are
    // skipped by GetResourceUtilizationRatio, and HPAPod cannot carry them at all.
    ReplicaCalcCase(name: "TestReplicaCalcSuperfluousMetrics", currentReplicas: 4, requests: [k, k, k, k],
                    levels: [4_000, 9_500, 3_000, 7_000, 3_200, 2_000], target: 100, expectedReplicas: 24,
                    expectedUtilization: 587, expectedValue: 2 * 5_875),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetrics", currentReplicas: 4, requests: [k, k, k, k],
                    levels: [400, 95], target: 100, expectedReplicas: 3, expectedUtilization: 24, expectedValue: 495),
    ReplicaCalcCase(name: "TestReplicaCalcEmptyMetrics", currentReplicas: 4, requests: [k, k, k], levels: [],
                    target: 100, expectedError: .noMetricsReturned),
    ReplicaCalcCase(name: "TestReplicaCalcEmptyCPURequest", currentReplicas: 1, requests: [], levels: [200],
                    target: 100, expectedError: .missingRequest),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsNoChangeEq", currentReplicas: 2, requests: [k, k],
                    levels: [1_000], target: 100, expectedReplicas: 2, expectedUtilization: 100,
                    expectedValue: 2 * 1_000),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsNoChangeGt", currentReplicas: 2, requests: [k, k],
                    levels: [1_900], target: 100, expectedReplicas: 2, expectedUtilization: 190,
                    expectedValue: 2 * 1_900),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsNoChangeLt", currentReplicas: 2, requests: [k, k],
                    levels: [600], target: 100, expectedReplicas: 2, expectedUtilization: 60,
                    expectedValue: 2 * 600),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsUnreadyChange", currentReplicas: 3, requests: [k, k, k],
                    levels: [100, 450], readiness: [F, T, T], target: 50, expectedReplicas: 3,
                    expectedUtilization: 45, expectedValue: 2 * 450),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsHotCpuNoChange", currentReplicas: 3, requests: [k, k, k],
                    levels: [100, 450], startTimes: [hot, cool, cool], target: 50, expectedReplicas: 3,
                    expectedUtilization: 45, expectedValue: 2 * 450),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsUnreadyScaleUp", currentReplicas: 3, requests: [k, k, k],
                    levels: [100, 2_000], readiness: [F, T, T], target: 50, expectedReplicas: 4,
                    expectedUtilization: 200, expectedValue: 2 * 2_000),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsHotCpuScaleUp", currentReplicas: 3, requests: [k, k, k],
                    levels: [100, 2_000], readiness: [F, T, T], startTimes: [hot, cool, cool], target: 50,
                    expectedReplicas: 4, expectedUtilization: 200, expectedValue: 2 * 2_000),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsUnreadyScaleDown", currentReplicas: 4,
                    requests: [k, k, k, k], levels: [100, 100, 100], readiness: [F, T, T, T], target: 50,
                    expectedReplicas: 3, expectedUtilization: 10, expectedValue: 2 * 100),
    ReplicaCalcCase(name: "TestReplicaCalcMissingMetricsScaleDownTargetOver100", currentReplicas: 4,
                    requests: [k, k, 2_000, 2_000], levels: [200, 100, 100], readiness: [F, T, T, T], target: 300,
                    expectedReplicas: 2, expectedUtilization: 6, expectedValue: 2 * 100),
    ReplicaCalcCase(name: "TestReplicaCalcDuringRollingUpdateWithMaxSurge", currentReplicas: 2, requests: [k, k, k],
                    levels: [100, 100], phases: [r, r, r], target: 50, expectedReplicas: 2,
                    expectedUtilization: 10, expectedValue: 2 * 100),
]

@Suite("HPA replica calculation (replica_calculator_test.go replays)")
struct HPAReplicaCalculatorTests {
    static let config = HPAFixture.horizontalTestController

    static func run(_ c: ReplicaCalcCase) throws(HPAMetricError) -> HPAReplicaCalculator.Result {
        let pods = HPAFixture.replicaCalcPods(currentReplicas: Int(c.currentReplicas), requests: c.requests,
                                              levels: c.levels, readiness: c.readiness, startTimes: c.startTimes,
                                              phases: c.phases, deleting: c.deleting)
        return try HPAReplicaCalculator.resourceReplicas(
            currentReplicas: c.currentReplicas, targetUtilization: c.target, pods: pods, resource: .cpu,
            tolerances: HPATolerances(0.1), now: HPAFixture.now,
            cpuInitializationPeriod: config.cpuInitializationPeriod,
            initialReadinessDelay: config.initialReadinessDelay)
    }

    @Test("replica count, utilization and raw value as in Kubernetes", arguments: replicaCalcCases)
    func replay(_ c: ReplicaCalcCase) {
        do throws(HPAMetricError) {
            let result = try Self.run(c)
            #expect(c.expectedError == nil, "expected error \(String(describing: c.expectedError))")
            #expect(result == HPAReplicaCalculator.Result(replicas: c.expectedReplicas,
                                                          utilization: c.expectedUtilization,
                                                          rawAverageValue: c.expectedValue))
        } catch {
            #expect(error == c.expectedError)
        }
    }

    @Test("TestReplicaCalcDisjointResourcesMetrics: no metric for any listed pod is an error")
    func disjointMetrics() {
        // Go: the only metric belongs to a pod not in the list -> "no metrics returned matched
        // known pods". HPAPod carries metrics of listed pods only, so the pod has none.
        let pods = HPAFixture.replicaCalcPods(currentReplicas: 1, requests: [k], levels: [])
        #expect(throws: HPAMetricError.self) {
            try HPAReplicaCalculator.resourceReplicas(currentReplicas: 1, targetUtilization: 100, pods: pods,
                                                      tolerances: HPATolerances(0.1), now: HPAFixture.now,
                                                      cpuInitializationPeriod: 2 * HPAFixture.minute,
                                                      initialReadinessDelay: 10 * HPAFixture.second)
        }
    }

    @Test("TestReplicaCalcComputedToleranceAlgImplementation")
    func computedTolerance() throws {
        // The Go test's own arithmetic.
        let startPods: Int32 = 10
        let totalUsed = Int64(startPods) * 150
        let totalRequested = 2 * totalUsed
        let requestedToUsed = Double(totalRequested / totalUsed)
        let perPodRequested = totalRequested / Int64(startPods)
        var target = abs(1 / (requestedToUsed * (1 - 0.1))) + 0.01
        var finalTarget = Int32(target * 100)
        let usedRatio = Double(totalUsed) / (Double(totalRequested) * target)
        let finalPods = Int32((usedRatio * Double(startPods)).rounded(.up))
        let offsets: [Int64] = [100, -100, 10, -10, 2, -2, 1, -1, 0, 0]
        var c = ReplicaCalcCase(name: "tolerance", currentReplicas: startPods,
                                requests: offsets.map { perPodRequested + $0 },
                                levels: Array(repeating: totalUsed / 10, count: 10), target: finalTarget)
        var result = try Self.run(c)
        #expect(result.replicas == finalPods)
        #expect(result.utilization == Int32(totalUsed * 100 / totalRequested))
        #expect(result.rawAverageValue == 2 * totalUsed / 10)
        #expect(finalPods == 9 && finalTarget == 56)  // sanity of the closed form itself
        // Just inside the tolerance: no change.
        target = abs(1 / (requestedToUsed * (1 - 0.1))) + 0.004
        finalTarget = Int32(target * 100)
        c.target = finalTarget
        result = try Self.run(c)
        #expect(result.replicas == startPods)
    }

    @Test("the documentation's examples: 200m/100m doubles, 50m/100m halves, 50 x 90% at 75% -> 60")
    func documentationExamples() throws {
        func replicas(_ n: Int, usage: Int64, target: Int32) throws -> Int32 {
            let pods = (0..<n).map { _ in
                HPAPod(startTime: 0, readyCondition: HPAPodCondition(status: .true, lastTransitionTime: 0),
                       request: 1_000, metric: HPAPodMetric(value: usage, timestamp: 0, window: HPAFixture.minute))
            }
            return try HPAReplicaCalculator.resourceReplicas(
                currentReplicas: Int32(n), targetUtilization: target, pods: pods, tolerances: HPATolerances(0.1),
                now: HPAFixture.now, cpuInitializationPeriod: 5 * HPAFixture.minute,
                initialReadinessDelay: 30 * HPAFixture.second).replicas
        }
        #expect(try replicas(4, usage: 200, target: 10) == 8)
        #expect(try replicas(4, usage: 50, target: 10) == 2)
        #expect(try replicas(50, usage: 900, target: 75) == 60)
        // Within the 0.1 tolerance nothing changes: 50 x 82% at 75% (ratio 1.093).
        #expect(try replicas(50, usage: 820, target: 75) == 50)
    }
}

/// kubernetes/kubernetes `replica_calculator_test.go` `TestGroupPods` (cpu init 2 min, delay 10 s).
@Suite("groupPods (TestGroupPods replays)")
struct HPAGroupPodsTests {
    static let now = HPAFixture.now
    static let m = HPAFixture.minute
    static let s = HPAFixture.second

    static func group(_ pod: HPAPod, _ resource: HPAResource = .cpu) -> HPAPodGroup {
        HPAReplicaCalculator.classify(pod, resource: resource, now: now, cpuInitializationPeriod: 2 * m,
                                      initialReadinessDelay: 10 * s)
    }

    static func metric(_ ts: Instant = 0, window: Nanoseconds = 0) -> HPAPodMetric {
        HPAPodMetric(value: 1, timestamp: ts, window: window)
    }

    @Test("each TestGroupPods case")
    func cases() {
        typealias C = HPAPodCondition
        // count in a ready pod - memory
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: nil, readyCondition: nil, request: 1,
                                  metric: Self.metric(Self.now, window: Self.m)), .memory) == .ready)
        // unready a pod without ready condition - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now, readyCondition: nil, request: 1,
                                  metric: Self.metric())) == .unready)
        // count in a ready pod with fresh metrics during initialization period - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - Self.m,
                                  readyCondition: C(status: .true, lastTransitionTime: Self.now - 30 * Self.s),
                                  request: 1, metric: Self.metric(Self.now, window: 30 * Self.s))) == .ready)
        // unready a ready pod without fresh metrics during initialization period - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - Self.m,
                                  readyCondition: C(status: .true, lastTransitionTime: Self.now - 30 * Self.s),
                                  request: 1, metric: Self.metric(Self.now, window: 60 * Self.s))) == .unready)
        // unready an unready pod during initialization period - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - 10 * Self.m,
                                  readyCondition: C(status: .false, lastTransitionTime: Self.now - 9 * Self.m - 54 * Self.s),
                                  request: 1, metric: Self.metric())) == .unready)
        // count in a ready pod without fresh metrics after initialization period - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - 3 * Self.m,
                                  readyCondition: C(status: .true, lastTransitionTime: Self.now - 3 * Self.m),
                                  request: 1, metric: Self.metric(Self.now - 2 * Self.m, window: Self.m))) == .ready)
        // count in an unready pod that was ready after initialization period - CPU
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - 10 * Self.m,
                                  readyCondition: C(status: .false, lastTransitionTime: Self.now - 9 * Self.m),
                                  request: 1, metric: Self.metric())) == .ready)
        // unready pod that has never been ready after initialization period - CPU (expected: counted)
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - 10 * Self.m,
                                  readyCondition: C(status: .false, lastTransitionTime: Self.now - 9 * Self.m - 50 * Self.s),
                                  request: 1, metric: Self.metric())) == .ready)
        // a missing pod
        #expect(Self.group(HPAPod(phase: .succeeded, startTime: Self.now - 3 * Self.m, readyCondition: nil,
                                  request: 1, metric: nil)) == .missing)
        // several pods: lucretius unready, niccolo ready, epicurus missing
        let several = [
            HPAPod(phase: .succeeded, startTime: Self.now, readyCondition: nil, request: 1, metric: Self.metric()),
            HPAPod(phase: .succeeded, startTime: Self.now - 3 * Self.m,
                   readyCondition: C(status: .true, lastTransitionTime: Self.now - 3 * Self.m), request: 1,
                   metric: Self.metric()),
            HPAPod(phase: .succeeded, startTime: Self.now - 3 * Self.m, readyCondition: nil, request: 1, metric: nil),
        ]
        #expect(several.map { Self.group($0) } == [.unready, .ready, .missing])
        // pending pods are unreadied
        #expect(Self.group(HPAPod(phase: .pending, startTime: nil, readyCondition: nil, request: 1, metric: nil))
                == .unready)
        // ignore pods with deletion timestamps
        #expect(Self.group(HPAPod(phase: .pending, isTerminating: true, startTime: nil, readyCondition: nil,
                                  request: 1, metric: Self.metric())) == .ignored)
        // ignore pods in a failed state
        #expect(Self.group(HPAPod(phase: .failed, startTime: nil, readyCondition: nil, request: 1,
                                  metric: Self.metric())) == .ignored)
    }

    @Test("boundary instants: Go's After/Before are strict")
    func boundaries() {
        typealias C = HPAPodCondition
        // Started exactly cpuInitializationPeriod ago: start + 2 min is not After(now), so the
        // post-initialization rule applies and a Ready pod counts even with an old sample.
        let started = Self.now - 2 * Self.m
        let stale = Self.metric(Self.now - 90 * Self.s, window: Self.m)
        #expect(Self.group(HPAPod(startTime: started, readyCondition: C(status: .true, lastTransitionTime: started),
                                  request: 1, metric: stale)) == .ready)
        #expect(Self.group(HPAPod(startTime: started + 1, readyCondition: C(status: .true, lastTransitionTime: started),
                                  request: 1, metric: stale)) == .unready)
        // Within initialization: a sample ending exactly one window after the transition is
        // fresh (not Before); 1 ns earlier it is not.
        let lt = Self.now - Self.m
        #expect(Self.group(HPAPod(startTime: lt, readyCondition: C(status: .true, lastTransitionTime: lt), request: 1,
                                  metric: Self.metric(lt + 30 * Self.s, window: 30 * Self.s))) == .ready)
        #expect(Self.group(HPAPod(startTime: lt, readyCondition: C(status: .true, lastTransitionTime: lt), request: 1,
                                  metric: Self.metric(lt + 30 * Self.s - 1, window: 30 * Self.s))) == .unready)
        // After initialization, not Ready: unready only if it turned unready less than the
        // readiness delay after start.
        let start = Self.now - 10 * Self.m
        #expect(Self.group(HPAPod(startTime: start, readyCondition: C(status: .false, lastTransitionTime: start + 10 * Self.s),
                                  request: 1, metric: Self.metric())) == .ready)
        #expect(Self.group(HPAPod(startTime: start,
                                  readyCondition: C(status: .false, lastTransitionTime: start + 10 * Self.s - 1),
                                  request: 1, metric: Self.metric())) == .unready)
        // Unknown status is neither True nor False (Go compares with ConditionFalse).
        #expect(Self.group(HPAPod(startTime: start, readyCondition: C(status: .unknown, lastTransitionTime: start),
                                  request: 1, metric: Self.metric())) == .ready)
    }
}
