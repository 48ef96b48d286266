import CapsimTestSupport
import Foundation
import Reports
import SimCore
import Testing

/// Partial results (what `capsim unit` writes, what `capsim merge` reads) must be lossless:
/// a report merged from replications read back from their text is byte-identical to the
/// report merged from the replications in memory.
@Suite struct PartialResultTests {
    /// Latencies spanning the histogram's whole range: zeros, sub-microsecond values (the
    /// zero bucket), ordinary milliseconds, hours, and values above the 30-day clamp. Without
    /// `zeros` the smallest sample is an exact non-zero value, which `percentile(0)` returns.
    static func histogram(seed: UInt64, samples: Int, zeros: Bool = true) -> LatencyHistogram {
        var rng = SplitMix64(seed: seed)
        var h = LatencyHistogram()
        for i in 0..<samples {
            switch i % 7 {
            case 0 where zeros: h.record(0)
            case 1 where zeros: h.record(SimTime(rng.below(999)))
            case 6: h.record(SimTime(rng.below(4_000_000)) * 1_000_000_000)  // up to 46 days
            default: h.record(SimTime(rng.below(2_000_000_000)))
            }
        }
        return h
    }

    static func roundTrip(_ h: LatencyHistogram) throws -> LatencyHistogram {
        let text = h.stateJSON.serialized()
        return try LatencyHistogram(stateJSON: try JSONValue.parse(text), path: "h")
    }

    @Test(arguments: [(1 as UInt64, 1, true), (2, 2, true), (3, 1_000, true), (4, 50_000, true), (5, 1, false), (6, 3_000, false)])
    func histogramStateRoundTripsExactly(seed: UInt64, samples: Int, zeros: Bool) throws {
        let h = Self.histogram(seed: seed, samples: samples, zeros: zeros)
        if !zeros { #expect(h.percentile(0) == Double(h.min) && h.min % 1_000 != 0) }  // an exact minimum, not a bucket edge
        let back = try Self.roundTrip(h)
        #expect(back.count == h.count && back.min == h.min && back.max == h.max)
        #expect(back.mean.bitPattern == h.mean.bitPattern)
        for p in stride(from: 0.0, through: 100.0, by: 0.5) + [99.9, 99.99, 99.999] {
            #expect(back.percentile(p) == h.percentile(p), "p\(p)")
        }
        for v: SimTime in [0, 500, 1_000, 123_456, 1_000_000_000, 3_000_000_000_000_000] {
            #expect(back.fraction(atOrBelow: v) == h.fraction(atOrBelow: v))
        }
        #expect(back.logBuckets().map { "\($0.upper):\($0.count)" } == h.logBuckets().map { "\($0.upper):\($0.count)" })
        #expect(back.stateJSON == h.stateJSON)
        // Merging the read-back copy into another histogram equals merging the original.
        var a = Self.histogram(seed: 99, samples: 300), b = a
        a.merge(h)
        b.merge(back)
        #expect(a.stateJSON == b.stateJSON)
        #expect(a.percentile(99) == b.percentile(99) && a.mean.bitPattern == b.mean.bitPattern)
    }

    @Test func emptyHistogramRoundTrips() throws {
        let h = LatencyHistogram()
        let back = try Self.roundTrip(h)
        #expect(back.count == 0 && back.stateJSON == h.stateJSON && back.percentile(50) == 0)
    }

    /// Measurements with everything a model can put in them, including doubles JSON cannot
    /// spell (NaN, infinities) and -0.0.
    static func metrics(_ seed: UInt64) -> RunMetrics {
        var m = RunMetrics()
        m.latency("b.wait", histogram(seed: seed, samples: 5_000))
        m.latency("a.sojourn", histogram(seed: seed + 1, samples: 3_000))
        if seed % 2 == 0 { m.latency("c.rare", histogram(seed: seed + 2, samples: 3)) }
        m.counter("requests", Double(seed) * 1_000.25)
        m.counter("ratio", 1.0 / 3.0 + Double(seed))
        m.counter("odd", seed == 1 ? .nan : -0.0)
        m.gauge("queue", mean: 2.718281828459045 * Double(seed), max: 17, unit: "")
        m.gauge("cpu", mean: .infinity, max: -.infinity, unit: "%")
        m.addSeries("queue", unit: "", times: [0, 60_000_000_000, 120_000_000_000], values: [0.1, 1e-300, 5e300])
        m.invariant("conservation", seed != 3, "in = out + queued \u{2014} \"quoted\"\n")
        m.findings.append((severity: "warning", code: "x", message: "ünïcödé 🚀"))
        m.markers.append(RunMetrics.Marker(time: 1_800_000_000_000, kind: "crash", label: "10 pods of location_service@us_east"))
        m.eventsProcessed = 1_234_567 + seed
        m.simulatedTime = 3_600_000_000_000
        m.warmupCut = 600_000_000_000
        return m
    }

    static let header = Report.Header(scenarioName: "s", scenarioFile: "s.yaml", description: "", resolvedScenario: .object([]),
                                      seed: 42, replications: 3, model: "queueing")

    @Test func reportFromReadBackPartsIsByteIdentical() throws {
        let runs = (1...3).map { Self.metrics(UInt64($0)) }
        let back = try runs.enumerated().map { (i, m) -> RunMetrics in
            let unit = WorkUnit(scenario: "/x/s.yaml", overrides: ["a=1"], seed: 42, replication: i, scenarioDigest: "00ff")
            let text = PartialResult(unit: unit, metrics: m).text
            let part = try PartialResult.read(text, name: "unit-\(i).json")
            #expect(part.unit == unit)
            #expect(part.text == text)  // canonical: reading and writing again changes nothing
            return part.metrics
        }
        let direct = Report(header: Self.header, replications: runs)
        let merged = Report(header: Self.header, replications: back)
        #expect(merged.json.serialized() == direct.json.serialized())
        #expect(merged.markdown == direct.markdown)
        #expect(merged.seriesCSV == direct.seriesCSV && merged.summaryCSV == direct.summaryCSV)
        #expect(back[0].counters[2].value.isNaN && back[1].counters[2].value.sign == .minus)
        #expect(back[0].gauges[1].gauge.mean == .infinity && back[0].gauges[1].gauge.max == -.infinity)
    }

    /// A field added to RunMetrics, Gauge or Series must be added to the codec too, or merged
    /// reports would silently lose it.
    @Test func codecCoversEveryStoredField() {
        let names = { (v: Any) in Mirror(reflecting: v).children.compactMap(\.label).sorted() }
        #expect(names(RunMetrics()) == RunMetrics.codedFields["RunMetrics"]!.sorted())
        #expect(names(RunMetrics.Gauge(mean: 0, max: 0, unit: "")) == RunMetrics.codedFields["Gauge"]!.sorted())
        #expect(names(RunMetrics.Series(unit: "", times: [], values: [])) == RunMetrics.codedFields["Series"]!.sorted())
    }

    @Test func badPartsAreRefusedWithThePathOfTheValue() throws {
        let unit = WorkUnit(scenario: "/x/s.yaml", overrides: [], seed: 1, replication: 0, scenarioDigest: "00")
        let good = PartialResult(unit: unit, metrics: Self.metrics(2)).text
        #expect(throws: JSONReadError.self) { try PartialResult.read("{\"format\": \"other\"}", name: "p.json") }
        let v2 = good.replacingOccurrences(of: "\"schema_version\": 1", with: "\"schema_version\": 2")
        do { _ = try PartialResult.read(v2, name: "p.json"); Issue.record("schema 2 accepted") }
        catch { #expect("\(error)" == "p.json: schema_version 2; this capsim reads 1") }
        let noEvents = good.replacingOccurrences(of: "\"events\"", with: "\"evens\"")
        do { _ = try PartialResult.read(noEvents, name: "p.json"); Issue.record("missing events accepted") }
        catch { #expect("\(error)" == "p.json.metrics: missing member 'events'") }
        let badBucket = good.replacingOccurrences(of: "\"buckets\": \"", with: "\"buckets\": \"x:1 ")
        do { _ = try PartialResult.read(badBucket, name: "p.json"); Issue.record("bad bucket accepted") }
        catch { #expect("\(error)".hasPrefix("p.json.metrics.latencies[0].histogram.hdr.buckets: pair 1, 'x:1'")) }
    }
}
