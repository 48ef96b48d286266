import Platform

/// Builders that reproduce the fake clients of the Kubernetes HPA unit tests, so their cases
/// can be replayed with their own numbers.
///
/// Times: Go's zero `metav1.Time` (an unset start/transition time, year 1) becomes instant 0;
/// "now" is `HPAFixture.now`, far later; `hotCPUCreationTime()` is `now`,
/// `coolCPUCreationTime()` is `now - 3 min` (kubernetes/kubernetes
/// `pkg/controller/podautoscaler/horizontal_test.go`).
enum HPAFixture {
    static let second = TimeUnit.second
    static let minute = TimeUnit.minute
    static let now: Instant = 1_000_000 * TimeUnit.second
    static let zero: Instant = 0
    static var hot: Instant { now }
    static var cool: Instant { now - 3 * minute }

    /// `defaultTestingTolerance`, `defaultTestingCPUInitializationPeriod` (2 min),
    /// `defaultTestingDelayOfInitialReadinessStatus` (10 s), the 5 min downscale window of
    /// `setupController`, and `scaleUpLimitFactor = 8` from `horizontal_test.go`'s `init()`.
    static var horizontalTestController: HPAControllerConfiguration {
        HPAControllerConfiguration(tolerance: 0.1, cpuInitializationPeriod: 2 * minute,
                                   initialReadinessDelay: 10 * second,
                                   downscaleStabilizationWindow: 5 * minute,
                                   scaleUpLimitFactor: 8, scaleUpLimitMinimum: 4)
    }

    /// Pods as `replica_calculator_test.go`'s `prepareTestClientSet` + `prepareTestMetricsClient`
    /// build them: `max(currentReplicas, len(podPhase))` pods with two containers, each
    /// container requesting `requests[i]` millicores (no request if `i >= requests.count`)
    /// and using `levels[i]` (metrics only for the first `levels.count` pods; metric
    /// timestamp = the zero `tc.timestamp`, window 1 min); Ready condition with the given
    /// status (default True) and a zero transition time; start time zero unless given.
    static func replicaCalcPods(currentReplicas: Int, requests: [Int64], levels: [Int64],
                                readiness: [HPAConditionStatus]? = nil, startTimes: [Instant]? = nil,
                                phases: [HPAPodPhase]? = nil, deleting: [Bool]? = nil) -> [HPAPod] {
        let count = max(currentReplicas, phases?.count ?? 0)
        return (0..<count).map { i in
            let ready: HPAConditionStatus = (readiness != nil && i < readiness!.count) ? readiness![i] : .true
            return HPAPod(phase: phases?[i] ?? .running,
                          isTerminating: deleting?[i] ?? false,
                          startTime: startTimes?[i] ?? zero,
                          readyCondition: HPAPodCondition(status: ready, lastTransitionTime: zero),
                          request: i < requests.count ? 2 * requests[i] : nil,
                          metric: i < levels.count
                              ? HPAPodMetric(value: 2 * levels[i], timestamp: zero, window: minute) : nil)
        }
    }

    /// Pods as `horizontal_test.go`'s `prepareTestClient` builds them: `len(reportedCPURequests)`
    /// pods (or `statusReplicas` if no requests are given, each requesting 1.0 CPU), each
    /// request split in two containers with integer division by 2; Ready condition (default
    /// True) whose transition time is the pod's start time (default zero); metrics for the
    /// first `levels.count` pods, each level split in two with integer division, timestamp
    /// `now`, window 1 min.
    static func horizontalPods(statusReplicas: Int, requests: [Int64]?, levels: [Int64],
                               readiness: [HPAConditionStatus]? = nil, startTimes: [Instant]? = nil,
                               phases: [HPAPodPhase]? = nil, deleting: [Bool]? = nil) -> [HPAPod] {
        let count = requests?.count ?? statusReplicas
        return (0..<count).map { i in
            let start = startTimes?[i] ?? zero
            let request = requests?[i] ?? 1_000
            return HPAPod(phase: phases?[i] ?? .running,
                          isTerminating: deleting?[i] ?? false,
                          startTime: start,
                          readyCondition: HPAPodCondition(status: readiness?[i] ?? .true, lastTransitionTime: start),
                          request: 2 * (request / 2),
                          metric: i < levels.count
                              ? HPAPodMetric(value: 2 * (levels[i] / 2), timestamp: now, window: minute) : nil)
        }
    }

    /// `generateEventsUniformDistribution(rawEvents, periodSeconds)`: event `idx` at
    /// `now - (period - seg*(idx+1) + seg/2)` seconds, `seg = period / n`, the float converted
    /// to a whole number of seconds by `time.Duration(float)` before `* time.Second`.
    static func uniformEvents(_ raw: [Int32], periodSeconds: Int, now: Instant = now) -> [HPAScaleEvent] {
        let segment = Double(periodSeconds) / Double(raw.count)
        return raw.enumerated().map { idx, change in
            let boundary = Int64(Double(periodSeconds) - segment * Double(idx + 1) + segment / 2)
            return HPAScaleEvent(replicaChange: change, timestamp: now - boundary * second)
        }
    }

    /// `generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow)`.
    static func rules(pods: Int32, podsPeriod: Int32, percent: Int32, percentPeriod: Int32,
                      stabilizationWindow: Int32) -> HPAScalingRules {
        var policies: [HPAScalingPolicy] = []
        if pods != 0 { policies.append(.pods(pods, periodSeconds: podsPeriod)) }
        if percent != 0 { policies.append(.percent(percent, periodSeconds: percentPeriod)) }
        // Go leaves Policies nil when both are 0; the defaults then fill them in.
        return HPAScalingRules(stabilizationWindowSeconds: stabilizationWindow, selectPolicy: .max,
                               policies: policies.isEmpty ? nil : policies)
    }
}
