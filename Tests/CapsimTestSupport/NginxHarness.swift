import Foundation

/// Runs a Python driver that starts a private nginx (one worker, no daemon, unix socket in a
/// temporary directory) and prints one JSON object: the frame the nginx live tests share. The
/// driver gets a spec file (argv[1]) holding the test's keys plus `nginx` (the binary) and `dir`
/// (the temporary directory, where nginx writes `nginx.pid`). Whatever the driver does, a
/// leftover nginx is killed by its pid file and the directory removed.
public enum NginxHarness {
    public enum Outcome {
        case ok([String: Any])
        /// The driver failed or printed no JSON object: its status and the tail of its stderr.
        case failed(String)
    }

    public static func run(prefix: String, nginx: String, driver: String, spec: [String: Any],
                           timeout: Double) throws -> Outcome {
        let dir = try TemporaryDirectory(prefix: prefix)
        defer {
            if let text = try? String(contentsOfFile: dir.file("nginx.pid"), encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGTERM)
            }
            dir.remove()
        }
        var spec = spec
        spec["nginx"] = nginx
        spec["dir"] = dir.path
        try JSONSerialization.data(withJSONObject: spec).write(to: URL(fileURLWithPath: dir.file("spec.json")))
        try driver.write(toFile: dir.file("driver.py"), atomically: true, encoding: .utf8)
        let r = try Subprocess.run(RealSystems.python, [dir.file("driver.py"), dir.file("spec.json")], timeout: timeout)
        guard r.succeeded, let obj = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            return .failed("nginx driver failed (\(r.status)): \(r.stderr.suffix(2000))")
        }
        return .ok(obj)
    }
}
