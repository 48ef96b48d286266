import Testing
import SimCore

@Suite struct RandomStreamTests {
    @Test func mt19937ReferenceOutput() {
        // C++11 [rand.predef]: the 10000th output of mt19937 seeded with 5489 is 4123659995.
        let r = RandomStream(seed: 5489)
        var x: UInt32 = 0
        for _ in 0..<10_000 { x = r.next32() }
        #expect(x == 4_123_659_995)
    }

    @Test func fnv1aPublishedVectors() {
        // FNV-1a 64 test vectors (Fowler/Noll/Vo reference test suite).
        #expect(StreamSeeder.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StreamSeeder.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StreamSeeder.fnv1a("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func splitmixReferenceOutput() {
        // splitmix64.c (Vigna): state 1234567 gives 6457827717110365317 as its first output.
        #expect(StreamSeeder.splitmix(1_234_567) == 6_457_827_717_110_365_317)
    }

    @Test func addingAStreamLeavesOthersUnchanged() {
        let seeder = StreamSeeder(masterSeed: 42)
        let a1 = seeder.stream("arrivals"), b1 = seeder.stream("service.order")
        let drawsA1 = (0..<1000).map { _ in a1.uniform() }
        let drawsB1 = (0..<1000).map { _ in b1.uniform() }
        // A second world with an extra stream, created first and drawn from in between.
        let extra = seeder.stream("failures")
        let b2 = seeder.stream("service.order"), a2 = seeder.stream("arrivals")
        var drawsA2: [Double] = [], drawsB2: [Double] = []
        for _ in 0..<1000 {
            _ = extra.uniform()
            drawsB2.append(b2.uniform())
            drawsA2.append(a2.uniform())
        }
        #expect(drawsA1 == drawsA2)
        #expect(drawsB1 == drawsB2)
        #expect(drawsA1 != drawsB1)
    }

    @Test func seedsAreNonZeroAndDistinct() {
        let seeder = StreamSeeder(masterSeed: 7)
        let names = (0..<5000).map { "stream.\($0)" }
        let seeds = names.map(seeder.seed(for:))
        #expect(seeds.allSatisfy { $0 != 0 })
        // 5000 draws into 2^32: P(any collision) ≈ 5000²/2^33 ≈ 0.3 %; the fixed seed has none.
        #expect(Set(seeds).count == seeds.count)
        #expect(StreamSeeder(masterSeed: 8).seed(for: "stream.0") != seeds[0])
    }

    @Test func replicationZeroKeepsTheSeed() {
        #expect(StreamSeeder.replicationSeed(42, index: 0) == 42)
        #expect(StreamSeeder.replicationSeed(42, index: 1) != StreamSeeder.replicationSeed(42, index: 2))
    }
}
