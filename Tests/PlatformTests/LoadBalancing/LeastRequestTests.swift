import Testing
import Platform

@Suite struct LeastRequestTests {
    func balancer(_ conns: [Int], choiceCount: Int = 2, method: LeastRequestBalancer.SelectionMethod = .nChoices)
        -> LeastRequestBalancer {
        let lr = LeastRequestBalancer(choiceCount: choiceCount, selectionMethod: method)
        for (i, c) in conns.enumerated() {
            lr.addBackend(10 + i)
            for _ in 0..<c { lr.connectionOpened(10 + i) }
        }
        return lr
    }

    /// Power of two choices against the rule, for every pair of draws: host i = draw % n, the
    /// second sample replaces the first only with strictly fewer active requests.
    @Test func p2cAllDrawPairs() {
        let conns = [3, 1, 1, 0, 2]
        let lr = balancer(conns)
        for a in 0..<5 {
            for b in 0..<5 {
                // Large draws to exercise the modulo, not just small indexes.
                var rng = LBReplayRNG([UInt64(a) + 5 * 1_000_003, UInt64(b) + 5 * 77])
                let expected = conns[b] < conns[a] ? b : a
                #expect(lr.choose(using: &rng) == 10 + expected, "draws \(a),\(b)")
                #expect(rng.taken == 2)
            }
        }
    }

    /// choice_count 3: the first sample among those with the fewest requests, in draw order.
    @Test func threeChoicesKeepsFirstOfTies() {
        let conns = [2, 0, 0, 5]
        let lr = balancer(conns, choiceCount: 3)
        for a in 0..<4 { for b in 0..<4 { for c in 0..<4 {
            var rng = LBReplayRNG([UInt64(a), UInt64(b), UInt64(c)])
            var best = a
            for x in [b, c] where conns[x] < conns[best] { best = x }
            #expect(lr.choose(using: &rng) == 10 + best)
            #expect(rng.taken == 3)
        } } }
    }

    /// Envoy's documentation: with two hosts and defaults the busier host is picked 25 % of the time.
    @Test func busierOfTwoPickedOnlyWhenBothDrawsHitIt() {
        let lr = balancer([0, 4])
        var busy = 0
        for a in 0..<2 { for b in 0..<2 {
            var rng = LBReplayRNG([UInt64(a), UInt64(b)])
            if lr.choose(using: &rng) == 11 { busy += 1 }
        } }
        #expect(busy == 1)   // 1 of 4 equally likely draw pairs
    }

    /// FULL_SCAN: fewest requests; reservoir sampling spends one draw per tie met.
    @Test func fullScanReservoir() {
        let lr = balancer([1, 0, 3, 0, 0], method: .fullScan)
        // Scan: h0 first (1); h1 (0) < 1 resets; h2 larger; h3 ties (2 tied, draw%2); h4 ties (3 tied, draw%3).
        var rng = LBReplayRNG([1, 1])      // 1%2 != 0 keep h1; 1%3 != 0 keep h1
        #expect(lr.choose(using: &rng) == 11)
        #expect(rng.taken == 2)
        rng = LBReplayRNG([0, 1])          // h3 replaces, then keeps
        #expect(lr.choose(using: &rng) == 13)
        rng = LBReplayRNG([1, 3])          // 3%3 == 0: h4 replaces
        #expect(lr.choose(using: &rng) == 14)
    }

    @Test func downHostsExcludedAndPanicThreshold() {
        let lr = balancer([0, 0, 0, 0])
        lr.setDown(10, true)
        lr.setDown(11, true)
        // 2 of 4 healthy: health = min(100, 140*2/4 = 70) < 100 but 50 % is not < 50: no panic.
        #expect(!lr.inPanic)
        for d in 0..<8 {
            var rng = LBReplayRNG([UInt64(d), UInt64(d)])
            #expect([12, 13].contains(lr.choose(using: &rng)!))
        }
        lr.setDown(12, true)
        // 1 of 4: 25 % < 50 -> panic, all hosts eligible, draws index the full list.
        #expect(lr.inPanic)
        var rng = LBReplayRNG([0, 0])
        #expect(lr.choose(using: &rng) == 10)
        lr.setDown(10, false); lr.setDown(11, false); lr.setDown(12, false)
        lr.setDown(13, true)
        // 3 of 4: 140*3/4 = 105 -> health 100, never panic.
        #expect(!lr.inPanic)
        let strict = LeastRequestBalancer(panicThresholdPercent: 0)
        strict.addBackend(1)
        strict.setDown(1, true)
        rng = LBReplayRNG([0, 0])
        #expect(strict.choose(using: &rng) == nil)
    }

    /// Envoy's own EdfSchedulerTest property: createWithPicks(P) behaves like an empty scheduler
    /// that had all entries added in order and then P picks made (same future pick sequence).
    /// Weights are irrational multiples of each other: where two deadlines coincide exactly
    /// (weights 3.7 and 40.7 = 11 x 3.7) the 1e-13 augmentation may order them differently, as
    /// Envoy's comment on createWithPicks warns.
    @Test(arguments: [0, 1, 7, 23, 100, 1234, 99_999])
    func createWithPicksMatchesReplay(picks: Int) {
        let weights: [Double] = [25 * 2.0.squareRoot(), 74 * 3.0.squareRoot(), 3 * 5.0.squareRoot(),
                                 1.9 * Double.pi, 2.718281828459045, 40 * 7.0.squareRoot()]
        var replay = EDFScheduler()
        for (i, w) in weights.enumerated() { replay.add(i, weight: w) }
        for _ in 0..<picks { _ = replay.pickAndAdd { weights[$0] } }
        var direct = EDFScheduler(weights: weights, picks: UInt32(picks))
        for k in 0..<300 {
            let a = direct.pickAndAdd { weights[$0] }
            let b = replay.pickAndAdd { weights[$0] }
            #expect(a == b, "pick \(k)")
        }
    }

    /// EDF with static integer weights: deadlines k/w_i, so the first sum(w) picks contain entry i
    /// exactly w_i times.
    @Test func edfFirstRoundIsExactlyProportional() {
        let weights: [Double] = [5, 1, 3, 2]
        var edf = EDFScheduler(weights: weights, picks: 0)
        var counts = [0, 0, 0, 0]
        for _ in 0..<11 { counts[edf.pickAndAdd { weights[$0] }!] += 1 }
        #expect(counts == [5, 1, 3, 2])
    }

    /// Unequal weights switch to EDF with weight/(active+1). Hand-run with weights A=2, B=1,
    /// seed 0, each pick followed by connectionOpened and nothing closed:
    /// start deadlines A 1/2, B 1/(1+1e-13) (just under 1), time 0.
    /// 1 A@0.5 -> re-add 2/1 -> 1.0   2 B@0.99.. -> 1/1 -> 1.99..   3 A@1.0 -> 2/2 -> 2.0
    /// 4 B@1.99.. -> 1/2 -> 3.99..    5 A@2.0 -> 2/3 -> 3.5         6 A@3.5 -> 2/4 -> 5.5
    /// 7 B@3.99.. -> 1/3 -> 6.99..    8 A@5.5 -> 2/5 -> 8.0
    @Test func weightedPicksHandRun() {
        let lr = LeastRequestBalancer()
        lr.addBackend(1, BackendConfig(weight: 2))
        lr.addBackend(2, BackendConfig(weight: 1))
        #expect(lr.usesWeightedSelection)
        var rng = LBReplayRNG([])
        var seq: [Int] = []
        for _ in 0..<8 {
            let id = lr.choose(using: &rng)!
            lr.connectionOpened(id)
            seq.append(id)
        }
        #expect(seq == [1, 2, 1, 2, 1, 1, 2, 1])
        #expect(rng.taken == 0)
    }

    @Test func explicitBiasForcesWeightedEvenWithEqualWeights() {
        let lr = LeastRequestBalancer(activeRequestBias: 0.0)   // bias 0: plain weighted round robin
        for id in 0..<3 { lr.addBackend(id) }
        #expect(lr.usesWeightedSelection)
        var rng = LBReplayRNG([])
        #expect((0..<6).map { _ in lr.choose(using: &rng)! } == [0, 1, 2, 0, 1, 2])
    }
}
