import Foundation
import Yams

/// Parses YAML text into a `ConfigNode` tree that remembers file, line and column.
public enum YAMLReader {
    public static func parse(_ text: String, file: String) throws(ScenarioErrors) -> ConfigNode {
        let node: Node?
        do {
            // The basic resolver (no tag rules): `convert` reads each scalar's text and style,
            // never its resolved tag, so the tree is the same, and the default resolver's
            // regular expressions (compiled through ICU, about a tenth of a short run's
            // startup) are never built.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw ScenarioErrors([convert(error, file: file)])
        } catch {
            throw ScenarioErrors([ScenarioError(SourceLocation(file: file, line: 0, column: 0), path: "",
                                                "could not read YAML: \(error)", fix: "check the file is valid YAML")])
        }
        guard let node else {
            return ConfigNode(.mapping([]), at: SourceLocation(file: file, line: 1, column: 1))
        }
        var budget = maxNodes
        return try convert(node, file: file, path: "", depth: 0, budget: &budget)
    }

    /// The most values a document may hold once aliases are expanded, and the deepest
    /// nesting. A scenario has a few thousand values; an alias "bomb" (each anchor
    /// referring to the previous one several times) expands exponentially and is stopped
    /// here after `maxNodes` values, quickly and with little memory, since Yams shares an
    /// alias's node instead of copying it.
    public static let maxNodes = 200_000
    public static let maxDepth = 64

    static func limitError(_ loc: SourceLocation, _ path: String, _ message: String) -> ScenarioErrors {
        ScenarioErrors([ScenarioError(loc, path: path, message, fix: "write the values out plainly; aliases (*name) may not expand a document past these limits")])
    }

    static func location(_ mark: Mark?, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)
    }

    static func convert(_ node: Node, file: String, path: String, depth: Int, budget: inout Int) throws(ScenarioErrors) -> ConfigNode {
        let loc = location(node.mark, file)
        budget -= 1
        if budget < 0 {
            throw limitError(loc, path, "the document holds more than \(maxNodes) values (after expanding aliases)")
        }
        if depth > maxDepth {
            throw limitError(loc, path, "values are nested more than \(maxDepth) levels deep")
        }
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(s.string) {
                return ConfigNode(.null, at: loc)
            }
            return ConfigNode(.scalar(s.string, quoted: quoted), at: loc)
        case .mapping(let m):
            var entries: [ConfigNode.Entry] = []
            var errors: [ScenarioError] = []
            for (k, v) in m {
                guard case .scalar(let ks) = k else {
                    errors.append(ScenarioError(location(k.mark, file), path: path, "a key must be a plain name",
                                                fix: "write the key as text, e.g. `name: value`"))
                    continue
                }
                let childPath = path.isEmpty ? ks.string : path + "." + ks.string
                if let dup = entries.first(where: { $0.key == ks.string }) {
                    errors.append(ScenarioError(location(k.mark, file), path: childPath,
                                                "key '\(ks.string)' appears twice (first at line \(dup.keyLocation.line))",
                                                fix: "keep one of the two"))
                    continue
                }
                do {
                    entries.append(ConfigNode.Entry(key: ks.string, keyLocation: location(k.mark, file),
                                                    node: try convert(v, file: file, path: childPath, depth: depth + 1, budget: &budget)))
                } catch {
                    if budget < 0 { throw error }
                    errors += error.errors
                }
            }
            if !errors.isEmpty { throw ScenarioErrors(errors) }
            return ConfigNode(.mapping(entries), at: loc)
        case .sequence(let s):
            var items: [ConfigNode] = []
            for (i, n) in s.enumerated() { items.append(try convert(n, file: file, path: "\(path)[\(i)]", depth: depth + 1, budget: &budget)) }
            return ConfigNode(.sequence(items), at: loc)
        case .alias:
            return ConfigNode(.null, at: loc)
        }
    }

    static func convert(_ error: YamlError, file: String) -> ScenarioError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ScenarioError(location(mark, file), path: "", "YAML syntax: \(problem)",
                                 fix: "check indentation, colons and brackets near this line")
        case .reader(let problem, let offset, _, let yaml):
            // The reader reports a byte offset: count the lines before it.
            let before = yaml.utf8.prefix(max(0, offset ?? 0))
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return ScenarioError(SourceLocation(file: file, line: line, column: column), path: "", "YAML: \(problem)",
                                 fix: "remove control characters and save the file as UTF-8 text")
        case .duplicatedKeysInMapping(let dups, let ctx):
            return ScenarioError(location(ctx.mark, file), path: "", "duplicated keys: \(dups.joined(separator: ", "))",
                                 fix: "keep one of each key")
        default:
            return ScenarioError(SourceLocation(file: file, line: 0, column: 0), path: "", "YAML: \(error)",
                                 fix: "check the file is valid UTF-8 YAML")
        }
    }
}
