import Reports
import SimCore
import Testing

@Suite struct ReportJSONTests {
    @Test func canonicalJSONSortsKeysAndEscapes() {
        let v = JSONValue.object([("b", .integer(1)), ("a", .string("x\"y\n")), ("c", .array([.number(0.5), .null, .bool(true)]))])
        #expect(v.serialized() == "{\n  \"a\": \"x\\\"y\\n\",\n  \"b\": 1,\n  \"c\": [\n    0.5,\n    null,\n    true\n  ]\n}\n")
    }

    @Test func csvQuotesPerRFC4180() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
