#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Room for large, randomly indexed tables (a courier per ping, a request slot per call),
/// backed by 2 MiB transparent huge pages where the kernel offers them.
///
/// With 4 KiB pages a national day's courier slots alone span thousands of pages, so a ping's
/// slot is a TLB miss (a page walk) as well as a cache miss; `perf` showed the prefetch of
/// the next ping's slot waiting on it. Blocks of at least 2 MiB are allocated 2 MiB-aligned
/// and advised with `madvise(MADV_HUGEPAGE)` (Linux, transparent_hugepage `madvise` or
/// `always`; elsewhere, or if the kernel declines, they are plain pages). The memory's
/// contents and every result are the same either way: only the page size differs.
public enum HugePages {
    /// Blocks from this size on are aligned and advised (one huge page).
    public static let size = 2 << 20

    /// Uninitialised room for `capacity` values of `T`; free it with `deallocate` and the same
    /// capacity.
    public static func allocate<T>(_ type: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
        let capacity = Swift.max(1, capacity)
        let bytes = capacity * MemoryLayout<T>.stride
        #if os(Linux)
        if bytes >= size {
            var raw: UnsafeMutableRawPointer?
            let rounded = (bytes + size - 1) & ~(size - 1)
            guard posix_memalign(&raw, size, rounded) == 0, let raw else {
                fatalError("HugePages: cannot allocate \(rounded) bytes")
            }
            _ = madvise(raw, rounded, MADV_HUGEPAGE)
            return raw.bindMemory(to: T.self, capacity: capacity)
        }
        #endif
        return .allocate(capacity: capacity)
    }

    /// Frees room from `allocate(_:capacity:)` (its values already deinitialised).
    public static func deallocate<T>(_ p: UnsafeMutablePointer<T>, capacity: Int) {
        #if os(Linux)
        if Swift.max(1, capacity) * MemoryLayout<T>.stride >= size {
            free(UnsafeMutableRawPointer(p))
            return
        }
        #endif
        p.deallocate()
    }
}
