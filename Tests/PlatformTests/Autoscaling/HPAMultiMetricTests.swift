import Testing
import Platform

private let now = HPAFixture.now
private let k: Int64 = 1_000

/// A `horizontal_test.go` case with custom or external metrics (`metricsTarget`), replayed
/// through `reconcile` with the Go test's numbers. `CPUTarget > 0` puts a CPU Utilization
/// metric first, as the Go harness does. External `reportedLevels` are one series; Pods
/// `reportedLevels` are per pod.
struct MultiMetricCase: Sendable, CustomTestStringConvertible {
    var name: String
    var minReplicas: Int32
    var maxReplicas: Int32
    var specReplicas: Int32
    var statusReplicas: Int
    var cpuTarget: Int32 = 0
    var metrics: [HPAMetricSpec]
    var requests: [Int64]? = nil
    var cpuLevels: [Int64] = []
    var podLevels: [Int64] = []
    var externalLevels: [Int64] = []
    var readiness: [HPAConditionStatus]? = nil
    var startTimes: [Instant]? = nil
    var recommendations: [HPARecommendation]? = nil
    var expectedDesired: Int32
    var expectedConditions: HPAConditions? = nil
    var testDescription: String { name }
}

private let qps15 = HPAMetricSpec.pods(name: "qps", averageValueMilli: 15_000)
private let T = HPAConditionStatus.true
private let F = HPAConditionStatus.false
private let statusOk = HPAConditions(ableToScale: "SucceededRescale", scalingActive: (true, "ValidMetricFound"),
                                     scalingLimited: (false, "DesiredWithinRange"))

private let multiCases: [MultiMetricCase] = [
    .init(name: "TestScaleUpCM", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metrics: [qps15],
          requests: [k, k, k], podLevels: [20_000, 10_000, 30_000], expectedDesired: 4),
    .init(name: "TestScaleUpCMUnreadyAndHotCpuNoLessScale", minReplicas: 2, maxReplicas: 6, specReplicas: 3,
          statusReplicas: 3, metrics: [qps15], requests: [k, k, k], podLevels: [50_000, 10_000, 30_000],
          readiness: [T, T, F], startTimes: [HPAFixture.cool, HPAFixture.cool, HPAFixture.hot], expectedDesired: 6),
    // proposal 7 (31666 / 15000 × 3), capped by maxReplicas 6
    .init(name: "TestScaleUpCMUnreadyandCpuHot", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3,
          metrics: [qps15], requests: [k, k, k], podLevels: [50_000, 15_000, 30_000], readiness: [F, T, F],
          startTimes: [HPAFixture.hot, HPAFixture.cool, HPAFixture.hot], expectedDesired: 6,
          expectedConditions: HPAConditions(ableToScale: "SucceededRescale", scalingActive: (true, "ValidMetricFound"),
                                            scalingLimited: (true, "TooManyReplicas"))),
    .init(name: "TestScaleUpCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3,
          metrics: [.externalValue(name: "qps", valueMilli: 6_666)], externalLevels: [8_600], expectedDesired: 4),
    .init(name: "TestScaleUpPerPodCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3,
          metrics: [.externalAverageValue(name: "qps", averageValueMilli: 2_222)], externalLevels: [8_600],
          expectedDesired: 4),
    .init(name: "TestScaleDownCM", minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5,
          metrics: [.pods(name: "qps", averageValueMilli: 20_000)], requests: [k, k, k, k, k],
          podLevels: Array(repeating: 12_000, count: 5), recommendations: [], expectedDesired: 3),
    .init(name: "TestScaleDownCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5,
          metrics: [.externalValue(name: "qps", valueMilli: 14_400)], externalLevels: [8_600], recommendations: [],
          expectedDesired: 3),
    .init(name: "TestScaleDownToZeroCMExternal", minReplicas: 0, maxReplicas: 6, specReplicas: 5, statusReplicas: 5,
          metrics: [.externalValue(name: "qps", valueMilli: 14_400)], externalLevels: [0], recommendations: [],
          expectedDesired: 0),
    .init(name: "TestScaleDownPerPodCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5,
          metrics: [.externalAverageValue(name: "qps", averageValueMilli: 3_000)], externalLevels: [8_600],
          recommendations: [], expectedDesired: 3),
    .init(name: "TestToleranceCM", minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3,
          metrics: [.pods(name: "qps", averageValueMilli: 20_000)], requests: [900, 1_000, 1_100],
          podLevels: [20_000, 20_001, 21_000], expectedDesired: 3,
          expectedConditions: HPAConditions(ableToScale: "ReadyForNewScale", scalingActive: (true, "ValidMetricFound"),
                                            scalingLimited: (false, "DesiredWithinRange"))),
    .init(name: "TestToleranceCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4,
          metrics: [.externalValue(name: "qps", valueMilli: 8_666)], externalLevels: [8_600], expectedDesired: 4,
          expectedConditions: HPAConditions(ableToScale: "ReadyForNewScale", scalingActive: (true, "ValidMetricFound"),
                                            scalingLimited: (false, "DesiredWithinRange"))),
    .init(name: "TestTolerancePerPodCMExternal", minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4,
          metrics: [.externalAverageValue(name: "qps", averageValueMilli: 2_200)], externalLevels: [8_600],
          expectedDesired: 4,
          expectedConditions: HPAConditions(ableToScale: "ReadyForNewScale", scalingActive: (true, "ValidMetricFound"),
                                            scalingLimited: (false, "DesiredWithinRange"))),
    // Go's invalid metric is an unknown type ("CheddarCheese"); here it is an External metric
    // the external metrics API returns nothing for. CPU alone proposes 4 (40% of 30%).
    .init(name: "TestScaleUpOneMetricInvalid", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3,
          cpuTarget: 30, metrics: [.externalValue(name: "absent", valueMilli: 1_000)], requests: [k, k, k],
          cpuLevels: [300, 400, 500], expectedDesired: 4),
    // Every metric invalid: no change, ScalingActive=False with the first failure's reason
    // (Go: "InvalidMetricSourceType" for its unknown type; here the External reason).
    .init(name: "TestScaleUpBothMetricsEmpty", minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3,
          metrics: [.externalValue(name: "absent", valueMilli: 1_000)], requests: [k, k, k], expectedDesired: 3,
          expectedConditions: HPAConditions(ableToScale: "SucceededGetScale",
                                            scalingActive: (false, "FailedGetExternalMetric"))),
]

@Suite("HPA with several metrics (horizontal.go computeReplicasForMetrics)")
struct HPAMultiMetricTests {
    static func run(_ c: MultiMetricCase) -> (HPADecision, HorizontalPodAutoscaler) {
        var metrics = c.metrics
        if c.cpuTarget > 0 { metrics.insert(.resourceUtilization(.cpu, averageUtilization: c.cpuTarget), at: 0) }
        var hpa = HorizontalPodAutoscaler(spec: HPASpec(minReplicas: c.minReplicas, maxReplicas: c.maxReplicas,
                                                        metrics: metrics),
                                          configuration: HPAFixture.horizontalTestController,
                                          history: HPAHistory(recommendations: c.recommendations))
        let pods = HPAFixture.horizontalPods(statusReplicas: c.statusReplicas, requests: c.requests, levels: c.cpuLevels,
                                             readiness: c.readiness, startTimes: c.startTimes)
        var readings = HPAMetricReadings()
        if !c.podLevels.isEmpty {
            readings.podMetrics.append(HPAPodMetricReading(
                name: "qps", values: pods.indices.map { $0 < c.podLevels.count ? c.podLevels[$0] : nil }))
        }
        if !c.externalLevels.isEmpty {
            readings.externalMetrics.append(HPAExternalMetricReading(name: "qps", values: c.externalLevels))
        }
        let d = hpa.reconcile(now: now, currentReplicas: c.specReplicas, pods: pods, readings: readings)
        return (d, hpa)
    }

    @Test("desired replicas and conditions as in Kubernetes", arguments: multiCases)
    func replay(_ c: MultiMetricCase) {
        let (d, _) = Self.run(c)
        #expect(d.desiredReplicas == c.expectedDesired)
        #expect(d.rescaled == (c.expectedDesired != c.specReplicas))
        #expect(d.conditions == (c.expectedConditions ?? statusOk))
    }

    /// Three metrics on 4 pods, each proposal computed by hand:
    /// CPU 600m of 1000m = 60% vs 50% -> ratio 1.2 -> ceil(1.2 × 4) = 5;
    /// rps 150/pod vs 100 -> 1.5 -> ceil(1.5 × 4) = 6;
    /// lag 7000 over 4 pods vs 1000/pod -> 1.75 (outside 0.1) -> ceil(7000/1000) = 7.
    /// The largest, 7, is taken; the legacy cap max(2 × 4, 4) = 8 does not bind.
    @Test("the largest proposal wins, and the reason names its metric")
    func maxOverMetrics() {
        let spec = HPASpec(minReplicas: 1, maxReplicas: 20, metrics: [
            .resourceUtilization(.cpu, averageUtilization: 50),
            .pods(name: "rps", averageValueMilli: 100_000),
            .externalAverageValue(name: "lag", averageValueMilli: 1_000_000),
        ])
        var hpa = HorizontalPodAutoscaler(spec: spec, history: HPAHistory(recommendations: []))
        let pods = (0..<4).map { _ in
            HPAPod.running(request: 1_000, usage: 600, startedAt: now - 10 * HPAFixture.minute,
                           readySince: now - 10 * HPAFixture.minute, metricTimestamp: now, metricWindow: HPAFixture.minute)
        }
        var readings = HPAMetricReadings()
        readings.setPodValues("rps") { v in for _ in 0..<4 { v.append(150_000) } }
        readings.setExternal("lag", total: 7_000_000)
        let d = hpa.reconcile(now: now, currentReplicas: 4, pods: pods, readings: readings)
        #expect(d.metricDesiredReplicas == 7 && d.desiredReplicas == 7 && d.rescaled)
        #expect(d.metricIndex == 2)
        #expect(d.reasonMessage(spec: spec) == "external metric lag above target")
        #expect(d.currentUtilization == 60 && d.currentAverageValue == 600)
        #expect(hpa.currentMetrics == [
            HPAMetricStatus(proposedReplicas: 5, averageUtilization: 60, averageValue: 600),
            HPAMetricStatus(proposedReplicas: 6, averageValue: 150_000),
            HPAMetricStatus(proposedReplicas: 7, averageValue: 1_750_000),
        ])

        // The lag falls to 2000: proposals 5, 6, 2 -> rps (6) wins.
        readings.setExternal("lag", total: 2_000_000)
        var again = HorizontalPodAutoscaler(spec: spec, history: HPAHistory(recommendations: []))
        let d2 = again.reconcile(now: now, currentReplicas: 4, pods: pods, readings: readings)
        #expect(d2.desiredReplicas == 6 && d2.metricIndex == 1)
        #expect(d2.reasonMessage(spec: spec) == "pods metric rps above target")
    }

    /// horizontal.go: "If all metrics are invalid or some are invalid and we would scale down,
    /// return an error". CPU alone would go from 5 to 2 (20% vs 50%: ceil(0.4 × 5) = 2); with
    /// the lag metric missing the controller holds. With the lag present (proposal 3), it
    /// scales to 3.
    @Test("an invalid metric blocks a scale-down but not a scale-up")
    func invalidMetricBlocksScaleDown() {
        let spec = HPASpec(minReplicas: 1, maxReplicas: 20, metrics: [
            .resourceUtilization(.cpu, averageUtilization: 50),
            .externalAverageValue(name: "lag", averageValueMilli: 1_000_000),
        ])
        let pods = (0..<5).map { _ in
            HPAPod.running(request: 1_000, usage: 200, startedAt: now - 10 * HPAFixture.minute,
                           readySince: now - 10 * HPAFixture.minute, metricTimestamp: now, metricWindow: HPAFixture.minute)
        }
        var hpa = HorizontalPodAutoscaler(spec: spec, history: HPAHistory(recommendations: []))
        let blocked = hpa.reconcile(now: now, currentReplicas: 5, pods: pods, readings: .none)
        #expect(blocked.reason == .metricsUnavailable && !blocked.rescaled && blocked.desiredReplicas == 5)
        #expect(blocked.error == .noExternalMetricsReturned && blocked.invalidMetrics == 1)
        #expect(blocked.conditions == HPAConditions(ableToScale: "SucceededGetScale",
                                                   scalingActive: (false, "FailedGetExternalMetric")))
        #expect(hpa.currentMetrics[0].proposedReplicas == 2 && hpa.currentMetrics[1].error == .noExternalMetricsReturned)

        var readings = HPAMetricReadings()
        readings.setExternal("lag", total: 3_000_000)  // 3000 over 5 pods: 0.6 -> ceil(3) = 3
        var ok = HorizontalPodAutoscaler(spec: spec, history: HPAHistory(recommendations: []))
        let scaled = ok.reconcile(now: now, currentReplicas: 5, pods: pods, readings: readings)
        #expect(scaled.desiredReplicas == 3 && scaled.reason == .allMetricsBelowTarget && scaled.invalidMetrics == 0)
    }

    @Test("the single-metric API is the one-metric list; an empty list is the CPU 80% default")
    func singleMetricAPI() {
        let old = HPASpec(minReplicas: 2, maxReplicas: 9, targetAverageUtilization: 70)
        #expect(old.metrics == [.resourceUtilization(.cpu, averageUtilization: 70)])
        #expect(old.targetAverageUtilization == 70 && old.resource == .cpu)
        #expect(HPASpec(maxReplicas: 3, metrics: []).metrics == [.resourceUtilization(.cpu, averageUtilization: 80)])
        #expect(HorizontalPodAutoscaler.statusReplicas(of: HPAFixture.replicaCalcPods(
            currentReplicas: 4, requests: [], levels: [], phases: [.running, .pending, .failed, .succeeded],
            deleting: [false, false, false, false])) == 2)
    }
}
