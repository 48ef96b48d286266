import CGSL

/// Starts loading the cache line at `p` for writing, without waiting for it: a hint only (no
/// effect on any result). At national scale each ping touches a random courier's slot and its
/// sticky-session cookie, a cache miss each; the engine hands the model the next event early
/// (`EventHandler.prefetch`) so those misses overlap the current event's work.
@inlinable @inline(__always)
public func prefetchForWrite(_ p: UnsafeRawPointer) { cgsl_prefetch_write(p) }
