import Reports
import SimCore
import Testing

/// Reading JSON back: reports round-trip exactly, errors carry their offset.
@Suite struct JSONParseTests {
    @Test func reportJSONRoundTripsExactly() throws {
        for report in [SyntheticReports.platform(), SyntheticReports.queueing()] {
            let text = report.json.serialized(sortedKeys: true)
            let back = try JSONValue.parse(text)
            #expect(back.serialized(sortedKeys: true) == text)
            #expect(FigureTable(json: back) == FigureTable(report: report))
        }
    }

    @Test func scalarsEscapesAndOrder() throws {
        let v = try JSONValue.parse(#"{"b": [1, -2.5, 1e3, true, false, null], "a": "x\"y\\z\n\u00e9\ud83d\ude00"}"#)
        #expect(v.objectValue?.map(\.0) == ["b", "a"])  // document order kept
        #expect(v["b"] == .array([.integer(1), .number(-2.5), .number(1000), .bool(true), .bool(false), .null]))
        #expect(v["a"] == .string("x\"y\\z\né😀"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01x", "\"abc", "{\"a\":1} x", "[\"\\q\"]", "tru", "1.", "-"])
    func malformedInputThrows(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func csvRoundTripsSeries() throws {
        let r = SyntheticReports.queueing()
        let series = ChartSeries.read(seriesCSV: r.seriesCSV)
        #expect(series.map(\.name) == r.series.map(\.name))
        #expect(series[0].values.count == r.series[0].series.values.count)
        // What the writer quotes (RFC 4180), the shared reader reads back.
        let awkward = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", ""]
        let line = awkward.map(CSV.field).joined(separator: ",") + "\r\n"
        #expect(try DelimitedText.records(line + line).map(\.fields) == [awkward, awkward])
    }
}
