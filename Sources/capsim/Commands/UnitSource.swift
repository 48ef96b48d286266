/// Where a command's replications come from: evaluated here on up to `threads` threads, or
/// read from the part files that `capsim unit` wrote elsewhere (`capsim merge`).
///
/// `run`, `sweep` and `merge` all go plan → units → this → `Runner.merge`, so a report
/// merged from parts and one computed here come out of the same code: one merge.
enum UnitSource {
    case local(threads: Int)
    case parts(UnitParts)
}
