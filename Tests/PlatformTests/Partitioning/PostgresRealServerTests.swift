import CapsimTestSupport
import Foundation
import Testing
@testable import Platform

/// Routes rows through a throwaway PostgreSQL cluster and compares `tableoid::regclass` with the
/// Swift routing, row by row: hash partitions on bigint (>100k keys), int4, a two-column key with
/// NULLs and mixed moduli, text, and monthly range partitions on a timestamp.
@Suite("PostgreSQL routing vs a real server")
struct PostgresRealServerTests {
    static let epoch = CivilDate(year: 2024, month: 1, day: 1)

    @Test(.enabled(if: RealSystems.canRun("initdb", "pg_ctl"), "PostgreSQL server binaries not found (apt-get install postgresql-15)"))
    func routingMatchesPostgres() throws {
        let initdb = try #require(Subprocess.which("initdb"), "PostgreSQL server binaries (initdb, pg_ctl) not found")
        let pgctl = try #require(Subprocess.which("pg_ctl"), "PostgreSQL server binaries (initdb, pg_ctl) not found")
        let binDir = (initdb as NSString).deletingLastPathComponent
        let psql = try #require(Subprocess.which(binDir + "/psql") ?? Subprocess.which("psql"), "psql not found")
        let started = Date()
        let dir = try TemporaryDirectory(prefix: "capsim-pg")
        defer { dir.remove() }
        let asRoot = getuid() == 0
        if asRoot { try Subprocess.check("chown", ["postgres:postgres", dir.path], timeout: 10) }
        // initdb refuses to run as root: run the server tools as the postgres user. They go through
        // bash, which closes every descriptor above 2 first: Foundation's Process learns that its child
        // exited when the descriptors it handed down are closed, so a postmaster daemonized by
        // `pg_ctl start` that inherited one would make Subprocess wait (past its timeout) until the
        // server stops.
        func serverTool(_ exe: String, _ args: [String], timeout: Double) throws {
            let command = (asRoot ? ["runuser", "-u", "postgres", "--"] : []) + [exe] + args
            let closeInherited = #"for fd in /proc/self/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null; exec "$@""#
            try Subprocess.check("bash", ["-c", closeInherited, "bash"] + command, timeout: timeout)
        }
        let data = dir.file("data")
        try serverTool(initdb, ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                       timeout: 60)
        defer {
            _ = try? serverTool(pgctl, ["-D", data, "-m", "immediate", "stop"], timeout: 20)
        }
        let options = "-c listen_addresses='' -c unix_socket_directories='\(dir.path)' -p 5432 "
            + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        try serverTool(pgctl, ["-D", data, "-l", dir.file("server.log"), "-w", "-t", "30", "-o", options, "start"],
                       timeout: 40)

        // ---- inputs
        let keys8 = PartitioningKeys.int64Keys(randomFull: 60_000, randomSmall: 40_000, seed: 2024)
        var rng = PartitioningSplitMix(seed: 15)
        var keys4: [Int32] = [0, 1, -1, Int32.min, Int32.max, Int32.min + 1, Int32.max - 1]
        for _ in 0..<20_000 { keys4.append(Int32(truncatingIfNeeded: rng.next())) }
        var pairs: [(Int64?, Int64?)] = [(nil, nil), (nil, 5), (5, nil), (Int64.min, Int64.max), (-1, -1)]
        for i in 0..<5_000 {
            let a = Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            let b = Int64(bitPattern: rng.next()) >> (rng.next() % 64)
            pairs.append((i % 17 == 0 ? nil : a, i % 19 == 0 ? nil : b))
        }
        var texts = ["", "order-1", "a", "ab", "abc", "abcd", "12345678901", "123456789012", "1234567890123",
                     "é", "中文", "🚀 rocket", "naïve café"]
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .é中🚀ß")
        for i in 0..<5_000 {
            let len = Int(rng.next() % 40)
            texts.append(i % 4 == 0 ? "order-\(rng.next() % 10_000_000)"
                         : String((0..<len).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
        }
        // Microsecond offsets from 2024-01-01 00:00: random within ±2 years, plus each month boundary ±1 µs.
        let months = MonthlyRangePartitioning(epoch: Self.epoch, namePrefix: "ev")
        var offsets: [Int64] = []
        let usPerDay: Int64 = 86_400_000_000
        for _ in 0..<20_000 { offsets.append(Int64(rng.next() % UInt64(1_460 * usPerDay)) - 730 * usPerDay) }
        for ordinal in (2022 * 12)...(2026 * 12 - 1) {
            let start = months.instantBounds(ofMonthOrdinal: ordinal).lowerBound / 1_000
            offsets += [start - 1, start, start + 1]
        }

        // ---- schema + data
        var sql = "\\set ON_ERROR_STOP 1\nSET client_min_messages = warning;\n"
        func hashTable(_ name: String, _ columns: String, _ key: String, _ bounds: [(Int, Int)]) {
            sql += "CREATE TABLE \(name) (id int, \(columns)) PARTITION BY HASH (\(key));\n"
            for (i, b) in bounds.enumerated() {
                sql += "CREATE TABLE \(name)_p\(i) PARTITION OF \(name) FOR VALUES WITH (MODULUS \(b.0), REMAINDER \(b.1));\n"
            }
        }
        let uniform16 = (0..<16).map { (16, $0) }
        let mixed = [(4, 0), (8, 1), (8, 5), (16, 2), (16, 6), (16, 10), (16, 14), (4, 3)]
        hashTable("o8", "k bigint", "k", uniform16)
        hashTable("o4", "k int", "k", uniform16)
        hashTable("o2", "a bigint, b bigint", "a, b", mixed)
        hashTable("ot", "t text", "t", uniform16)
        sql += "CREATE TABLE ev (id int, us bigint, ts timestamp) PARTITION BY RANGE (ts);\n"
        // Partition DDL from a plain year/month loop, independent of CivilDate.
        for year in 2021...2026 {
            for month in 1...12 {
                let (ny, nm) = month == 12 ? (year + 1, 1) : (year, month + 1)
                let name = String(format: "ev_%04d_%02d", year, month)
                sql += "CREATE TABLE \(name) PARTITION OF ev FOR VALUES FROM ('\(String(format: "%04d-%02d-01", year, month))') "
                    + "TO ('\(String(format: "%04d-%02d-01", ny, nm))');\n"
            }
        }
        func copy(_ table: String, _ rows: [String]) {
            sql += "COPY \(table) FROM STDIN;\n" + rows.joined(separator: "\n") + "\n\\.\n"
        }
        func n(_ v: Int64?) -> String { v.map { String($0) } ?? "\\N" }
        copy("o8 (id, k)", keys8.enumerated().map { "\($0.offset)\t\($0.element)" })
        copy("o4 (id, k)", keys4.enumerated().map { "\($0.offset)\t\($0.element)" })
        copy("o2 (id, a, b)", pairs.enumerated().map { "\($0.offset)\t\(n($0.element.0))\t\(n($0.element.1))" })
        copy("ot (id, t)", texts.enumerated().map { "\($0.offset)\t\($0.element.replacingOccurrences(of: "\\", with: "\\\\"))" })
        sql += "CREATE TABLE ev_in (id int, us bigint);\n"
        copy("ev_in (id, us)", offsets.enumerated().map { "\($0.offset)\t\($0.element)" })
        sql += "INSERT INTO ev SELECT id, us, timestamp '\(Self.epoch)' + us * interval '1 microsecond' FROM ev_in;\n"
        for t in ["o8", "o4", "o2", "ot", "ev"] {
            sql += "SELECT '\(t)', id, tableoid::regclass FROM \(t);\n"
        }
        let script = dir.file("load.sql")
        try sql.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try Subprocess.check(psql, ["-X", "-q", "-A", "-t", "-h", dir.path, "-p", "5432", "-U", "postgres",
                                                 "-d", "postgres", "-f", script], timeout: 120)

        // ---- compare
        let scheme16 = PostgresHashPartitioning.uniform(count: 16)
        let schemeMixed = try PostgresHashPartitioning(bounds: mixed.map { .init(modulus: $0.0, remainder: $0.1) })
        var compared: [String: Int] = [:]
        var mismatches: [String] = []
        for line in result.stdout.split(separator: "\n") {
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 3, let id = Int(f[1]) else { continue }
            let expected: String
            switch f[0] {
            case "o8": expected = "o8_p\(scheme16.partition(forInt8: keys8[id])!)"
            case "o4": expected = "o4_p\(scheme16.partition(forInt4: keys4[id])!)"
            case "o2":
                var h = PostgresRowHash()
                if let a = pairs[id].0 { h.combine(int8: a) } else { h.combineNull() }
                if let b = pairs[id].1 { h.combine(int8: b) } else { h.combineNull() }
                expected = schemeMixed.partition(forRowHash: h.value).map { "o2_p\($0)" } ?? "none"
            case "ot":
                var h = PostgresRowHash()
                h.combine(text: texts[id])
                expected = "ot_p\(scheme16.partition(forRowHash: h.value)!)"
            case "ev": expected = months.partitionName(at: offsets[id] * 1_000)
            default: continue
            }
            compared[f[0], default: 0] += 1
            if f[2] != expected, mismatches.count < 20 { mismatches.append("\(line) expected \(expected)") }
            if f[2] != expected { compared["mismatch", default: 0] += 1 }
        }
        #expect(compared["o8"] == keys8.count)
        #expect(compared["o4"] == keys4.count)
        #expect(compared["o2"] == pairs.count)
        #expect(compared["ot"] == texts.count)
        #expect(compared["ev"] == offsets.count)
        #expect(compared["mismatch", default: 0] == 0, "\(mismatches)")
        let seconds = Date().timeIntervalSince(started)
        print("postgres routing: compared bigint=\(compared["o8"] ?? 0) int4=\(compared["o4"] ?? 0) "
              + "(bigint,bigint)=\(compared["o2"] ?? 0) text=\(compared["ot"] ?? 0) range=\(compared["ev"] ?? 0) rows, "
              + "mismatches=\(compared["mismatch", default: 0]), \(String(format: "%.1f", seconds)) s")
    }
}
