/// A registry's `WWW-Authenticate` answer: `Basic realm="…"` or `Bearer realm="…",service="…",scope="…"`.
public struct AuthChallenge: Hashable, Sendable {
    /// The scheme, lowercased: `basic` or `bearer`.
    public let scheme: String
    /// The parameters (`realm`, `service`, `scope`), keys lowercased.
    public let parameters: [String: String]

    /// Parses one challenge; nil when the text has no scheme.
    public init?(parsing text: String) {
        let trimmed = text.drop { $0 == " " }
        let scheme = trimmed.prefix { $0 != " " }
        guard !scheme.isEmpty else { return nil }
        self.scheme = scheme.lowercased()
        var parameters: [String: String] = [:]
        var rest = Array(trimmed.dropFirst(scheme.count).utf8)
        var index = 0
        func skip(_ bytes: Set<UInt8>) { while index < rest.count, bytes.contains(rest[index]) { index += 1 } }
        while index < rest.count {
            skip([UInt8(ascii: " "), UInt8(ascii: ",")])
            let keyStart = index
            while index < rest.count, rest[index] != UInt8(ascii: "=") { index += 1 }
            let key = String(decoding: rest[keyStart..<index], as: UTF8.self).lowercased()
                .trimmingCharacters(in: " ")
            index += 1
            var value: [UInt8] = []
            if index < rest.count, rest[index] == UInt8(ascii: "\"") {
                index += 1
                while index < rest.count, rest[index] != UInt8(ascii: "\"") {
                    if rest[index] == UInt8(ascii: "\\"), index + 1 < rest.count { index += 1 }
                    value.append(rest[index])
                    index += 1
                }
                index += 1
            } else {
                while index < rest.count, rest[index] != UInt8(ascii: ",") {
                    value.append(rest[index])
                    index += 1
                }
            }
            if !key.isEmpty { parameters[key] = String(decoding: value, as: UTF8.self) }
        }
        rest = []
        self.parameters = parameters
    }
}

extension String {
    /// The string without leading and trailing `character`s.
    fileprivate func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
