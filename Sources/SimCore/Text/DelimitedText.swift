/// The project's one reader of delimited text: RFC 4180 CSV (order traces, the series.csv
/// capsim writes and `capsim compare` reads back) and tab-separated tables (the Grubhub MDRP
/// instance files, whose fields never hold a quote, read without quoting).
///
/// Per RFC 4180: fields are split at the delimiter; a field that starts with a double quote
/// (after optional spaces) is quoted, and inside it the delimiter, CR and LF are text and a
/// doubled quote is one quote, so a quoted field may span lines; line ends are CRLF, LF or
/// a lone CR. Beyond the RFC, for hand-written files: a UTF-8 byte-order mark is dropped,
/// lines holding only spaces and tabs are skipped (line numbers still count them), and text
/// after a closing quote is kept rather than refused. Every record carries the 1-based line
/// it starts on, for error messages.
public enum DelimitedText {
    public struct Record: Sendable, Equatable {
        /// The 1-based line the record starts on.
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
    }

    /// Text that cannot be split into records: where (1-based line), what and how to fix it.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var problem: String
        public var fix: String
        public var description: String { "line \(line): \(problem) (\(fix))" }
    }

    /// The records of `text`. `quoting: false` splits at every delimiter (tab-separated
    /// files whose fields never hold one).
    ///
    /// - Throws: `SyntaxError` for a quote that is never closed, at the line it opens on.
    /// - Complexity: O(n) in the length of the text.
    public static func records(_ text: String, delimiter: Unicode.Scalar = ",", quoting: Bool = true) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1, quoteLine = 0
        var inQuotes = false
        /// The field held a quoted part: a later quote in it is text.
        var wasQuoted = false
        /// Only spaces and tabs so far in this record (outside quotes): a blank line.
        var blank = true
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }

        func endRecord() {
            if !blank {
                fields.append(String(field))
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []; field = String.UnicodeScalarView(); blank = true; wasQuoted = false
        }

        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            i = scalars.index(after: i)
            if c == "\r" || c == "\n" {
                let crlf = c == "\r" && i < scalars.endIndex && scalars[i] == "\n"
                if crlf { i = scalars.index(after: i) }
                if inQuotes {
                    // RFC 4180 2.6: a line break inside quotes is part of the field.
                    field.append(c)
                    if crlf { field.append("\n") }
                } else {
                    endRecord()
                    recordLine = line + 1
                }
                line += 1
                continue
            }
            if inQuotes {
                if c == "\"" {
                    if i < scalars.endIndex, scalars[i] == "\"" { field.append("\""); i = scalars.index(after: i) } else { inQuotes = false }
                } else {
                    field.append(c)
                }
                continue
            }
            if c == delimiter {
                fields.append(String(field)); field = String.UnicodeScalarView(); wasQuoted = false
                if c != " " && c != "\t" { blank = false }
            } else if quoting, c == "\"", !wasQuoted, field.allSatisfy({ $0 == " " || $0 == "\t" }) {
                inQuotes = true; wasQuoted = true; quoteLine = line; field = String.UnicodeScalarView(); blank = false
            } else {
                field.append(c)
                if c != " " && c != "\t" { blank = false }
            }
        }
        if inQuotes {
            throw SyntaxError(line: quoteLine, problem: "a double quote is opened and never closed",
                              fix: "close the quoted field, and write a literal quote as two quotes (\"\")")
        }
        endRecord()
        return records
    }
}
