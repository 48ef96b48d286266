import Foundation
import SimCore

/// Writes a report's files into a folder as one set (``ReportSetWriter``): afterwards the folder
/// holds the complete old report or the complete new one, never a mix, even when the run is
/// killed or the disk fills up while writing.
public enum ReportWriter {
    /// The names ``write(_:to:fileSystem:)`` replaces in an existing folder: the report's files,
    /// and replications.json (a baseline folder rewritten as a report folder).
    public static let replaceableNames: Set<String> = ["report.json", "report.md", "report.html", "series.csv", "summary.csv",
                                                       "replications.json"]

    /// The files of a report folder: report.json, report.md, report.html, series.csv, summary.csv.
    public static func files(_ report: Report) -> [(path: String, contents: String)] {
        [
            ("report.json", report.json.serialized(sortedKeys: true)),
            ("report.md", report.markdown),
            ("report.html", report.html),
            ("series.csv", report.seriesCSV),
            ("summary.csv", report.summaryCSV),
        ]
    }

    /// Writes the report's files, and `extra` files of the same set (replications.json), as the
    /// whole contents of `directory`; returns their paths.
    @discardableResult
    public static func write(_ report: Report, to directory: String, extra: [(path: String, contents: String)] = [],
                             fileSystem: FileSystem = ReportSetWriter.defaultFileSystem) throws -> [String] {
        let files = files(report) + extra
        try ReportSetWriter.write(files, to: directory, alsoReplaces: replaceableNames, fileSystem: fileSystem)
        return files.map { ReportSetWriter.join(directory, $0.path) }
    }
}
