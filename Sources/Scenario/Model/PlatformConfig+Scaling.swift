import SimCore

extension PlatformConfig {
    /// `services.<svc>.scale_on` and `services.<svc>.behavior` (both optional: absent, the
    /// pool scales on CPU with the legacy normalization, as before they existed).
    static func decodeScaling(_ n: SchemaReader, into service: inout Service, service k: Int, errors: inout [ScenarioError]) {
        if n.given("scale_on") != nil {
            let on = n.object("scale_on")
            service.lagPerPod = on.optional("lag_per_pod", \.doubleValue)
            service.rpsPerPod = on.optional("rps_per_pod", \.doubleValue)
            if k == 0, let node = on.given("lag_per_pod") {
                errors.append(ScenarioError(node.location, path: "services.\(serviceNames[k]).scale_on.lag_per_pod",
                                            "order_service consumes no Kafka topic, so it has no consumer lag",
                                            fix: "scale order_service on rps_per_pod, or set lag_per_pod on location_service or matching_service"))
            }
        }
        if n.given("behavior") != nil {
            let b = n.object("behavior")
            func rules(_ key: String) -> ScalingRules? {
                guard b.given(key) != nil else { return nil }
                let r = b.object(key)
                var policies: [(percent: Bool, value: Int, period: SimTime)]? = nil
                if r.given("policies") != nil {
                    policies = r.items("policies").map { p in (p.string("type") == "percent", p.int("value"), p.duration("period")) }
                    for (i, p) in (policies ?? []).enumerated() where p.period > 1800 * SimUnit.second {
                        errors.append(ScenarioError(r.given("policies")?.items?[i].location ?? n.node?.location ?? SourceLocation(file: "", line: 0, column: 0),
                                                    path: "services.\(serviceNames[k]).behavior.\(key).policies[\(i)].period",
                                                    "a policy period is at most 30 min (1800 s) in autoscaling/v2", fix: "use a period of 1s to 30min"))
                    }
                }
                return ScalingRules(stabilizationWindow: r.optional("stabilization_window", \.durationValue),
                                    selectPolicy: r.optional("select_policy", \.stringValue), policies: policies)
            }
            service.behavior = (rules("scale_up"), rules("scale_down"))
        }
    }
}
