import SimCore
import Testing

/// The shared reader against the examples of RFC 4180 section 2 (numbered as there) and
/// the extensions it documents (byte-order mark, blank lines, tab tables, line numbers).
@Suite struct DelimitedTextTests {
    func fields(_ text: String) throws -> [[String]] { try DelimitedText.records(text).map(\.fields) }

    @Test func rfc4180Section2() throws {
        // 2.1 CRLF-terminated records; 2.2 the last one may lack its line break; 2.3 a header is a record.
        #expect(try fields("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        #expect(try fields("aaa,bbb,ccc\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        #expect(try fields("field_name,field_name,field_name\r\naaa,bbb,ccc\r\n") == [["field_name", "field_name", "field_name"], ["aaa", "bbb", "ccc"]])
        // 2.4 spaces are part of a field; the last field has no comma after it.
        #expect(try fields("aaa, bbb ,ccc") == [["aaa", " bbb ", "ccc"]])
        // 2.5 fields may be enclosed in double quotes.
        #expect(try fields("\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
        // 2.6 line breaks, double quotes and commas inside quotes.
        #expect(try fields("\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx") == [["aaa", "b\r\nbb", "ccc"], ["zzz", "yyy", "xxx"]])
        #expect(try fields("\"a,b\",c") == [["a,b", "c"]])
        // 2.7 a double quote inside a quoted field is written twice.
        #expect(try fields("\"aaa\",\"b\"\"bb\",\"ccc\"") == [["aaa", "b\"bb", "ccc"]])
    }

    @Test func emptyFields() throws {
        #expect(try fields("a,,c\n,b,\n\"\",x") == [["a", "", "c"], ["", "b", ""], ["", "x"]])
        #expect(try fields("") == [])
        #expect(try fields("\n\n") == [])
    }

    @Test func recordsCarryTheLineTheyStartOn() throws {
        // LF, CRLF and a lone CR each end a line; blank lines are skipped but counted.
        let r = try DelimitedText.records("\u{FEFF}h1,h2\n\n  \na,\"multi\nline\"\r\nb,c\rd,e")
        #expect(r == [DelimitedText.Record(line: 1, fields: ["h1", "h2"]), DelimitedText.Record(line: 4, fields: ["a", "multi\nline"]),
                      DelimitedText.Record(line: 6, fields: ["b", "c"]), DelimitedText.Record(line: 7, fields: ["d", "e"])])
    }

    @Test func anUnclosedQuoteIsAnErrorAtItsLine() {
        do throws(DelimitedText.SyntaxError) {
            _ = try DelimitedText.records("a,b\n1,\"x,\n2,y\n")
            Issue.record("an unclosed quote was accepted")
        } catch {
            // The quote opens on line 2 and runs to the end of the text.
            #expect(error.line == 2 && error.problem == "a double quote is opened and never closed")
        }
    }

    @Test func quotesOnlyOpenAFieldAtItsStart() throws {
        // A quote inside unquoted text is text; a quote after leading spaces opens the field.
        #expect(try fields("ab\"c,  \"d,e\"") == [["ab\"c", "d,e"]])
    }

    @Test func tabTablesSplitAtEveryTab() throws {
        // MDRP instance files: fields never hold a tab or a quote, so they are split at every tab as before.
        #expect(try DelimitedText.records("x\ty\n\t \n\"1\"\t2,3\n", delimiter: "\t", quoting: false)
                == [DelimitedText.Record(line: 1, fields: ["x", "y"]), DelimitedText.Record(line: 3, fields: ["\"1\"", "2,3"])])
    }
}
