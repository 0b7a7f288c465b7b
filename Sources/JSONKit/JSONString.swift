/// JSON string literals as Go's `encoding/json` writes them, the one escaper for every JSON we write by hand.
public enum JSONString {
    /// `text` as a quoted JSON string: `"` and `\` escaped, `\n`, `\r`, `\t` short, other control characters,
    /// U+2028 and U+2029 as `\u00XX`; with `escapingHTML` (Go's default, and the json-file log driver's) also
    /// `<`, `>` and `&`.
    public static func quoted(_ text: String, escapingHTML: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&": out += escapingHTML ? unicodeEscape(scalar) : String(scalar)
            case "\u{2028}", "\u{2029}", "\u{0}"..."\u{1f}": out += unicodeEscape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `\uXXXX` with lowercase hex digits, as Go writes it.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
