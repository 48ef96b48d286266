import Foundation

/// Reads a scenario file, resolves `extends:` chains, applies `--set` overrides and
/// returns one merged `ConfigNode` tree.
///
/// `extends: base.yaml` (a path relative to the extending file) loads the base first and
/// deep-merges this file over it: mappings merge key by key, anything else (scalars,
/// lists) replaces. Chains are followed; a cycle is an error.
public enum ScenarioLoader {
    public static func load(path: String, overrides: [String] = []) throws(ScenarioErrors) -> ConfigNode {
        var tree = try loadFile(path, chain: [])
        for o in overrides { tree = try Overrides.apply(o, to: tree) }
        return tree
    }

    /// The longest `extends:` chain.
    static let maxChain = 32

    /// The file's absolute path with `.`, `..` and symbolic links resolved, so one file
    /// reached by two spellings (`d/a.yaml`, `d/../d/a.yaml`) is seen as one in a cycle.
    public static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// `from`: the `extends:` value that named this file (where a cycle is reported).
    static func loadFile(_ path: String, chain: [String], from: SourceLocation? = nil) throws(ScenarioErrors) -> ConfigNode {
        let standard = canonical(path)
        let here = SourceLocation(file: path, line: 0, column: 0)
        let naming = from ?? here
        if chain.count >= maxChain {
            throw ScenarioErrors([ScenarioError(naming, path: "extends", "the extends chain is longer than \(maxChain) files",
                                                fix: "shorten the chain of extends")])
        }
        if chain.contains(standard) {
            throw ScenarioErrors([ScenarioError(naming, path: "extends",
                                                "extends cycle: \((chain + [standard]).joined(separator: " -> "))",
                                                fix: "remove one of the extends lines so the chain ends")])
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else {
            throw ScenarioErrors([ScenarioError(here, path: "", "no such scenario file",
                                                fix: "check the path; scenario files live under scenarios/")])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ScenarioErrors([ScenarioError(here, path: "", "cannot read the file as UTF-8 text",
                                                fix: "save the scenario as UTF-8")])
        }
        var node = try YAMLReader.parse(text, file: path)
        guard case .mapping(var entries) = node.value else {
            throw ScenarioErrors([ScenarioError(node.location, path: "", "a scenario must be a mapping of keys, found \(node.kindName)",
                                                fix: "start the file with `name: my-scenario`")])
        }
        guard let i = entries.firstIndex(where: { $0.key == "extends" }) else { return node }
        let ext = entries[i]
        guard let basePath = ext.node.scalar else {
            throw ScenarioErrors([ScenarioError(ext.node.location, path: "extends", "extends takes one file path",
                                                fix: "write `extends: baseline.yaml`")])
        }
        entries.remove(at: i)
        node.value = .mapping(entries)
        let resolved = basePath.hasPrefix("/") ? basePath
            : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(basePath)
        let base: ConfigNode
        do {
            base = try loadFile(resolved, chain: chain + [standard], from: ext.node.location)
        } catch {
            if error.errors.count == 1, error.errors[0].message == "no such scenario file", error.errors[0].location.file == resolved {
                throw ScenarioErrors([ScenarioError(ext.node.location, path: "extends", "the base scenario '\(resolved)' does not exist",
                                                    fix: "give a path relative to this file, e.g. `extends: ../baseline.yaml`")])
            }
            throw error
        }
        return merge(base, node)
    }

    /// Deep merge: `overlay` wins; mappings merge recursively in base order, with new keys
    /// appended in overlay order.
    public static func merge(_ base: ConfigNode, _ overlay: ConfigNode) -> ConfigNode {
        guard case .mapping(var b) = base.value, case .mapping(let o) = overlay.value else { return overlay }
        for entry in o {
            if let i = b.firstIndex(where: { $0.key == entry.key }) {
                b[i] = ConfigNode.Entry(key: entry.key, keyLocation: entry.keyLocation, node: merge(b[i].node, entry.node))
            } else {
                b.append(entry)
            }
        }
        return ConfigNode(.mapping(b), at: overlay.location)
    }
}
