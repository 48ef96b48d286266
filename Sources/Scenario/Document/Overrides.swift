/// `--set path=value` on the command line: replaces (or adds) one value in the merged
/// scenario. The path is dotted (`kafka.location_updates.partitions`); list items are
/// addressed by index (`slos.0.max`). The value is YAML, so `--set 'demand={orders_per_hour: 9000}'`
/// sets a whole mapping.
public enum Overrides {
    public static func apply(_ assignment: String, to tree: ConfigNode) throws(ScenarioErrors) -> ConfigNode {
        let where_ = SourceLocation(file: "--set \(assignment)", line: 0, column: 0)
        guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
            throw ScenarioErrors([ScenarioError(where_, path: "", "an override must look like path=value",
                                                fix: "write e.g. --set kafka.location_updates.partitions=24")])
        }
        let path = String(assignment[..<eq])
        let text = String(assignment[assignment.index(after: eq)...])
        var value = try YAMLReader.parse(text.isEmpty ? "''" : text, file: "--set \(path)")
        relocate(&value, to: where_)
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "extends" {
            throw ScenarioErrors([ScenarioError(where_, path: path, "extends cannot be set on the command line (the base is merged while the file loads, before --set applies)",
                                                fix: "write `extends:` in a scenario file and run that file")])
        }
        if parts.contains(where: { $0.isEmpty }) {
            throw ScenarioErrors([ScenarioError(where_, path: path, "the path has an empty part",
                                                fix: "separate keys with single dots, e.g. services.order_service.max")])
        }
        return try set(parts[...], value, in: tree, full: path, at: where_)
    }

    static func relocate(_ node: inout ConfigNode, to loc: SourceLocation) {
        node.location = loc
        switch node.value {
        case .mapping(var e):
            for i in e.indices { e[i].keyLocation = loc; relocate(&e[i].node, to: loc) }
            node.value = .mapping(e)
        case .sequence(var s):
            for i in s.indices { relocate(&s[i], to: loc) }
            node.value = .sequence(s)
        default: break
        }
    }

    static func set(_ parts: ArraySlice<String>, _ value: ConfigNode, in node: ConfigNode, full: String, at loc: SourceLocation) throws(ScenarioErrors) -> ConfigNode {
        guard let key = parts.first else { return value }
        let rest = parts.dropFirst()
        switch node.value {
        case .mapping(var entries):
            if let i = entries.firstIndex(where: { $0.key == key }) {
                entries[i].node = try set(rest, value, in: entries[i].node, full: full, at: loc)
            } else {
                let empty = ConfigNode(.mapping([]), at: loc)
                entries.append(ConfigNode.Entry(key: key, keyLocation: loc, node: try set(rest, value, in: empty, full: full, at: loc)))
            }
            return ConfigNode(.mapping(entries), at: node.location)
        case .sequence(var items):
            guard let i = Int(key), items.indices.contains(i) else {
                throw ScenarioErrors([ScenarioError(loc, path: full, "'\(key)' is not an index of this list (it has \(items.count) items)",
                                                    fix: "use an index from 0 to \(max(0, items.count - 1))")])
            }
            items[i] = try set(rest, value, in: items[i], full: full, at: loc)
            return ConfigNode(.sequence(items), at: node.location)
        case .null:
            return try set(parts, value, in: ConfigNode(.mapping([]), at: loc), full: full, at: loc)
        case .scalar:
            throw ScenarioErrors([ScenarioError(loc, path: full, "cannot set '\(key)' inside the value \(node.kindName)",
                                                fix: "override the enclosing key instead")])
        }
    }
}
