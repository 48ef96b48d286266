import Foundation

/// The relative change a baseline gate accepts, written `5%` or `0.05`.
public struct Tolerance: Sendable, Equatable, CustomStringConvertible {
    /// As a fraction: 0.05 for 5 %.
    public var fraction: Double

    public init(fraction: Double) { self.fraction = fraction }

    /// Parses `5%`, `0.5 %` or a fraction in [0, 1] such as `0.05`; nil for anything else
    /// (a bare `5` is refused: 5 % and 500 % are both plausible readings).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast().trimmingCharacters(in: .whitespaces)), p.isFinite, p >= 0 else { return nil }
            fraction = p / 100
        } else {
            guard let f = Double(t), f.isFinite, f >= 0, f <= 1 else { return nil }
            fraction = f
        }
    }

    public var description: String { Report.num(fraction * 100) + " %" }
}
