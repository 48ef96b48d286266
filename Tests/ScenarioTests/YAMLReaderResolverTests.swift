import Foundation
import Testing
import Yams
@testable import Scenario

/// `YAMLReader` composes with Yams' basic resolver (no tag rules) to skip compiling the
/// default resolver's regular expressions. The oracle: the same conversion of the node tree
/// the default resolver composes. Every scenario file in the repository and a document of
/// every scalar kind the default resolver tags (booleans, integers, floats, nulls,
/// timestamps, merge keys, quoted look-alikes, anchors and aliases) must give the identical
/// tree: values, quoting, keys, lines and columns.
@Suite struct YAMLReaderResolverTests {
    static let kinds = """
        a: yes
        b: [true, False, on, OFF, ~, null, NULL, '']
        c: { i: 0x1F, j: -12, k: 1_000, l: 0o17, m: +3 }
        d: [1.5, -.inf, .NaN, 6.02e23, 1e-9, "2.5"]
        e: 2026-12-03T16:08:00Z
        base: &base { x: 1, y: "two" }
        f: { <<: *base, z: 3 }
        g: |
          text kept
        h: 'single'
        i: 7.2/s
        """

    func dump(_ n: ConfigNode) -> String {
        let at = "@\(n.location.line):\(n.location.column)"
        switch n.value {
        case .null: return "null" + at
        case .scalar(let s, let quoted): return (quoted ? "q" : "p") + "(\(s))" + at
        case .sequence(let items): return "[" + items.map(dump).joined(separator: ",") + "]" + at
        case .mapping(let entries):
            return "{" + entries.map { "\($0.key)@\($0.keyLocation.line):\($0.keyLocation.column)=\(dump($0.node))" }
                .joined(separator: ",") + "}" + at
        }
    }

    func withDefaultResolver(_ text: String, file: String) throws -> ConfigNode {
        let node = try #require(try Yams.compose(yaml: text, .default))
        var budget = YAMLReader.maxNodes
        return try YAMLReader.convert(node, file: file, path: "", depth: 0, budget: &budget)
    }

    @Test func basicResolverGivesTheDefaultResolversTree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var texts = [("kinds.yaml", Self.kinds)]
        for dir in ["scenarios", "scenarios/validation", "scenarios/whatif", "bench"] {
            let path = root.appendingPathComponent(dir).path
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path))?.sorted() ?? [] where name.hasSuffix(".yaml") {
                texts.append((dir + "/" + name, try String(contentsOfFile: path + "/" + name, encoding: .utf8)))
            }
        }
        #expect(texts.count > 5, "the repository's scenario files must be found")
        for (file, text) in texts {
            #expect(dump(try YAMLReader.parse(text, file: file)) == dump(try withDefaultResolver(text, file: file)), "\(file)")
        }
    }
}
