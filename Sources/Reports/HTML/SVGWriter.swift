import SimCore

/// A small writer for SVG and HTML markup with explicit, locale-free number formatting.
///
/// Why hand-written: the report must be byte-identical for the same inputs on any machine,
/// so every number that reaches the page goes through `SVGWriter.num` (fixed two decimals,
/// trailing zeros trimmed, never an exponent or a locale's decimal comma), and attributes
/// are written in the order given, never from a dictionary.
public struct SVGWriter: Sendable {
    public private(set) var text = ""

    public init() {}

    /// `<tag a="v" ...>`
    public mutating func open(_ tag: String, _ attributes: [(String, String)] = []) {
        text += "<" + tag
        appendAttributes(attributes)
        text += ">"
    }

    public mutating func close(_ tag: String) { text += "</" + tag + ">" }

    /// `<tag a="v" .../>` (SVG elements without content).
    public mutating func leaf(_ tag: String, _ attributes: [(String, String)]) {
        text += "<" + tag
        appendAttributes(attributes)
        text += "/>"
    }

    /// `<tag ...>escaped content</tag>`
    public mutating func element(_ tag: String, _ attributes: [(String, String)] = [], _ content: String) {
        open(tag, attributes)
        text += SVGWriter.escape(content)
        close(tag)
    }

    /// Markup that is already escaped (a nested chart, a prepared fragment).
    public mutating func raw(_ markup: String) { text += markup }

    mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (k, v) in attributes { text += " " + k + "=\"" + SVGWriter.escape(v) + "\"" }
    }

    /// A coordinate or length: at most two decimals, no exponent, no "-0".
    public static func num(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let hundredths = (x * 100).rounded()
        guard abs(hundredths) < 9e15 else { return x < 0 ? "-90000000000000" : "90000000000000" }
        let i = Int64(hundredths)
        let sign = i < 0 ? "-" : ""
        let a = i.magnitude
        let whole = a / 100, frac = a % 100
        if frac == 0 { return whole == 0 ? "0" : sign + String(whole) }
        let f = frac % 10 == 0 ? String(frac / 10) : (frac < 10 ? "0" + String(frac) : String(frac))
        return sign + String(whole) + "." + f
    }

    /// Escapes text and attribute values for XML and HTML.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
