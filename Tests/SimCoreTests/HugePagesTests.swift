import Testing
import SimCore

/// `HugePages`: small blocks are ordinary allocations; blocks of 2 MiB or more are 2 MiB
/// aligned (posix_memalign's contract, so each can be backed by huge pages) on Linux; both
/// hold what is written to them.
@Suite struct HugePagesTests {
    @Test(arguments: [1, 1_000, 262_144, 300_000, 1_048_576])
    func roomHoldsValuesAndLargeRoomIsAligned(capacity: Int) {
        let p = HugePages.allocate(Int64.self, capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        for i in stride(from: 0, to: capacity, by: 4_099) { p[i] = Int64(i) * 3 }
        p[capacity - 1] = -7
        var sum: Int64 = 0
        for i in stride(from: 0, to: capacity - 1, by: 4_099) { sum += p[i] }
        let expected = stride(from: 0, to: capacity - 1, by: 4_099).reduce(Int64(0)) { $0 + Int64($1) * 3 }
        #expect(sum == expected && p[capacity - 1] == -7)
        #if os(Linux)
        // 262,144 × 8 bytes is exactly 2 MiB: the first aligned size.
        if capacity * 8 >= HugePages.size {
            #expect(UInt(bitPattern: p) % UInt(HugePages.size) == 0)
        }
        #endif
        p.deinitialize(count: capacity)
        HugePages.deallocate(p, capacity: capacity)
    }
}
