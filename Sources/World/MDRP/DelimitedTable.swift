import Foundation
import SimCore

/// A small header-plus-rows text table, the shape of every MDRP instance file and of an order
/// trace. Columns are found by header name (so their order may differ from the published
/// files), and every accessor throws a `DataFileError` naming file, line and column.
///
/// The text is split by the project's one reader, `SimCore.DelimitedText` (blank lines
/// skipped but counted, byte-order mark and Windows line ends tolerated, RFC 4180 quoting for
/// CSV, a quoted field may span lines); this type adds the header and typed fields.
struct DelimitedTable {
    enum Separator {
        /// One tab between fields (MDRP files, read by pandas `read_table`).
        case tab
        /// RFC 4180 comma-separated values with optional double quotes.
        case comma
    }

    let file: String
    let header: [String]
    /// (1-based line number, fields) per data row.
    let rows: [(line: Int, fields: [String])]
    let headerLine: Int

    static func read(path: String, display: String, separator: Separator, missingFix: String = "check the path") throws -> DelimitedTable {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataFileError(
                file: display, line: 0, field: "", problem: "the file does not exist (looked for \(path))", fix: missingFix)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(file: display, line: 0, field: "", problem: "the file cannot be read",
                                fix: "check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataFileError(file: display, line: 0, field: "", problem: "the file is not valid UTF-8 text",
                                fix: "save it as UTF-8 (plain ASCII is fine)")
        }
        return try parse(text: text, file: display, separator: separator)
    }

    /// Splits `text` with the shared `DelimitedText` reader (RFC 4180 for `.comma`, plain tab
    /// splitting for `.tab`) and checks every row has the header's field count.
    static func parse(text: String, file: String, separator: Separator) throws -> DelimitedTable {
        let records: [DelimitedText.Record]
        do throws(DelimitedText.SyntaxError) {
            records = try DelimitedText.records(text, delimiter: separator == .tab ? "\t" : ",", quoting: separator == .comma)
        } catch {
            throw DataFileError(file: file, line: error.line, field: "", problem: error.problem, fix: error.fix)
        }
        func trimmed(_ fields: [String]) -> [String] { fields.map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let first = records.first else {
            throw DataFileError(file: file, line: 1, field: "", problem: "the file is empty",
                                fix: "start it with a header line naming the columns")
        }
        let header = trimmed(first.fields)
        let rows = records.dropFirst().map { (line: $0.line, fields: trimmed($0.fields)) }
        let table = DelimitedTable(file: file, header: header, rows: rows, headerLine: first.line)
        for r in rows where r.fields.count != header.count {
            let hint = separator == .tab && r.fields.count == 1 && r.fields[0].contains(" ")
                ? "separate the fields with tab characters, not spaces"
                : "give each line exactly the \(header.count) fields of the header (\(header.joined(separator: ", ")))"
            throw DataFileError(
                file: file, line: r.line, field: "",
                problem: "the line has \(r.fields.count) field\(r.fields.count == 1 ? "" : "s"), the header has \(header.count)",
                fix: hint)
        }
        return table
    }

    /// Index of the column named `name`, if present.
    func columnIndex(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// Index of a column that must be present.
    func requireColumn(_ name: String, fix: String? = nil) throws -> Int {
        if let i = columnIndex(name) { return i }
        throw DataFileError(
            file: file, line: headerLine, field: name,
            problem: "the header has no column \"\(name)\" (it has: \(header.joined(separator: ", ")))",
            fix: fix ?? "add the column \"\(name)\" to the header line, spelled exactly so")
    }

    /// A whole number (also accepts "12.0"); `what` completes "is not ...".
    func int(_ row: (line: Int, fields: [String]), _ column: Int, what: String, fix: String) throws -> Int {
        let s = row.fields[column]
        if let v = Int(s) { return v }
        if let d = Double(s), d.isFinite, d == d.rounded(), abs(d) < 1e15 { return Int(d) }
        throw DataFileError(
            file: file, line: row.line, field: header[column],
            problem: s.isEmpty ? "the field is empty, expected \(what)" : "\"\(s)\" is not \(what)", fix: fix)
    }

    /// A finite decimal number.
    func double(_ row: (line: Int, fields: [String]), _ column: Int, what: String, fix: String) throws -> Double {
        let s = row.fields[column]
        if let d = Double(s), d.isFinite { return d }
        throw DataFileError(
            file: file, line: row.line, field: header[column],
            problem: s.isEmpty ? "the field is empty, expected \(what)" : "\"\(s)\" is not \(what)", fix: fix)
    }

    /// A non-empty identifier without whitespace (the solution files are split on whitespace).
    func identifier(_ row: (line: Int, fields: [String]), _ column: Int) throws -> String {
        let s = row.fields[column]
        if s.isEmpty {
            throw DataFileError(file: file, line: row.line, field: header[column], problem: "the id is empty",
                                fix: "give every row a non-empty id")
        }
        if s.contains(where: { $0.isWhitespace }) {
            throw DataFileError(
                file: file, line: row.line, field: header[column], problem: "the id \"\(s)\" contains whitespace",
                fix: "use ids without spaces (the solution files are split on whitespace)")
        }
        return s
    }
}
