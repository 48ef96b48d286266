import CapsimTestSupport
import Foundation

/// A RESP2 reply.
indirect enum GeoRESP: Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk(String?)
    case array([GeoRESP]?)

    var string: String? { if case .bulk(let s) = self { return s }; if case .simple(let s) = self { return s }; return nil }
    var array: [GeoRESP]? { if case .array(let a) = self { return a }; return nil }
}

enum GeoRedisError: Error, CustomStringConvertible {
    case io(String)
    case protocolError(String)
    var description: String {
        switch self {
        case .io(let s): return "redis i/o: \(s)"
        case .protocolError(let s): return "redis protocol: \(s)"
        }
    }
}

/// A private `redis-server` on 127.0.0.1 (no persistence), talked to over one TCP connection with
/// pipelined RESP commands. `stop()` terminates it; call it from a `defer`.
final class GeoRedisServer {
    let process: Process
    let port: UInt16
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var position = 0

    /// Starts the server and connects, waiting at most `timeout` seconds.
    init(executable: String, directory: String, timeout: Double = 15) throws {
        port = try freeLoopbackPort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--daemonize", "no", "--dir", directory, "--logfile", ""]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let connected = Self.connect(port: port) { fd = connected; break }
            if Date() > deadline || !process.isRunning {
                stop()
                throw GeoRedisError.io("redis-server did not accept connections on port \(port)")
            }
            usleep(20_000)
        }
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard try command(["PING"]) == .simple("PONG") else { throw GeoRedisError.protocolError("no PONG") }
    }

    private static func connect(port: UInt16) -> Int32? {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if ok == 0 { return s }
        close(s)
        return nil
    }

    /// Closes the connection and terminates the server (SIGTERM, then SIGKILL after 5 s).
    func stop() {
        if fd >= 0 { close(fd); fd = -1 }
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    func command(_ args: [String]) throws -> GeoRESP { try pipeline([args])[0] }

    /// Sends the commands in batches and returns one reply per command.
    func pipeline(_ commands: [[String]], batch: Int = 500) throws -> [GeoRESP] {
        var replies: [GeoRESP] = []
        replies.reserveCapacity(commands.count)
        var start = 0
        while start < commands.count {
            let end = min(start + batch, commands.count)
            var out: [UInt8] = []
            for args in commands[start..<end] {
                out += Array("*\(args.count)\r\n".utf8)
                for a in args {
                    let bytes = Array(a.utf8)
                    out += Array("$\(bytes.count)\r\n".utf8)
                    out += bytes
                    out += [13, 10]
                }
            }
            try writeAll(out)
            for _ in start..<end { replies.append(try readReply()) }
            start = end
        }
        return replies
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw GeoRedisError.io("send failed (errno \(errno))") }
            sent += n
        }
    }

    private func fill() throws {
        if position > 0 && position == buffer.count { buffer.removeAll(keepingCapacity: true); position = 0 }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if n <= 0 { throw GeoRedisError.io("recv failed or timed out (errno \(errno))") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    private func readLine() throws -> String {
        while true {
            var i = position
            while i + 1 < buffer.count {
                if buffer[i] == 13 && buffer[i + 1] == 10 {
                    let line = String(decoding: buffer[position..<i], as: UTF8.self)
                    position = i + 2
                    return line
                }
                i += 1
            }
            try fill()
        }
    }

    private func readReply() throws -> GeoRESP {
        let line = try readLine()
        guard let kind = line.first else { throw GeoRedisError.protocolError("empty line") }
        let rest = String(line.dropFirst())
        switch kind {
        case "+": return .simple(rest)
        case "-": return .error(rest)
        case ":": return .integer(Int64(rest) ?? 0)
        case "$":
            guard let n = Int(rest) else { throw GeoRedisError.protocolError(line) }
            if n < 0 { return .bulk(nil) }
            while buffer.count - position < n + 2 { try fill() }
            let s = String(decoding: buffer[position..<(position + n)], as: UTF8.self)
            position += n + 2
            return .bulk(s)
        case "*":
            guard let n = Int(rest) else { throw GeoRedisError.protocolError(line) }
            if n < 0 { return .array(nil) }
            var items: [GeoRESP] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try readReply()) }
            return .array(items)
        default:
            throw GeoRedisError.protocolError(line)
        }
    }
}
