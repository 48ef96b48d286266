import SimCore

/// Where a value came from: a file and a 1-based line and column, or the command line.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file; self.line = line; self.column = column
    }

    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// A scenario document after YAML parsing: every node remembers where it was written,
/// so errors found after `extends:` merging and `--set` overrides still point at the
/// right file and line. Mappings keep their keys in file order.
public struct ConfigNode: Sendable {
    public indirect enum Value: Sendable {
        case null
        /// A scalar's text; `quoted` when written in quotes (then never a number).
        case scalar(String, quoted: Bool)
        case mapping([Entry])
        case sequence([ConfigNode])
    }

    public struct Entry: Sendable {
        public var key: String
        public var keyLocation: SourceLocation
        public var node: ConfigNode
    }

    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }

    /// The mapping's entries, or nil when this is not a mapping.
    public var entries: [Entry]? {
        if case .mapping(let e) = value { return e }
        return nil
    }

    /// The entry called `key` of a mapping.
    public subscript(key: String) -> ConfigNode? {
        entries?.first { $0.key == key }?.node
    }

    public var scalar: String? {
        if case .scalar(let s, _) = value { return s }
        return nil
    }

    public var items: [ConfigNode]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// A short description of the node's kind for error messages.
    public var kindName: String {
        switch value {
        case .null: return "nothing (null)"
        case .scalar(let s, _): return "'\(s)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The node as plain JSON-compatible data (for the resolved scenario in reports),
    /// with mapping keys in file order.
    public func toJSONValue() -> JSONValue {
        switch value {
        case .null: return .null
        case .scalar(let s, let quoted):
            if !quoted {
                if let i = Int64(s) { return .integer(i) }
                if let d = Double(s), d.isFinite, s.contains(".") || s.contains("e") { return .number(d) }
                if s == "true" { return .bool(true) }
                if s == "false" { return .bool(false) }
            }
            return .string(s)
        case .mapping(let e): return .object(e.map { ($0.key, $0.node.toJSONValue()) })
        case .sequence(let s): return .array(s.map { $0.toJSONValue() })
        }
    }
}

