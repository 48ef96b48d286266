import Platform

/// Cache micro-benchmarks: L1 (`LRUCache`) get hit / miss and set-with-eviction, L2
/// (`SharedCache`) get hit, and the hierarchy's L1-hit path, at 10k and 1M keys with
/// uniformly random keys. Prints `name: x ns/op` lines.
public enum CacheBenchmark {
    public static func run() {
        for keys in [10_000, 1_000_000] {
            benchL1(keys: keys)
        }
        benchL2(keys: 1_000_000)
        benchHierarchy(keys: 1_000_000)
    }

    /// SplitMix64 key stream, precomputed so the timed loop only does cache work.
    static func keyStream(count: Int, below n: Int, seed: UInt64) -> [Int] {
        var state = seed
        var out = [Int]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            out.append(Int(z % UInt64(n)))
        }
        return out
    }

    /// Best of `rounds` timings of `body` (which performs `ops` operations), in ns/op.
    static func measure(ops: Int, rounds: Int = 5, _ body: () -> Int) -> (nsPerOp: Double, checksum: Int) {
        let clock = ContinuousClock()
        var best = Double.infinity
        var checksum = 0
        for _ in 0..<rounds {
            let start = clock.now
            checksum &+= body()
            let elapsed = clock.now - start
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            best = min(best, ns / Double(ops))
        }
        return (best, checksum)
    }

    static func report(_ name: String, _ r: (nsPerOp: Double, checksum: Int)) {
        let rounded = Double(Int(r.nsPerOp * 10 + 0.5)) / 10
        print("\(name): \(rounded) ns/op  (checksum \(r.checksum & 0xFFFF))")
    }

    static func benchL1(keys: Int) {
        let ttl = 300 * TimeUnit.second
        let cache = LRUCache<Int, Int>(capacity: keys, ttl: ttl)
        for k in 0..<keys { cache.set(k, k, now: 0) }
        let ops = 2_000_000
        let stream = keyStream(count: ops, below: keys, seed: 1)
        report("cache.l1.get.hit.keys=\(keys)", measure(ops: ops) {
            var sum = 0
            for k in stream { sum &+= cache.get(k, now: 1) ?? 0 }
            return sum
        })
        report("cache.l1.get.miss.keys=\(keys)", measure(ops: ops) {
            var sum = 0
            for k in stream { sum &+= cache.get(k &+ keys, now: 1) ?? 1 }
            return sum
        })
        // Every set is a new key into a full cache: evict the LRU entry, insert.
        var next = keys
        report("cache.l1.set.evicting.keys=\(keys)", measure(ops: ops) {
            var sum = 0
            for _ in 0..<ops {
                if cache.set(next, next, now: 2) != nil { sum &+= 1 }
                next &+= 1
            }
            return sum
        })
    }

    static func benchL2(keys: Int) {
        let redis = SharedCache<Int, Int>(capacity: keys, evictionPolicy: .allKeysLRU)
        for k in 0..<keys { redis.set(k, k, now: 0, ttl: 3_600 * TimeUnit.second) }
        let ops = 2_000_000
        let stream = keyStream(count: ops, below: keys, seed: 2)
        report("cache.l2.get.hit.keys=\(keys)", measure(ops: ops) {
            var sum = 0
            for k in stream { sum &+= redis.get(k, now: 1) ?? 0 }
            return sum
        })
    }

    static func benchHierarchy(keys: Int) {
        let h = CacheHierarchy<Int, Int>(configuration: CacheHierarchyConfiguration(l1Capacity: keys,
                                                                                    fillL1OnLoad: true))
        for k in 0..<keys {
            _ = h.begin(k, replica: 0, request: k, now: 0)
            _ = h.resumeAfterL2(k, replica: 0, now: 0)
            _ = h.complete(k, replica: 0, loaded: k, now: 0)
        }
        let ops = 2_000_000
        let stream = keyStream(count: ops, below: keys, seed: 3)
        report("cache.hierarchy.begin.l1hit.keys=\(keys)", measure(ops: ops) {
            var sum = 0
            for k in stream {
                if case .served(let lookup) = h.begin(k, replica: 0, request: 0, now: 1) { sum &+= lookup.value ?? 0 }
            }
            return sum
        })
    }
}
