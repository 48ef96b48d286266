/// The verdict of one check of `capsim check`: an SLO, a baseline comparison, or the
/// model's invariants. `message` names the metric, its figure and the limit, so a failed
/// CI job says what broke without opening any file.
public struct GateCheck: Sendable, Equatable {
    public enum Kind: String, Sendable { case slo, baseline, invariants }

    public var scenario: String
    public var kind: Kind
    /// Short name for JUnit's testcase (`server.wait p99`, the SLO's label).
    public var name: String
    public var passed: Bool
    /// One line: figure, limit and, on failure, by how much.
    public var message: String
    /// Why a failed check failed, in plain words (the model's findings on the same endpoint
    /// and region), printed under it.
    public var causes: [String]

    public init(scenario: String, kind: Kind, name: String, passed: Bool, message: String, causes: [String] = []) {
        self.scenario = scenario; self.kind = kind; self.name = name; self.passed = passed; self.message = message; self.causes = causes
    }

    /// The printed line: `FAIL  mmc: slo server.wait p99 = 9876 ms, limit ≤ 4000 ms (exceeded by 147 %)`.
    public var line: String { "\(passed ? "PASS" : "FAIL")  \(scenario): \(message)" }

    /// The line and, for a failure, one `cause:` line per cause.
    public var lines: [String] { [line] + (passed ? [] : causes.map { "      cause: " + $0 }) }
}
