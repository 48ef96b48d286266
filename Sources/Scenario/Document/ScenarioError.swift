/// One problem in a scenario: where, which key, what is wrong and how to fix it.
public struct ScenarioError: Error, Sendable, CustomStringConvertible, Equatable {
    public var location: SourceLocation
    /// The key path, e.g. `services.order_service.max`.
    public var path: String
    public var message: String
    public var fix: String

    public init(_ location: SourceLocation, path: String, _ message: String, fix: String) {
        self.location = location; self.path = path; self.message = message; self.fix = fix
    }

    public var description: String {
        let at = path.isEmpty ? "" : " at '\(path)'"
        return "\(location): error\(at): \(message)\n    fix: \(fix)"
    }
}

/// All the problems found in one load, reported together.
public struct ScenarioErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ScenarioError]
    public init(_ errors: [ScenarioError]) { self.errors = errors }
    public var description: String {
        errors.map(\.description).joined(separator: "\n") +
            (errors.count > 1 ? "\n\(errors.count) errors" : "")
    }
}
