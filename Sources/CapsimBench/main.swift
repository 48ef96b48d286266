// capsim-bench: the Platform micro-benchmarks, run by scripts/bench after the end-to-end
// comparison. Each area's benchmark prints its own lines.
import Foundation

let only = CommandLine.arguments.dropFirst().first
func section(_ name: String, _ body: () -> Void) {
    guard only == nil || only == name else { return }
    print("-- \(name)")
    body()
}
section("geo") { GeoBenchmark.run() }
section("partitioning") { PartitioningBenchmark.run() }
section("matching") { MatchingBenchmark.run() }
section("load-balancing") { LoadBalancingBenchmark.run() }
section("cache") { CacheBenchmark.run() }
section("autoscaling") { AutoscalingBenchmark.run() }
