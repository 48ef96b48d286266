import CapsimTestSupport
import Foundation
import Testing

@Suite struct ReplayCommandTests {
    @Test func replaysTheFixtureWithEveryPolicy() throws {
        guard let exe = Binary.path else { Issue.record("build capsim first"); return }
        let dir = try TemporaryDirectory(prefix: "capsim-replay")
        defer { dir.remove() }
        let fixture = RealSystems.repositoryRoot + "/Tests/Fixtures/mdrp/capsim-small"
        let r = try Subprocess.run(exe, ["replay", "mdrp", fixture, "--out", dir.path], timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        for policy in ["greedy", "batched", "bundled"] {
            for f in ["solution_info_assignments.txt", "solution_info_orders.txt", "solution_info_couriers.txt", "metrics.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(dir.path)/capsim-small/\(policy)/\(f)"), "\(policy)/\(f)")
            }
        }
        let md = try String(contentsOfFile: dir.path + "/comparison.md", encoding: .utf8)
        #expect(md.contains("greedy") && md.contains("batched") && md.contains("bundled"))
        // The same replay twice gives identical solution files.
        let again = try TemporaryDirectory(prefix: "capsim-replay2")
        defer { again.remove() }
        _ = try Subprocess.check(exe, ["replay", "mdrp", fixture, "--out", again.path, "--policy", "bundled"], timeout: 120)
        for f in ["solution_info_orders.txt", "metrics.json"] {
            let a = try String(contentsOfFile: "\(dir.path)/capsim-small/bundled/\(f)", encoding: .utf8)
            let b = try String(contentsOfFile: "\(again.path)/capsim-small/bundled/\(f)", encoding: .utf8)
            #expect(a == b, "\(f) differs between runs")
        }
    }

    @Test func malformedInstanceExitsTwoNamingTheFile() throws {
        guard let exe = Binary.path else { Issue.record("build capsim first"); return }
        let dir = try TemporaryDirectory(prefix: "capsim-badmdrp")
        defer { dir.remove() }
        let fixture = RealSystems.repositoryRoot + "/Tests/Fixtures/mdrp/capsim-small"
        for f in ["restaurants.txt", "couriers.txt", "instance_parameters.txt"] {
            try FileManager.default.copyItem(atPath: "\(fixture)/\(f)", toPath: dir.file(f))
        }
        try "order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t10\t20\tsoon\tr1\t30\n".write(toFile: dir.file("orders.txt"), atomically: true, encoding: .utf8)
        let r = try Subprocess.run(exe, ["replay", "mdrp", dir.path, "--out", dir.file("out")], timeout: 60)
        #expect(r.status == 2)
        #expect(r.stderr.contains("orders.txt") && r.stderr.contains("line 2") && r.stderr.contains("placement_time"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
    }
}
