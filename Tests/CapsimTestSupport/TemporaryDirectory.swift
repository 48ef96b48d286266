import Foundation

/// A fresh directory under the system's temporary folder; `remove()` deletes it.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "capsim-test") throws {
        let base = NSTemporaryDirectory()
        let name = "\(prefix)-\(UUID().uuidString.prefix(8))"
        path = (base as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
