// Stabilization and rate limits of the HPA controller: the legacy path (no `behavior`) and
// the behavior path, transcribed from kubernetes/kubernetes
// `pkg/controller/podautoscaler/horizontal.go`. Comparisons keep Go's strictness:
// `Before(cutoff)` is `<`, `After(cutoff)` is `>`.

extension HorizontalPodAutoscaler {
    // MARK: Legacy normalization (spec.behavior == nil)

    /// `normalizeDesiredReplicas`: stabilize (rolling maximum over the downscale window), then
    /// clamp to `[minReplicas, min(maxReplicas, scaleUpLimit)]`.
    /// - Returns: the replicas, the `AbleToScale` reason and the `ScalingLimited` condition.
    public mutating func normalizeDesiredReplicas(now: Instant, currentReplicas: Int32, desiredReplicas: Int32,
                                                  minReplicas: Int32)
        -> (replicas: Int32, ableToScale: String, limited: (status: Bool, reason: String)) {
        let stabilized = stabilizeRecommendation(now: now, desiredReplicas: desiredReplicas)
        let ableToScale = stabilized != desiredReplicas ? "ScaleDownStabilized" : "ReadyForNewScale"
        let (replicas, reason) = Self.convertDesiredReplicasWithRules(
            currentReplicas: currentReplicas, desiredReplicas: stabilized, minReplicas: minReplicas,
            maxReplicas: spec.maxReplicas, scaleUpLimitFactor: configuration.scaleUpLimitFactor,
            scaleUpLimitMinimum: configuration.scaleUpLimitMinimum)
        return (replicas, ableToScale, (replicas != stabilized, reason))
    }

    /// `stabilizeRecommendation`: the maximum of `desiredReplicas` and every recommendation not
    /// older than the downscale stabilization window (a record exactly at the cutoff counts);
    /// then stores `desiredReplicas`, overwriting the last record older than the window if
    /// there is one, else appending.
    public mutating func stabilizeRecommendation(now: Instant, desiredReplicas: Int32) -> Int32 {
        var maxRecommendation = desiredReplicas
        var oldSampleIndex = -1
        let cutoff = now &- configuration.downscaleStabilizationWindow
        var recommendations = history.recommendations ?? []
        for (i, rec) in recommendations.enumerated() {
            if rec.timestamp < cutoff {
                oldSampleIndex = i
            } else if rec.replicas > maxRecommendation {
                maxRecommendation = rec.replicas
            }
        }
        let record = HPARecommendation(replicas: desiredReplicas, timestamp: now)
        if oldSampleIndex >= 0 {
            recommendations[oldSampleIndex] = record
        } else {
            recommendations.append(record)
        }
        history.recommendations = recommendations
        return maxRecommendation
    }

    /// `calculateScaleUpLimit`: `int32(max(factor × current, minimum))`.
    public static func legacyScaleUpLimit(currentReplicas: Int32, factor: Double, minimum: Double) -> Int32 {
        _hpaTruncToInt32(max(factor * Double(currentReplicas), minimum))
    }

    /// `convertDesiredReplicasWithRules`: clamp to `[minReplicas, min(maxReplicas, scaleUpLimit)]`.
    /// - Returns: the replicas and the `ScalingLimited` reason ("DesiredWithinRange",
    ///   "TooFewReplicas", "TooManyReplicas", "ScaleUpLimit").
    public static func convertDesiredReplicasWithRules(currentReplicas: Int32, desiredReplicas: Int32,
                                                       minReplicas: Int32, maxReplicas: Int32,
                                                       scaleUpLimitFactor: Double = 2.0,
                                                       scaleUpLimitMinimum: Double = 4.0) -> (Int32, String) {
        let scaleUpLimit = legacyScaleUpLimit(currentReplicas: currentReplicas, factor: scaleUpLimitFactor,
                                              minimum: scaleUpLimitMinimum)
        let maximumAllowed: Int32
        var limitReason: String
        if maxReplicas > scaleUpLimit {
            maximumAllowed = scaleUpLimit
            limitReason = "ScaleUpLimit"
        } else {
            maximumAllowed = maxReplicas
            limitReason = "TooManyReplicas"
        }
        if desiredReplicas < minReplicas {
            limitReason = "TooFewReplicas"
            return (minReplicas, limitReason)
        } else if desiredReplicas > maximumAllowed {
            return (maximumAllowed, limitReason)
        }
        return (desiredReplicas, "DesiredWithinRange")
    }

    // MARK: Behavior normalization (spec.behavior != nil)

    /// `normalizeDesiredReplicasWithBehaviors`: stabilize with the scale-up and scale-down
    /// windows, then apply the rate policies and `[minReplicas, maxReplicas]`.
    public mutating func normalizeDesiredReplicasWithBehaviors(now: Instant, currentReplicas: Int32,
                                                               desiredReplicas: Int32, minReplicas: Int32)
        -> (replicas: Int32, ableToScale: String, limited: (status: Bool, reason: String)) {
        let up = scaleUpRules
        let down = scaleDownRules
        let (stabilized, stabilizedReason) = stabilizeRecommendationWithBehaviors(
            now: now, currentReplicas: currentReplicas, desiredReplicas: desiredReplicas,
            scaleUpWindowSeconds: up.stabilizationWindowSeconds ?? 0,
            scaleDownWindowSeconds: down.stabilizationWindowSeconds ?? 0)
        let ableToScale = stabilized != desiredReplicas ? stabilizedReason : "ReadyForNewScale"
        let (replicas, reason) = convertDesiredReplicasWithBehaviorRate(
            now: now, currentReplicas: currentReplicas, desiredReplicas: stabilized,
            minReplicas: minReplicas, maxReplicas: spec.maxReplicas, scaleUp: up, scaleDown: down)
        return (replicas, ableToScale, (replicas != stabilized, reason))
    }

    /// `stabilizeRecommendationWithBehaviors`: `up` = min of `desiredReplicas` and the
    /// recommendations newer than `now - scaleUpWindow`; `down` = max of `desiredReplicas` and
    /// those newer than `now - scaleDownWindow` (a record exactly at a cutoff does not count).
    /// The result is `currentReplicas` raised to `up` and lowered to `down`. Stores
    /// `desiredReplicas`, overwriting the last record older than both windows, else appending.
    /// - Returns: the stabilized replicas and "ScaleUpStabilized" (desired >= current) or
    ///   "ScaleDownStabilized".
    public mutating func stabilizeRecommendationWithBehaviors(now: Instant, currentReplicas: Int32,
                                                              desiredReplicas: Int32,
                                                              scaleUpWindowSeconds: Int32,
                                                              scaleDownWindowSeconds: Int32) -> (Int32, String) {
        var oldSampleIndex = -1
        var upRecommendation = desiredReplicas
        let upCutoff = now &- Int64(scaleUpWindowSeconds) &* TimeUnit.second
        var downRecommendation = desiredReplicas
        let downCutoff = now &- Int64(scaleDownWindowSeconds) &* TimeUnit.second
        var recommendations = history.recommendations ?? []
        for (i, rec) in recommendations.enumerated() {
            if rec.timestamp > upCutoff { upRecommendation = min(rec.replicas, upRecommendation) }
            if rec.timestamp > downCutoff { downRecommendation = max(rec.replicas, downRecommendation) }
            if rec.timestamp < upCutoff && rec.timestamp < downCutoff { oldSampleIndex = i }
        }
        var recommendation = currentReplicas
        if recommendation < upRecommendation { recommendation = upRecommendation }
        if recommendation > downRecommendation { recommendation = downRecommendation }
        let record = HPARecommendation(replicas: desiredReplicas, timestamp: now)
        if oldSampleIndex >= 0 {
            recommendations[oldSampleIndex] = record
        } else {
            recommendations.append(record)
        }
        history.recommendations = recommendations
        let reason = desiredReplicas >= currentReplicas ? "ScaleUpStabilized" : "ScaleDownStabilized"
        return (recommendation, reason)
    }

    /// `convertDesiredReplicasWithBehaviorRate`: limit a change to what the policies allow
    /// given the changes already made within each policy's period, and to
    /// `[minReplicas, maxReplicas]`.
    /// - Parameters:
    ///   - scaleUp, scaleDown: filled rules (`HPAScalingRules.filledScaleUp/Down`).
    /// - Returns: the replicas and the `ScalingLimited` reason ("DesiredWithinRange",
    ///   "ScaleUpLimit", "TooManyReplicas", "ScaleDownLimit", "TooFewReplicas").
    public func convertDesiredReplicasWithBehaviorRate(now: Instant, currentReplicas: Int32, desiredReplicas: Int32,
                                                       minReplicas: Int32, maxReplicas: Int32,
                                                       scaleUp: HPAScalingRules,
                                                       scaleDown: HPAScalingRules) -> (Int32, String) {
        if desiredReplicas > currentReplicas {
            var scaleUpLimit = Self.scaleUpLimit(currentReplicas: currentReplicas,
                                                 scaleUpEvents: history.scaleUpEvents,
                                                 scaleDownEvents: history.scaleDownEvents,
                                                 rules: scaleUp, now: now)
            // No further scale-up until the recent scale-up events age out.
            if scaleUpLimit < currentReplicas { scaleUpLimit = currentReplicas }
            let maximumAllowed: Int32
            let reason: String
            if maxReplicas > scaleUpLimit {
                maximumAllowed = scaleUpLimit
                reason = "ScaleUpLimit"
            } else {
                maximumAllowed = maxReplicas
                reason = "TooManyReplicas"
            }
            if desiredReplicas > maximumAllowed { return (maximumAllowed, reason) }
        } else if desiredReplicas < currentReplicas {
            var scaleDownLimit = Self.scaleDownLimit(currentReplicas: currentReplicas,
                                                     scaleUpEvents: history.scaleUpEvents,
                                                     scaleDownEvents: history.scaleDownEvents,
                                                     rules: scaleDown, now: now)
            // No further scale-down until the recent scale-down events age out.
            if scaleDownLimit > currentReplicas { scaleDownLimit = currentReplicas }
            let minimumAllowed: Int32
            let reason: String
            if minReplicas < scaleDownLimit {
                minimumAllowed = scaleDownLimit
                reason = "ScaleDownLimit"
            } else {
                minimumAllowed = minReplicas
                reason = "TooFewReplicas"
            }
            if desiredReplicas < minimumAllowed { return (minimumAllowed, reason) }
        }
        return (desiredReplicas, "DesiredWithinRange")
    }

    /// `getReplicasChangePerPeriod`: sum of the changes of the events newer than
    /// `now - periodSeconds` (an event exactly at the cutoff does not count).
    public static func replicasChange(periodSeconds: Int32, events: [HPAScaleEvent], now: Instant) -> Int32 {
        let cutoff = now &- Int64(periodSeconds) &* TimeUnit.second
        var replicas: Int32 = 0
        for event in events where event.timestamp > cutoff { replicas &+= event.replicaChange }
        return replicas
    }

    /// `calculateScaleUpLimitWithScalingRules`: for each policy, from the replica count at the
    /// start of its period, `start + value` (Pods) or `ceil(start × (1 + value/100))` (Percent);
    /// the largest (`Max`) or smallest (`Min`); `Disabled` gives `currentReplicas`.
    public static func scaleUpLimit(currentReplicas: Int32, scaleUpEvents: [HPAScaleEvent],
                                    scaleDownEvents: [HPAScaleEvent], rules: HPAScalingRules, now: Instant) -> Int32 {
        let select = rules.selectPolicy ?? .max
        if select == .disabled { return currentReplicas }
        var result: Int32 = select == .min ? Int32.max : Int32.min
        for policy in rules.policies ?? [] {
            let added = replicasChange(periodSeconds: policy.periodSeconds, events: scaleUpEvents, now: now)
            let removed = replicasChange(periodSeconds: policy.periodSeconds, events: scaleDownEvents, now: now)
            let periodStart = currentReplicas &- added &+ removed
            let proposed: Int32
            switch policy.type {
            case .pods:
                proposed = periodStart &+ policy.value
            case .percent:
                // rounded up, or a small percentage of a small count would never add a pod
                proposed = _hpaCeilToInt32(Double(periodStart) * (1 + Double(policy.value) / 100))
            }
            result = select == .min ? min(result, proposed) : max(result, proposed)
        }
        return result
    }

    /// `calculateScaleDownLimitWithBehaviors`: for each policy, `start - value` (Pods) or
    /// `int32(start × (1 - value/100))` (Percent, truncated); `Max` takes the smallest
    /// (largest change), `Min` the largest; `Disabled` gives `currentReplicas`.
    public static func scaleDownLimit(currentReplicas: Int32, scaleUpEvents: [HPAScaleEvent],
                                      scaleDownEvents: [HPAScaleEvent], rules: HPAScalingRules, now: Instant) -> Int32 {
        let select = rules.selectPolicy ?? .max
        if select == .disabled { return currentReplicas }
        var result: Int32 = select == .min ? Int32.min : Int32.max
        for policy in rules.policies ?? [] {
            let added = replicasChange(periodSeconds: policy.periodSeconds, events: scaleUpEvents, now: now)
            let removed = replicasChange(periodSeconds: policy.periodSeconds, events: scaleDownEvents, now: now)
            let periodStart = currentReplicas &- added &+ removed
            let proposed: Int32
            switch policy.type {
            case .pods:
                proposed = periodStart &- policy.value
            case .percent:
                proposed = _hpaTruncToInt32(Double(periodStart) * (1 - Double(policy.value) / 100))
            }
            result = select == .min ? max(result, proposed) : min(result, proposed)
        }
        return result
    }

    // MARK: Scale events

    /// `storeScaleEvent`: with a `behavior`, records the change in the scale-up or scale-down
    /// list, reusing the last slot older than that direction's longest policy period (older
    /// events are flagged `outdated` first); without a `behavior` nothing is stored.
    public mutating func storeScaleEvent(now: Instant, previousReplicas: Int32, newReplicas: Int32) {
        guard spec.behavior != nil else { return }
        if newReplicas > previousReplicas {
            Self._store(HPAScaleEvent(replicaChange: newReplicas &- previousReplicas, timestamp: now),
                        in: &history.scaleUpEvents, longestPeriodSeconds: scaleUpRules.longestPolicyPeriodSeconds,
                        now: now)
        } else {
            Self._store(HPAScaleEvent(replicaChange: previousReplicas &- newReplicas, timestamp: now),
                        in: &history.scaleDownEvents,
                        longestPeriodSeconds: scaleDownRules.longestPolicyPeriodSeconds, now: now)
        }
    }

    /// `markScaleEventsOutdated` + slot reuse.
    static func _store(_ event: HPAScaleEvent, in events: inout [HPAScaleEvent], longestPeriodSeconds: Int32,
                       now: Instant) {
        let cutoff = now &- Int64(longestPeriodSeconds) &* TimeUnit.second
        var oldSampleIndex = -1
        for i in events.indices {
            if events[i].timestamp < cutoff { events[i].outdated = true }
            if events[i].outdated { oldSampleIndex = i }
        }
        if oldSampleIndex >= 0 {
            events[oldSampleIndex] = event
        } else {
            events.append(event)
        }
    }
}
