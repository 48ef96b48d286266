import Foundation
import Scenario
import SimCore
import Testing
import World

/// `warmup: auto` (MSER-5) cuts where the transient ends.
@Suite struct WarmupAutoTests {
    @Test func cutsAtTheEndOfAKnownTransient() throws {
        // 20 min of overload (λ = 1.3/s, μ = 1/s) builds a queue of about (1.3 − 1)·1200 = 360
        // customers, which drains at μ − λ' = 1 − 0.65 = 0.35/s: about 1029 s more. The
        // transient therefore ends near 20 min + 17 min = 37 min; stationary M/M/1 at ρ = 0.65
        // follows. The drain end is random: the queue built has sd ≈ √(2.3·1200) ≈ 52 customers
        // (≈ 2.5 min of draining) and the drain's hitting time sd ≈ √(360·1.65/0.35³) ≈ 2 min.
        // MSER-5 errs late rather than early (it also trims the noisy tail of the drain), so the
        // cut must land after 30 min (never inside the transient) and before 65 min.
        let path = NSTemporaryDirectory() + "capsim-auto-\(UUID().uuidString.prefix(8)).yaml"
        try """
            name: auto
            seed: 3
            duration: 6h
            warmup: auto
            report: { interval: 30s }
            queueing:
              arrivals: [{ to: s, rate: 1.3/s, profile: [{ at: 20min, multiplier: 0.5 }] }]
              stations: { s: { servers: 1, service: { exponential: { mean: 1s } } } }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try ScenarioConfig.load(path: path)
        for (i, m) in try ScenarioRunner.run(c, seed: 3, replications: 3, threads: 1).enumerated() {
            let cut = Double(m.warmupCut) / 60e9
            #expect(cut > 30 && cut < 65, "replication \(i): cut at \(cut) min")
            // Statistics start at the cut: the mean wait is the stationary M/M/1 value
            // ρ/(μ − λ) = 0.65/0.35 = 1.857 s, within the noise of ~20k customers (±25 %).
            let wq = m.histogram("s.wait")!.mean / 1e9
            #expect(abs(wq - 1.857) < 0.25 * 1.857, "replication \(i): Wq \(wq)")
        }
    }
}
