import Testing
import Platform

private let now = HPAFixture.now
private let minute = HPAFixture.minute
private let second = HPAFixture.second
private func rec(_ replicas: Int32, _ ago: Nanoseconds) -> HPARecommendation {
    HPARecommendation(replicas: replicas, timestamp: now - ago)
}
private func rules(_ pods: Int32, _ podsPeriod: Int32, _ percent: Int32, _ percentPeriod: Int32,
                   _ window: Int32) -> HPAScalingRules {
    HPAFixture.rules(pods: pods, podsPeriod: podsPeriod, percent: percent, percentPeriod: percentPeriod,
                     stabilizationWindow: window)
}
private func hpa(recommendations: [HPARecommendation]? = nil, up: [HPAScaleEvent] = [], down: [HPAScaleEvent] = [],
                 behavior: HPABehavior? = nil) -> HorizontalPodAutoscaler {
    HorizontalPodAutoscaler(spec: HPASpec(minReplicas: 1, maxReplicas: 1_000, targetAverageUtilization: 50,
                                          behavior: behavior),
                            configuration: HPAFixture.horizontalTestController,
                            history: HPAHistory(recommendations: recommendations, scaleUpEvents: up,
                                                scaleDownEvents: down))
}

/// `TestScalingWithRules` (horizontal_test.go): `convertDesiredReplicasWithBehaviorRate` with
/// `GenerateHPAScaleUpRules/DownRules` applied to the case's rules.
struct ScalingRulesCase: Sendable, CustomTestStringConvertible {
    var name: String
    var up: [HPAScaleEvent] = []
    var down: [HPAScaleEvent] = []
    var min: Int32
    var max: Int32
    var scaleUp: HPAScalingRules? = nil
    var scaleDown: HPAScalingRules? = nil
    var current: Int32
    var desired: Int32
    var expected: Int32
    var condition: String
    var testDescription: String { name }
}

private func ue(_ raw: [Int32], _ period: Int) -> [HPAScaleEvent] { HPAFixture.uniformEvents(raw, periodSeconds: period) }

private let scalingRulesCases: [ScalingRulesCase] = [
    .init(name: "prenormalized desired replicas within range", min: 3, max: 8, current: 5, desired: 7,
          expected: 7, condition: "DesiredWithinRange"),
    .init(name: "prenormalized desired replicas < minReplicas", min: 2, max: 8, current: 3, desired: 1,
          expected: 2, condition: "TooFewReplicas"),
    .init(name: "prenormalized desired replicas within range when minReplicas is 0", min: 0, max: 10, current: 1,
          desired: 0, expected: 0, condition: "DesiredWithinRange"),
    .init(name: "maxReplicas is the limit because maxReplicas < scaleUpLimit", min: 1, max: 10, current: 20,
          desired: 1_000, expected: 10, condition: "TooManyReplicas"),
    .init(name: "desired replica count is more than the maximum replica count", min: 100, max: 150, current: 100,
          desired: 1_000, expected: 150, condition: "TooManyReplicas"),
    .init(name: "scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies", min: 1,
          max: 2_000, scaleUp: rules(0, 0, 1, 60, 0), current: 3, desired: 1_000, expected: 4,
          condition: "ScaleUpLimit"),
    // Skipped upstream (testThis: true); the expectation follows from the same algorithm.
    .init(name: "scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies",
          min: 3, max: 2_000, scaleDown: rules(20, 60, 0, 0, 0), current: 1_000, desired: 3, expected: 980,
          condition: "ScaleDownLimit"),
    .init(name: "scaleUp with default behavior", min: 1, max: 1_000, current: 10, desired: 50, expected: 20,
          condition: "ScaleUpLimit"),
    .init(name: "scaleUp with pods policy larger than percent policy", min: 1, max: 1_000,
          scaleUp: rules(100, 60, 100, 60, 0), current: 10, desired: 500, expected: 110, condition: "ScaleUpLimit"),
    .init(name: "scaleUp with percent policy larger than pods policy", min: 1, max: 1_000,
          scaleUp: rules(2, 60, 100, 60, 0), current: 10, desired: 500, expected: 20, condition: "ScaleUpLimit"),
    .init(name: "scaleUp with spec MaxReplicas limitation with large pod policy", min: 1, max: 1_000,
          scaleUp: rules(100, 60, 0, 0, 0), current: 10, desired: 50, expected: 50, condition: "DesiredWithinRange"),
    .init(name: "scaleUp with spec MaxReplicas limitation with large percent policy", min: 1, max: 1_000,
          scaleUp: rules(10_000, 60, 0, 0, 0), current: 10, desired: 50, expected: 50,
          condition: "DesiredWithinRange"),
    .init(name: "scaleUp with pod policy limitation", min: 1, max: 1_000, scaleUp: rules(30, 60, 0, 0, 0),
          current: 10, desired: 50, expected: 40, condition: "ScaleUpLimit"),
    .init(name: "scaleUp with percent policy limitation", min: 1, max: 1_000, scaleUp: rules(0, 0, 200, 60, 0),
          current: 10, desired: 50, expected: 30, condition: "ScaleUpLimit"),
    .init(name: "scaleDown with percent policy larger than pod policy", min: 1, max: 1_000,
          scaleDown: rules(20, 60, 1, 60, 300), current: 100, desired: 2, expected: 80, condition: "ScaleDownLimit"),
    .init(name: "scaleDown with pod policy larger than percent policy", min: 1, max: 1_000,
          scaleDown: rules(2, 60, 1, 60, 300), current: 100, desired: 2, expected: 98, condition: "ScaleDownLimit"),
    .init(name: "scaleDown with spec MinReplicas=nil limitation with large pod policy", min: 1, max: 1_000,
          scaleDown: rules(100, 60, 0, 0, 300), current: 10, desired: 0, expected: 1, condition: "TooFewReplicas"),
    .init(name: "scaleDown with spec MinReplicas limitation with large percent policy", min: 5, max: 1_000,
          scaleDown: rules(0, 0, 100, 60, 300), current: 10, desired: 2, expected: 5, condition: "TooFewReplicas"),
    .init(name: "scaleDown with pod policy limitation", min: 1, max: 1_000, scaleDown: rules(5, 60, 0, 0, 300),
          current: 10, desired: 2, expected: 5, condition: "ScaleDownLimit"),
    .init(name: "scaleDown with percent policy limitation", min: 1, max: 1_000, scaleDown: rules(0, 0, 50, 60, 300),
          current: 10, desired: 5, expected: 5, condition: "DesiredWithinRange"),
    .init(name: "scaleUp with spec MaxReplicas limitation with large pod policy and events", up: ue([1, 5, 9], 120),
          min: 1, max: 200, scaleUp: rules(300, 60, 0, 0, 0), current: 100, desired: 500, expected: 200,
          condition: "TooManyReplicas"),
    .init(name: "scaleUp with spec MaxReplicas limitation with large percent policy and events",
          up: ue([1, 5, 9], 120), min: 1, max: 200, scaleUp: rules(0, 0, 10_000, 60, 0), current: 100,
          desired: 500, expected: 200, condition: "TooManyReplicas"),
    .init(name: "scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events",
          up: ue([1, 5, 9], 120), min: 1, max: 1_000, scaleUp: rules(5, 120, 0, 0, 0), current: 100, desired: 500,
          expected: 100, condition: "ScaleUpLimit"),
    .init(name: "scaleUp with pod policy and previous scale up events", up: ue([1, 5, 9], 120), min: 1, max: 1_000,
          scaleUp: rules(150, 120, 0, 0, 0), current: 100, desired: 500, expected: 235, condition: "ScaleUpLimit"),
    .init(name: "scaleUp with percent policy and previous scale up events", up: ue([1, 5, 9], 120), min: 1,
          max: 1_000, scaleUp: rules(0, 0, 200, 120, 0), current: 100, desired: 500, expected: 255,
          condition: "ScaleUpLimit"),
    .init(name: "scaleUp with percent policy and previous scale up and down events", up: ue([4], 120),
          down: ue([2], 120), min: 1, max: 1_000, scaleUp: rules(0, 0, 300, 300, 0), current: 6, desired: 24,
          expected: 16, condition: "ScaleUpLimit"),
    .init(name: "scaleDown with default policy and previous events", down: ue([1, 5, 9], 120), min: 1, max: 1_000,
          current: 10, desired: 5, expected: 5, condition: "DesiredWithinRange"),
    .init(name: "scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
          down: ue([1, 5, 9], 120), min: 1, max: 1_000, scaleDown: rules(115, 120, 0, 0, 300), current: 100,
          desired: 0, expected: 1, condition: "TooFewReplicas"),
    .init(name: "scaleDown with spec MinReplicas limitation with large pod policy and previous events",
          down: ue([1, 5, 9], 120), min: 5, max: 1_000, scaleDown: rules(130, 120, 0, 0, 300), current: 100,
          desired: 0, expected: 5, condition: "TooFewReplicas"),
    .init(name: "scaleDown with spec MinReplicas limitation with large percent policy and previous events",
          down: ue([1, 5, 9], 120), min: 5, max: 1_000, scaleDown: rules(0, 0, 100, 120, 300), current: 100,
          desired: 2, expected: 5, condition: "TooFewReplicas"),
    .init(name: "scaleDown with pod policy limitation and previous events", down: ue([1, 5, 9], 120), min: 1,
          max: 1_000, scaleDown: rules(5, 120, 0, 0, 300), current: 100, desired: 2, expected: 100,
          condition: "ScaleDownLimit"),
    .init(name: "scaleDown with percent policy limitation and previous events", down: ue([2, 4, 6], 120), min: 1,
          max: 1_000, scaleDown: rules(0, 0, 50, 120, 300), current: 100, desired: 0, expected: 56,
          condition: "ScaleDownLimit"),
    .init(name: "scaleDown with percent policy and previous scale up and down events", up: ue([2], 120),
          down: ue([4], 120), min: 1, max: 1_000, scaleDown: rules(0, 0, 50, 180, 0), current: 10, desired: 1,
          expected: 6, condition: "ScaleDownLimit"),
    .init(name: "scaleDown with previous events preventing further scale down", down: ue([10, 10, 10], 120), min: 1,
          max: 1_000, scaleDown: rules(0, 0, 10, 120, 300), current: 100, desired: 0, expected: 100,
          condition: "ScaleDownLimit"),
    .init(name: "scaleDown with with previous events still allowing more scale down", down: ue([10, 10, 10], 120),
          min: 1, max: 1_000, scaleDown: rules(0, 0, 1_000, 120, 300), current: 10, desired: 5, expected: 5,
          condition: "DesiredWithinRange"),
    .init(name: "check 'outdated' flag for events for one behavior for up", up: ue([8, 12, 9, 11], 120), min: 1,
          max: 1_000, scaleUp: rules(1_000, 60, 0, 0, 0), current: 100, desired: 200, expected: 200,
          condition: "DesiredWithinRange"),
    .init(name: "check that events were not marked 'outdated' for two different policies in the behavior for up",
          up: ue([8, 12, 9, 11], 120), min: 1, max: 1_000, scaleUp: rules(1_000, 120, 100, 60, 0), current: 100,
          desired: 200, expected: 200, condition: "DesiredWithinRange"),
    .init(name: "check that events were marked 'outdated' for two different policies in the behavior for up",
          up: ue([8, 12, 9, 11], 120), min: 1, max: 1_000, scaleUp: rules(1_000, 30, 100, 60, 0), current: 100,
          desired: 200, expected: 200, condition: "DesiredWithinRange"),
    .init(name: "check 'outdated' flag for events for one behavior for down", down: ue([8, 12, 9, 11], 120), min: 1,
          max: 1_000, scaleDown: rules(1_000, 60, 0, 0, 300), current: 100, desired: 5, expected: 5,
          condition: "DesiredWithinRange"),
    .init(name: "check that events were not marked 'outdated' for two different policies in the behavior for down",
          down: ue([8, 12, 9, 11], 120), min: 1, max: 1_000, scaleDown: rules(1_000, 120, 100, 60, 300), current: 100,
          desired: 5, expected: 5, condition: "DesiredWithinRange"),
    .init(name: "check that events were marked 'outdated' for two different policies in the behavior for down",
          down: ue([8, 12, 9, 11], 120), min: 1, max: 1_000, scaleDown: rules(1_000, 30, 100, 60, 300), current: 100,
          desired: 5, expected: 5, condition: "DesiredWithinRange"),
]

/// `TestNormalizeDesiredReplicasWithBehavior`: `stabilizeRecommendationWithBehaviors` with the
/// case's windows (0 when the Go case leaves them unset).
struct BehaviorStabilizationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var recommendations: [HPARecommendation]
    var current: Int32
    var desired: Int32
    var expected: Int32
    var expectedRecommendations: [Int32]?
    var upWindow: Int32 = 0
    var downWindow: Int32 = 0
    var testDescription: String { name }
}

private let behaviorStabilizationCases: [BehaviorStabilizationCase] = [
    .init(name: "empty recommendations for scaling down", recommendations: [], current: 100, desired: 5,
          expected: 5, expectedRecommendations: [5]),
    .init(name: "simple scale down stabilization", recommendations: [rec(4, 2 * minute), rec(5, minute)],
          current: 100, desired: 3, expected: 5, expectedRecommendations: [4, 5, 3], downWindow: 180),
    .init(name: "simple scale up stabilization", recommendations: [rec(4, 2 * minute), rec(5, minute)],
          current: 1, desired: 7, expected: 4, expectedRecommendations: [4, 5, 7], upWindow: 300),
    .init(name: "no scale down stabilization", recommendations: [rec(1, 2 * minute), rec(2, minute)],
          current: 100, desired: 3, expected: 3, expectedRecommendations: [1, 2, 3], upWindow: 300),
    .init(name: "no scale up stabilization", recommendations: [rec(4, 2 * minute), rec(5, minute)],
          current: 1, desired: 3, expected: 3, expectedRecommendations: [4, 5, 3], downWindow: 300),
    .init(name: "no scale down stabilization, reuse recommendation element",
          recommendations: [rec(10, 10 * minute), rec(9, 9 * minute)], current: 100, desired: 3, expected: 3,
          expectedRecommendations: [10, 3]),
    .init(name: "no scale up stabilization, reuse recommendation element",
          recommendations: [rec(10, 10 * minute), rec(9, 9 * minute)], current: 1, desired: 100, expected: 100,
          expectedRecommendations: [10, 100]),
    .init(name: "scale down stabilization, reuse one of obsolete recommendation element",
          recommendations: [rec(10, 10 * minute), rec(4, minute), rec(5, 2 * minute), rec(9, 9 * minute)],
          current: 100, desired: 3, expected: 5, expectedRecommendations: [10, 4, 5, 3], downWindow: 180),
    .init(name: "scale up stabilization, reuse one of obsolete recommendation element",
          recommendations: [rec(10, 100 * minute), rec(6, minute), rec(5, 2 * minute), rec(9, 3 * minute)],
          current: 1, desired: 100, expected: 5, expectedRecommendations: [100, 6, 5, 9], upWindow: 300),
    .init(name: "scale up and down stabilization, do not scale up when prenormalized rec goes down",
          recommendations: [rec(2, 100 * minute), rec(3, 3 * minute)], current: 2, desired: 1, expected: 2,
          expectedRecommendations: nil, upWindow: 300, downWindow: 300),
    .init(name: "scale up and down stabilization, do not scale down when prenormalized rec goes up",
          recommendations: [rec(2, 100 * minute), rec(1, 3 * minute)], current: 2, desired: 3, expected: 2,
          expectedRecommendations: nil, upWindow: 300, downWindow: 300),
]

@Suite("HPA normalization (horizontal_test.go replays)")
struct HPANormalizationTests {
    @Test("TestNormalizeDesiredReplicas (legacy stabilization and log reuse)")
    func legacyStabilization() {
        let cases: [(String, [HPARecommendation], Int32, Int32, Int)] = [
            ("empty log", [], 5, 5, 1),
            ("stabilize", [rec(4, 2 * minute), rec(5, minute)], 3, 5, 3),
            ("no stabilize", [rec(1, 2 * minute), rec(2, minute)], 3, 3, 3),
            ("no stabilize - old recommendations", [rec(10, 10 * minute), rec(9, 9 * minute)], 3, 3, 2),
            ("stabilize - old recommendations",
             [rec(10, 10 * minute), rec(4, minute), rec(5, 2 * minute), rec(9, 9 * minute)], 3, 5, 4),
        ]
        for (name, recs, desired, expected, logLength) in cases {
            var h = hpa(recommendations: recs)
            #expect(h.stabilizeRecommendation(now: now, desiredReplicas: desired) == expected, "\(name)")
            #expect(h.history.recommendations?.count == logLength, "\(name)")
        }
    }

    @Test("TestNormalizeDesiredReplicasWithBehavior", arguments: behaviorStabilizationCases)
    func behaviorStabilization(_ c: BehaviorStabilizationCase) {
        var h = hpa(recommendations: c.recommendations)
        let (replicas, _) = h.stabilizeRecommendationWithBehaviors(
            now: now, currentReplicas: c.current, desiredReplicas: c.desired,
            scaleUpWindowSeconds: c.upWindow, scaleDownWindowSeconds: c.downWindow)
        #expect(replicas == c.expected)
        if let expectedRecommendations = c.expectedRecommendations {
            #expect(h.history.recommendations?.map(\.replicas) == expectedRecommendations)
        }
    }

    @Test("TestScalingWithRules", arguments: scalingRulesCases)
    func scalingWithRules(_ c: ScalingRulesCase) {
        let h = hpa(up: c.up, down: c.down)
        let (replicas, condition) = h.convertDesiredReplicasWithBehaviorRate(
            now: now, currentReplicas: c.current, desiredReplicas: c.desired, minReplicas: c.min, maxReplicas: c.max,
            scaleUp: HPAScalingRules.filledScaleUp(c.scaleUp), scaleDown: HPAScalingRules.filledScaleDown(c.scaleDown))
        #expect(replicas == c.expected)
        #expect(condition == c.condition)
    }

    @Test("TestConvertDesiredReplicasWithRules (scaleUpLimitFactor 8, as horizontal_test.go sets it)")
    func convertWithRules() {
        let cases: [(Int32, Int32, Int32, Int32, Int32, String)] = [
            (5, 7, 3, 8, 7, "DesiredWithinRange"),
            (3, 1, 2, 8, 2, "TooFewReplicas"),
            (1, 0, 0, 10, 0, "DesiredWithinRange"),
            (20, 1_000, 1, 10, 10, "TooManyReplicas"),
            (3, 1_000, 1, 2_000, 24, "ScaleUpLimit"),   // calculateScaleUpLimit(3) = max(8*3, 4)
        ]
        for (current, desired, minR, maxR, expected, condition) in cases {
            let (got, reason) = HorizontalPodAutoscaler.convertDesiredReplicasWithRules(
                currentReplicas: current, desiredReplicas: desired, minReplicas: minR, maxReplicas: maxR,
                scaleUpLimitFactor: 8, scaleUpLimitMinimum: 4)
            #expect(got == expected && reason == condition, "\(current) \(desired)")
        }
        // With the production factor 2: max(2 * current, 4) (kubernetes `horizontal.go`,
        // `convertDesiredReplicasWithRules`: scaleUpLimitFactor 2.0, scaleUpLimitMinimum 4.0).
        #expect(HorizontalPodAutoscaler.legacyScaleUpLimit(currentReplicas: 1, factor: 2, minimum: 4) == 4)
        #expect(HorizontalPodAutoscaler.legacyScaleUpLimit(currentReplicas: 3, factor: 2, minimum: 4) == 6)
    }

    @Test("TestCalculateScaleUpLimitWithScalingRules and TestCalculateScaleDownLimitWithBehaviors")
    func limitsWithMinPolicy() {
        let r = HPAScalingRules(stabilizationWindowSeconds: 300, selectPolicy: .min,
                                policies: [.pods(2, periodSeconds: 60), .percent(50, periodSeconds: 60)])
        #expect(HorizontalPodAutoscaler.scaleUpLimit(currentReplicas: 1, scaleUpEvents: [], scaleDownEvents: [],
                                                     rules: r, now: now) == 2)
        #expect(HorizontalPodAutoscaler.scaleDownLimit(currentReplicas: 5, scaleUpEvents: [], scaleDownEvents: [],
                                                       rules: r, now: now) == 3)
    }

    @Test("TestStoreScaleEvents (both directions)")
    func storeScaleEvents() {
        typealias E = HPAScaleEvent
        func ev(_ change: Int32, _ secondsAgo: Int64, _ outdated: Bool = false) -> E {
            E(replicaChange: change, timestamp: now - secondsAgo * second, outdated: outdated)
        }
        let cases: [(String, [E], [(Int32, Bool)], HPAScalingRules?, Int32)] = [
            ("empty entries with default behavior", [], [], nil, 0),
            ("empty entries with two-policy-behavior", [], [(5, false)], rules(10, 60, 100, 60, 0), 0),
            ("one outdated entry to be kept untouched without behavior", [ev(7, 61)], [(7, false)], nil, 0),
            ("one outdated entry to be replaced with behavior", [ev(7, 61)], [(5, false)], rules(10, 60, 100, 60, 0), 0),
            ("one actual entry to be not touched with behavior", [ev(7, 58)], [(7, false), (5, false)],
             rules(10, 60, 100, 60, 0), 7),
            ("two entries, one of them to be replaced", [ev(7, 61), ev(6, 59)], [(5, false), (6, false)],
             rules(10, 60, 0, 0, 0), 6),
            ("replace one entry, use policies with different periods", [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
             [(8, false), (6, false), (7, true), (5, false)], rules(10, 60, 100, 30, 0), 14),
            ("two entries, both actual", [ev(7, 58), ev(6, 59)], [(7, false), (6, false), (5, false)],
             rules(10, 120, 100, 30, 0), 13),
        ]
        for (name, previous, expected, scalingRules, expectedChange) in cases {
            // scale up: 10 -> 15
            var up = hpa(up: previous, behavior: scalingRules.map { HPABehavior(scaleUp: $0) })
            #expect(HorizontalPodAutoscaler.replicasChange(periodSeconds: 60, events: up.history.scaleUpEvents,
                                                           now: now) == expectedChange, "\(name)")
            up.storeScaleEvent(now: now, previousReplicas: 10, newReplicas: 15)
            #expect(up.history.scaleUpEvents.map { [$0.replicaChange, $0.outdated ? 1 : 0] }
                    == expected.map { [$0.0, $0.1 ? 1 : 0] }, "up: \(name)")
            // scale down: 10 -> 5
            var down = hpa(down: previous, behavior: scalingRules.map { HPABehavior(scaleDown: $0) })
            #expect(HorizontalPodAutoscaler.replicasChange(periodSeconds: 60, events: down.history.scaleDownEvents,
                                                           now: now) == expectedChange, "\(name)")
            down.storeScaleEvent(now: now, previousReplicas: 10, newReplicas: 5)
            #expect(down.history.scaleDownEvents.map { [$0.replicaChange, $0.outdated ? 1 : 0] }
                    == expected.map { [$0.0, $0.1 ? 1 : 0] }, "down: \(name)")
        }
    }

    @Test("API defaults for behavior (defaults.go) and the per-direction tolerance")
    func defaults() {
        let up = HPAScalingRules.filledScaleUp(nil)
        #expect(up == HPAScalingRules(stabilizationWindowSeconds: 0, selectPolicy: .max,
                                      policies: [.pods(4, periodSeconds: 15), .percent(100, periodSeconds: 15)]))
        let down = HPAScalingRules.filledScaleDown(HPAScalingRules(selectPolicy: .disabled))
        #expect(down == HPAScalingRules(stabilizationWindowSeconds: nil, selectPolicy: .disabled,
                                        policies: [.percent(100, periodSeconds: 15)]))
        let h = HorizontalPodAutoscaler(spec: HPASpec(maxReplicas: 10, targetAverageUtilization: 70,
                                                      behavior: HPABehavior(scaleDown: HPAScalingRules(tolerance: 0.05))))
        #expect(h.scaleDownRules.stabilizationWindowSeconds == 300)
        #expect(h.tolerances == HPATolerances(scaleDown: 0.05, scaleUp: 0.1))
    }
}
