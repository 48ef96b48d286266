/// A key's default. Most are a value written as a user would write it (`"3.5km"`): the
/// decoder parses that very text with the key's unit parser when the key is absent, so the
/// default is stated once, here, and documentation and decoding cannot drift apart. A few
/// are derived from other keys (`initial` defaults to `min`): those carry only the
/// sentence for the documentation and the decoder computes them.
public struct FieldDefault: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The text the decoder parses when the key is absent; nil for a derived default.
    public var value: String?
    /// What `capsim schema` shows as "(default: ...)"; nil shows nothing.
    public var shown: String?

    public init(stringLiteral value: String) { self.value = value; self.shown = value }

    public init(value: String?, shown: String?) { self.value = value; self.shown = shown }

    /// A default computed from other keys, e.g. `.derived("the interval")`.
    public static func derived(_ sentence: String) -> FieldDefault { FieldDefault(value: nil, shown: sentence) }

    /// A value whose documentation says more than the value, e.g. `p99 (or the suffix of metric)`.
    public static func value(_ text: String, shown: String) -> FieldDefault { FieldDefault(value: text, shown: shown) }
}
