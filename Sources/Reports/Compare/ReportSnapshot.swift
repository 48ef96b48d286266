import Foundation
import SimCore

/// A report read back from disk (or taken from memory) for comparisons and gates: its
/// header, its figures, and where present each replication's figures (replications.json)
/// and its time series (series.csv).
public struct ReportSnapshot: Sendable {
    public var source: String
    public var name: String
    public var file: String
    public var model: String
    public var seed: UInt64
    public var replications: Int
    public var simulatedSeconds: Double
    public var warmupSeconds: Double
    /// The scenario as run (after `extends:` and `--set`), `.null` when the report lacks it.
    public var resolved: JSONValue
    /// The capsim release and the world model version that wrote the report ("" and 0 for
    /// reports older than schema 2).
    public var capsimVersion: String
    public var modelVersion: Int
    /// The evaluated SLOs (schema 2), in report order: name, verdict, figure text.
    public var slos: [(name: String, verdict: String, value: Double, unit: String)]
    public var findings: [(severity: String, code: String, message: String)]
    public var figures: FigureTable
    /// Replication i's figures, when replications.json is present and matches the report.
    public var replicationFigures: [FigureTable]?
    public var series: [ChartSeries]

    /// From a report document and, optionally, its replications record and series.csv.
    public init(json: JSONValue, source: String, replicationRecord: JSONValue? = nil, seriesCSV: String? = nil) {
        self.source = source
        name = json["scenario"]?["name"]?.stringValue ?? "report"
        file = json["scenario"]?["file"]?.stringValue ?? ""
        model = json["scenario"]?["model"]?.stringValue ?? ""
        if case .integer(let s)? = json["run"]?["seed"] { seed = UInt64(bitPattern: s) } else { seed = 0 }
        replications = Int(json["run"]?["replications"]?.doubleValue ?? 1)
        simulatedSeconds = json["run"]?["simulated_seconds"]?.doubleValue ?? 0
        warmupSeconds = json["run"]?["warmup_seconds"]?.doubleValue ?? 0
        resolved = json["scenario"]?["resolved"] ?? .null
        capsimVersion = json["capsim_version"]?.stringValue ?? ""
        modelVersion = Int(json["model_version"]?.doubleValue ?? 0)
        slos = (json["slos"]?.arrayValue ?? []).map { o in
            (o["name"]?.stringValue ?? "", o["verdict"]?.stringValue ?? "", o["value"]?.doubleValue ?? .nan, o["unit"]?.stringValue ?? "")
        }
        findings = (json["findings"]?.arrayValue ?? []).map { f in
            (f["severity"]?.stringValue ?? "", f["code"]?.stringValue ?? "", f["message"]?.stringValue ?? "")
        }
        figures = FigureTable(json: json)
        if let rec = replicationRecord.flatMap(ReplicationRecord.read), rec.seed == seed, rec.tables.count == replications {
            replicationFigures = rec.tables
        }
        series = seriesCSV.map(ChartSeries.read(seriesCSV:)) ?? []
    }

    /// From a report in memory, with each replication's one-replication report if known.
    public init(report: Report, perReplication: [Report]? = nil, source: String = "") {
        let rec = perReplication.map { ReplicationRecord.json(seed: report.header.seed, replications: $0) }
        self.init(json: report.json, source: source, replicationRecord: rec)
        series = report.series.map { ChartSeries(name: $0.name, series: $0.series) }
    }

    /// Loads a report folder (holding report.json) or a report.json file; replications.json
    /// and series.csv beside it are read when present.
    public static func load(_ path: String) throws(ReportLoadError) -> ReportSnapshot {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ReportLoadError(message: "\(path): no such file or folder")
        }
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        let reportPath = isDir.boolValue ? (path as NSString).appendingPathComponent("report.json") : path
        guard let text = try? String(contentsOfFile: reportPath, encoding: .utf8) else {
            throw ReportLoadError(message: "\(reportPath): cannot read a report (is this a report folder written by capsim run?)")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw ReportLoadError(message: "\(reportPath): \(error)") }
        guard json["schema_version"] != nil, json["latency_ms"] != nil else {
            throw ReportLoadError(message: "\(reportPath): not a capsim report (no schema_version or latency_ms)")
        }
        func sibling(_ name: String) -> String? {
            try? String(contentsOfFile: ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent(name), encoding: .utf8)
        }
        var record: JSONValue?
        if let r = sibling(ReplicationRecord.fileName) {
            do { record = try JSONValue.parse(r) } catch { throw ReportLoadError(message: "\(dir)/\(ReplicationRecord.fileName): \(error)") }
        }
        return ReportSnapshot(json: json, source: path, replicationRecord: record, seriesCSV: sibling("series.csv"))
    }
}

/// A report that cannot be read (exit code 2 in the CLI).
public struct ReportLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
