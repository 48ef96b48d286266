/// A JSON document that cannot be read as the expected structure, with the path of the value.
public struct JSONReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}

/// Typed access to the members of a JSON object, throwing with the member's path.
public struct JSONReader {
    public let value: JSONValue
    public let path: String

    public init(_ value: JSONValue, path: String) { self.value = value; self.path = path }

    public func member(_ key: String) throws(JSONReadError) -> JSONValue {
        guard case .object = value else { throw JSONReadError(path: path, message: "expected an object") }
        guard let v = value[key] else { throw JSONReadError(path: path, message: "missing member '\(key)'") }
        return v
    }

    public func object(_ key: String) throws(JSONReadError) -> JSONReader {
        let v = try member(key)
        guard case .object = v else { throw JSONReadError(path: "\(path).\(key)", message: "expected an object") }
        return JSONReader(v, path: "\(path).\(key)")
    }

    public func array(_ key: String) throws(JSONReadError) -> [JSONValue] {
        guard let a = try member(key).arrayValue else { throw JSONReadError(path: "\(path).\(key)", message: "expected an array") }
        return a
    }

    /// The array's items as readers, with indexed paths.
    public func objects(_ key: String) throws(JSONReadError) -> [JSONReader] {
        try array(key).enumerated().map { JSONReader($0.element, path: "\(path).\(key)[\($0.offset)]") }
    }

    public func string(_ key: String) throws(JSONReadError) -> String {
        guard let s = try member(key).stringValue else { throw JSONReadError(path: "\(path).\(key)", message: "expected a string") }
        return s
    }

    public func bool(_ key: String) throws(JSONReadError) -> Bool {
        guard case .bool(let b) = try member(key) else { throw JSONReadError(path: "\(path).\(key)", message: "expected true or false") }
        return b
    }

    public func integer(_ key: String) throws(JSONReadError) -> Int64 {
        guard case .integer(let i) = try member(key) else { throw JSONReadError(path: "\(path).\(key)", message: "expected an integer") }
        return i
    }

    /// An unsigned 64-bit value, written as the Int64 with the same bits.
    public func unsigned(_ key: String) throws(JSONReadError) -> UInt64 { UInt64(bitPattern: try integer(key)) }

    /// A decimal string holding an unsigned 64-bit value (seeds: readable by any JSON reader).
    public func decimal(_ key: String) throws(JSONReadError) -> UInt64 {
        guard let s = try member(key).stringValue, let u = UInt64(s) else {
            throw JSONReadError(path: "\(path).\(key)", message: "expected an unsigned integer as a decimal string")
        }
        return u
    }

    public func double(_ key: String) throws(JSONReadError) -> Double {
        guard let d = JSONNumbers.read(try member(key)) else { throw JSONReadError(path: "\(path).\(key)", message: "expected a number") }
        return d
    }

    public func strings(_ key: String) throws(JSONReadError) -> [String] {
        try array(key).enumerated().map { (i, v) throws(JSONReadError) -> String in
            guard let s = v.stringValue else { throw JSONReadError(path: "\(path).\(key)[\(i)]", message: "expected a string") }
            return s
        }
    }
}
