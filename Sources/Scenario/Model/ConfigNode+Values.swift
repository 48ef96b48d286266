import SimCore

/// Typed reads of already-validated nodes. Validation has checked every value, so a read
/// that still fails is a schema/decoder mismatch: it falls back to nil and the caller's
/// default, and a test (`ScenarioTests`) loads every bundled scenario to catch that.
extension ConfigNode {
    public var stringValue: String? { scalar }
    public var boolValue: Bool? { scalar.flatMap { $0 == "true" ? true : $0 == "false" ? false : nil } }
    public var intValue: Int? { scalar.flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } }
    public var int64Value: Int64? { scalar.flatMap { Int64($0.replacingOccurrences(of: "_", with: "")) } }
    public var doubleValue: Double? { scalar.flatMap(Double.init) }
    public var durationValue: SimTime? { scalar.flatMap { try? Units.duration($0).get() } }
    public var rateValue: Double? { scalar.flatMap { try? Units.rate($0).get() } }
    public var percentageValue: Double? { scalar.flatMap { try? Units.percentage($0).get() } }
    public var speedValue: Double? { scalar.flatMap { try? Units.speed($0).get() } }
    public var distanceValue: Double? { scalar.flatMap { try? Units.distance($0).get() } }

    public func distribution(_ unit: DistributionUnit) -> Distribution? {
        try? DistributionParser.parse(self, unit: unit, path: "").get()
    }

    /// A duration or a plain number, as limits in SLOs are written.
    public var quantityValue: Quantity? {
        if let d = durationValue, let s = scalar, Double(s) == nil { return .duration(d) }
        return doubleValue.map { .number($0) }
    }
}

/// A limit that is either a duration or a plain number.
public enum Quantity: Sendable, Equatable, Codable {
    case duration(SimTime)
    case number(Double)

    /// The value in the unit metrics are reported in: nanoseconds for durations.
    public var value: Double {
        switch self {
        case .duration(let t): return Double(t)
        case .number(let x): return x
        }
    }
}
