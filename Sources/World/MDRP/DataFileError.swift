/// A problem in an input file (an MDRP instance file or an order trace), located exactly
/// enough that the user can open the file and fix it without reading capsim's source.
///
/// `description` reads, for example:
///
///     orders.txt line 7, field "ready_time": "7x1" is not a whole number of minutes.
///     Fix: write the time as an integer number of minutes from the start of the day, e.g. 751.
///
/// `line` is 1-based and counts the header; 0 means the file as a whole (missing, empty).
public struct DataFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file, as the user named it (a path, or a bare file name for in-memory text).
    public var file: String
    /// 1-based line number; 0 when the problem concerns the whole file.
    public var line: Int
    /// Column or parameter name; empty when the problem concerns the whole line or file.
    public var field: String
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var fix: String

    public init(file: String, line: Int, field: String, problem: String, fix: String) {
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    public var description: String {
        var where_ = file
        if line > 0 { where_ += " line \(line)" }
        if !field.isEmpty { where_ += ", field \"\(field)\"" }
        return "\(where_): \(problem)\nFix: \(fix)"
    }
}
