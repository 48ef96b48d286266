/// The full grid of a sweep: every combination of the parameters' values.
public enum SweepGrid {
    /// Largest grid a sweep runs; beyond it the command is almost certainly a typo.
    public static let maxPoints = 10_000

    /// Value indices of every point, the last parameter varying fastest (row-major), so
    /// points that differ only in the first parameter are spread evenly through the list.
    public static func points(_ parameters: [SweepParameter]) -> [[Int]] {
        var out: [[Int]] = [[]]
        for p in parameters {
            out = out.flatMap { prefix in p.values.indices.map { prefix + [$0] } }
        }
        return parameters.isEmpty ? [] : out
    }

    /// The `--set` overrides of one point.
    public static func overrides(_ parameters: [SweepParameter], _ point: [Int]) -> [String] {
        zip(parameters, point).map { "\($0.path)=\($0.values[$1])" }
    }

    /// Checks the grid: at least one parameter, no path twice, not too many points.
    public static func validate(_ parameters: [SweepParameter]) throws(SweepInputError) {
        guard !parameters.isEmpty else { throw SweepInputError(message: "give at least one --param path=v1,v2,...") }
        var paths: [String] = []
        for p in parameters {
            if paths.contains(p.path) { throw SweepInputError(message: "--param \(p.path) is given twice; list all its values in one --param") }
            paths.append(p.path)
        }
        let n = parameters.reduce(1) { $0 * $1.values.count }
        if n > maxPoints { throw SweepInputError(message: "the grid has \(n) points, more than \(maxPoints); sweep fewer values") }
    }
}
