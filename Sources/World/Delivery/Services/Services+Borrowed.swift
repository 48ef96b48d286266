import SimCore

/// The hot paths' class references, used without retaining them.
///
/// `let pool = pools[p]` (or `measurements.stages`) followed by calls the compiler cannot see
/// through makes it retain the object for the stretch and release it after: an atomic
/// read-modify-write each, and the release waits for the stores before it to drain. On the
/// national-day slice retains and releases were 14 % of the CPU (`perf`), most of them these.
/// The pools and the stage clock live as long as `Services` (its `let`s hold them), so a
/// borrowed, unretained reference is safe for the length of one call
/// (`Unmanaged._withUnsafeGuaranteedRef`).
extension Services {
    /// Runs `body` with pool `p` borrowed (no retain).
    @inline(__always) func withPool<R>(_ p: Int, _ body: (ServicePool) throws -> R) rethrows -> R {
        try Unmanaged.passUnretained(pools[p])._withUnsafeGuaranteedRef(body)
    }

    /// Runs `body` with the stage clock borrowed (no retain).
    @inline(__always) func withStages<R>(_ body: (StageClock) throws -> R) rethrows -> R {
        try Unmanaged.passUnretained(measurements.stages)._withUnsafeGuaranteedRef(body)
    }
}
