import Foundation
import SimCore

/// Writes a report's files into a folder as one set (``ReportSetWriter``): afterwards the folder
/// holds the complete old report or the complete new one, never a mix, even when the run is
/// killed or the disk fills up while writing.
public enum ReportWriter {
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

    /// Writes the report's files as the whole contents of `directory`; returns their paths.
    @discardableResult
    public static func write(_ report: Report, to directory: String, fileSystem: FileSystem = ReportSetWriter.defaultFileSystem) throws -> [String] {
        let files = files(report)
        // replications.json: a baseline folder (`capsim baseline`) rewritten as a report folder.
        try ReportSetWriter.write(files, to: directory, alsoReplaces: ["replications.json"], fileSystem: fileSystem)
        return files.map { ReportSetWriter.join(directory, $0.path) }
    }
}
