/// The Dockerfile's word processing (dockerd's shell lexer): `$VAR`, `${VAR}`, `${VAR:-default}` and
/// `${VAR:+alternative}` substitution, single quotes (literal), double quotes (substituting), the escape character,
/// and splitting on unquoted blanks.
public struct ShellWords: Sendable {
    /// The escape character of the Dockerfile.
    public let escape: Character
    /// The variables visible to the instruction (ENV, then ARG values).
    public let variables: [String: String]

    /// Creates a processor.
    public init(escape: Character = "\\", variables: [String: String]) {
        self.escape = escape
        self.variables = variables
    }

    /// The words of `text`, substituted and unquoted.
    public func words(_ text: String) throws(DockerfileLexError) -> [String] { try process(text, split: true) }

    /// `text` as one word, substituted and unquoted (blanks kept).
    public func word(_ text: String) throws(DockerfileLexError) -> String {
        try process(text, split: false).joined()
    }

    private func process(_ text: String, split: Bool) throws(DockerfileLexError) -> [String] {
        let characters = Array(text)
        var index = 0
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quote == "'" {
                if character == "'" { quote = nil } else { current.append(character) }
                continue
            }
            if character == escape {
                guard index < characters.count else {
                    current.append(character)
                    continue
                }
                let next = characters[index]
                index += 1
                if quote == "\"" && next != "\"" && next != escape && next != "$" { current.append(character) }
                current.append(next)
                inWord = true
                continue
            }
            if character == "$" {
                let value = try substitute(characters, &index)
                if split && quote == nil {
                    // An unquoted expansion is split on blanks; an empty one adds no word.
                    for part in value {
                        if part == " " || part == "\t" {
                            if inWord { words.append(current) }
                            current = ""
                            inWord = false
                        } else {
                            current.append(part)
                            inWord = true
                        }
                    }
                } else {
                    current += value
                    if quote != nil || !value.isEmpty { inWord = true }
                }
                continue
            }
            if quote == "\"" {
                if character == "\"" { quote = nil } else { current.append(character) }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                inWord = true
                continue
            }
            if split && (character == " " || character == "\t") {
                if inWord { words.append(current) }
                current = ""
                inWord = false
                continue
            }
            current.append(character)
            inWord = true
        }
        if let quote { throw DockerfileLexError("unexpected end of statement while looking for matching \(quote)") }
        if inWord || !split { words.append(current) }
        return words
    }

    /// The value after a `$` at `index` (which moves past the reference).
    private func substitute(_ characters: [Character], _ index: inout Int) throws(DockerfileLexError) -> String {
        guard index < characters.count else { return "$" }
        if characters[index] == "{" {
            index += 1
            var name = ""
            while index < characters.count, characters[index].isNameCharacter {
                name.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw DockerfileLexError("missing '}' in ${\(name)") }
            if characters[index] == "}" {
                index += 1
                return variables[name] ?? ""
            }
            var modifier = String(characters[index])
            index += 1
            if modifier == ":", index < characters.count {
                modifier.append(characters[index])
                index += 1
            }
            var depth = 1
            var operand = ""
            while index < characters.count {
                let character = characters[index]
                index += 1
                if character == "{" { depth += 1 }
                if character == "}" {
                    depth -= 1
                    if depth == 0 { break }
                }
                operand.append(character)
            }
            guard depth == 0 else { throw DockerfileLexError("missing '}' in ${\(name)") }
            let word = try ShellWords(escape: escape, variables: variables).word(operand)
            let value = variables[name]
            switch modifier {
            case ":-": return (value ?? "").isEmpty ? word : value ?? ""
            case "-": return value ?? word
            case ":+": return (value ?? "").isEmpty ? "" : word
            case "+": return value == nil ? "" : word
            case ":?", "?":
                if value == nil || (modifier == ":?" && value == "") {
                    throw DockerfileLexError("\(name): \(word.isEmpty ? "is not allowed to be unset" : word)")
                }
                return value ?? ""
            default: throw DockerfileLexError("unsupported modifier (\(modifier)) in substitution")
            }
        }
        var name = ""
        while index < characters.count, characters[index].isNameCharacter {
            name.append(characters[index])
            index += 1
        }
        return name.isEmpty ? "$" : variables[name] ?? ""
    }
}

extension Character {
    /// A letter, digit or underscore: what a variable name is made of.
    fileprivate var isNameCharacter: Bool { isLetter || isNumber || self == "_" }
}
