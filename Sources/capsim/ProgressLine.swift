import Foundation

/// One steady progress line on stderr (only when stderr is a terminal): the aggregate of
/// every unit of work in flight, so parallel replications or sweep points move one number
/// forward instead of taking turns (`1/2 47%` → `2/2 48%` → `1/2 84%`).
///
/// `update(unit, fraction)` may be called from any thread; the line is redrawn only when the
/// whole percentage changes, so a fast model is not slowed by terminal writes.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let what: String
    private var fractions: [Double]
    private var shown = -1

    /// `units` pieces of work (replications, points), counted as `what` in the line.
    init(label: String, units: Int, what: String = "replications") {
        self.label = label
        self.what = what
        fractions = Array(repeating: 0, count: max(1, units))
    }

    /// A progress line when stderr is a terminal, else nil (no output in pipes and CI logs).
    static func onTerminal(_ label: String, units: Int, what: String = "replications") -> ProgressLine? {
        Console.stderrIsTerminal ? ProgressLine(label: label, units: units, what: what) : nil
    }

    /// Unit `i` is `fraction` (0…1) done.
    func update(_ i: Int, _ fraction: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard fractions.indices.contains(i) else { return }
        fractions[i] = max(fractions[i], min(1, fraction))
        let total = fractions.reduce(0, +) / Double(fractions.count)
        let pct = Int(total * 100)
        guard pct != shown else { return }
        shown = pct
        let done = fractions.filter { $0 >= 1 }.count
        let line = "\r\(label): \(pct)% (\(done)/\(fractions.count) \(what) done)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
