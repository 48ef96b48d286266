import Foundation
import SimCore

/// Writes a report's files into a folder, each atomically (temporary file + rename), so an
/// interrupted run never leaves a half-written report behind.
public enum ReportWriter {
    /// Writes report.json, report.md, series.csv and summary.csv; returns their paths.
    @discardableResult
    public static func write(_ report: Report, to directory: String) throws -> [String] {
        let files: [(String, String)] = [
            ("report.json", report.json.serialized(sortedKeys: true)),
            ("report.md", report.markdown),
            ("report.html", report.html),
            ("series.csv", report.seriesCSV),
            ("summary.csv", report.summaryCSV),
        ]
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (name, text) in files {
            let p = (directory as NSString).appendingPathComponent(name)
            try AtomicFile.write(text, to: p)
            paths.append(p)
        }
        return paths
    }
}
