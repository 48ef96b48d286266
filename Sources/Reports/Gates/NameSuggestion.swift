/// "Did you mean": the closest known metric name by edit distance, when it is close enough.
///
/// The same rule as the scenario loader's (Scenario's `Suggest`, which Reports may not
/// import): optimal-string-alignment distance, accepted up to max(2, a third of the name).
public enum NameSuggestion {
    public static func closest(_ word: String, among candidates: [String]) -> String? {
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(word.lowercased(), c.lowercased())
            if best == nil || d < best!.distance { best = (c, d) }
        }
        guard let best else { return nil }
        return best.distance <= max(2, best.name.count / 3) ? best.name : nil
    }

    /// Damerau–Levenshtein distance (optimal string alignment). - Complexity: O(|a|·|b|).
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
