/// All checks of one `capsim check`, in the order they ran.
public struct GateOutcome: Sendable, Equatable {
    public var checks: [GateCheck]
    public init(checks: [GateCheck] = []) { self.checks = checks }

    public var passed: Int { checks.filter(\.passed).count }
    public var failed: Int { checks.count - passed }
    /// The closing line CI and people both read: exactly `N passed, N failed`.
    public var summaryLine: String { "\(passed) passed, \(failed) failed" }
}
