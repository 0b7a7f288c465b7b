/// A small evaluator for the Go-template forms `docker inspect -f` is used with: field paths (`.State.Pid`),
/// `.`, literal text, pipelines and the functions `json`, `index`, `join`, `upper`, `lower`, `len`, `println`.
public struct GoTemplate: Sendable {
    private enum Piece: Sendable {
        case text(String)
        case action([[Token]])
    }

    private enum Token: Sendable, Equatable {
        case field([String])
        case word(String)
        case literal(String)
    }

    private let pieces: [Piece]

    /// Parses `source`; throws a usage error for malformed templates.
    public init(_ source: String) throws(ClientError) {
        var pieces: [Piece] = []
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{") {
            var text = String(rest[..<open.lowerBound])
            var body = rest[open.upperBound...]
            guard let close = body.firstRange(of: "}}") else { throw .usage("template: unclosed action") }
            var inner = body[..<close.lowerBound]
            body = body[close.upperBound...]
            if inner.hasPrefix("- ") {
                inner = inner.dropFirst(2)
                while let last = text.last, last.isWhitespace { text.removeLast() }
            }
            var trimAfter = false
            if inner.hasSuffix(" -") {
                inner = inner.dropLast(2)
                trimAfter = true
            }
            if !text.isEmpty { pieces.append(.text(text)) }
            pieces.append(.action(try Self.parsePipeline(inner)))
            rest = trimAfter ? body.drop(while: { $0.isWhitespace }) : body
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    private static func parsePipeline(_ text: Substring) throws(ClientError) -> [[Token]] {
        var commands: [[Token]] = [[]]
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "|" {
                commands.append([])
                index = text.index(after: index)
            } else if character == "\"" || character == "`" {
                var end = text.index(after: index)
                var value = ""
                while end < text.endIndex, text[end] != character {
                    if character == "\"", text[end] == "\\", text.index(after: end) < text.endIndex {
                        end = text.index(after: end)
                        switch text[end] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(text[end])
                        }
                    } else {
                        value.append(text[end])
                    }
                    end = text.index(after: end)
                }
                guard end < text.endIndex else { throw .usage("template: unterminated quoted string") }
                commands[commands.count - 1].append(.literal(value))
                index = text.index(after: end)
            } else {
                var end = index
                while end < text.endIndex, !text[end].isWhitespace, text[end] != "|" { end = text.index(after: end) }
                let word = text[index..<end]
                if word.hasPrefix(".") {
                    commands[commands.count - 1].append(.field(word.dropFirst().split(separator: ".").map(String.init)))
                } else {
                    commands[commands.count - 1].append(.word(String(word)))
                }
                index = end
            }
        }
        guard !commands.contains(where: { $0.isEmpty }) else { throw .usage("template: missing value for command") }
        return commands
    }

    /// Runs the template against `root`.
    public func render(_ root: JSONValue) throws(ClientError) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .action(let pipeline):
                var value: Value?
                for command in pipeline { value = try Self.run(command, root: root, piped: value) }
                if let value { out += value.printed }
            }
        }
        return out
    }

    /// A value flowing through a pipeline.
    private enum Value {
        case json(JSONValue?)
        case text(String)

        var printed: String {
            switch self {
            case .text(let text): return text
            case .json(let value): return value.map(Self.format) ?? "<no value>"
            }
        }

        var json: JSONValue {
            switch self {
            case .text(let text): return .string(text)
            case .json(let value): return value ?? .null
            }
        }

        static func format(_ value: JSONValue) -> String {
            switch value {
            case .null: return "<nil>"
            case .bool(let flag): return flag ? "true" : "false"
            case .number(let text): return text
            case .string(let text): return text
            case .array(let items): return "[" + items.map(format).joined(separator: " ") + "]"
            case .object(let members):
                let sorted = members.sorted { $0.key < $1.key }
                return "map[" + sorted.map { "\($0.key):\(format($0.value))" }.joined(separator: " ") + "]"
            }
        }
    }

    private static func resolve(_ path: [String], in root: JSONValue) -> JSONValue? {
        var current: JSONValue? = root
        for key in path {
            guard let value = current, case .object(let members) = value else { return nil }
            // Exact JSON key first, then Go's field name for it (`.Status` for `status`, `.ID` for `id`).
            current = value[key] ?? members.first(where: { $0.key.lowercased() == key.lowercased() })?.value
        }
        return current
    }

    private static func argument(_ token: Token, root: JSONValue) -> Value {
        switch token {
        case .field(let path): return .json(resolve(path, in: root))
        case .literal(let text): return .text(text)
        case .word(let word): return .text(word)
        }
    }

    private static func run(_ command: [Token], root: JSONValue, piped: Value?) throws(ClientError) -> Value {
        guard let head = command.first else { throw .usage("template: empty command") }
        var args = command.dropFirst().map { argument($0, root: root) }
        if let piped { args.append(piped) }
        guard case .word(let name) = head else {
            guard command.count == 1, piped == nil else {
                throw .usage("template: can't give argument to non-function")
            }
            return argument(head, root: root)
        }
        switch name {
        case "json":
            guard args.count == 1 else { throw .usage("template: wrong number of args for json: want 1 got \(args.count)") }
            return .text(args[0].json.compactText)
        case "upper", "lower":
            guard args.count == 1 else { throw .usage("template: wrong number of args for \(name)") }
            return .text(name == "upper" ? args[0].printed.uppercased() : args[0].printed.lowercased())
        case "len":
            guard args.count == 1 else { throw .usage("template: wrong number of args for len") }
            switch args[0].json {
            case .array(let items): return .text(String(items.count))
            case .object(let members): return .text(String(members.count))
            case .string(let text): return .text(String(text.utf8.count))
            default: throw .usage("template: len of \(args[0].printed)")
            }
        case "join":
            guard args.count == 2, case .array(let items) = args[0].json else {
                throw .usage("template: join needs a list and a separator")
            }
            return .text(items.map(Value.format).joined(separator: args[1].printed))
        case "index":
            guard args.count >= 2 else { throw .usage("template: wrong number of args for index") }
            var current: JSONValue? = args[0].json
            for key in args.dropFirst() {
                switch current {
                case .object?: current = current?[key.printed]
                case .array(let items)?:
                    guard let position = Int(key.printed), items.indices.contains(position) else {
                        throw .usage("template: index out of range: \(key.printed)")
                    }
                    current = items[position]
                default: current = nil
                }
            }
            return .json(current)
        case "println":
            return .text(args.map(\.printed).joined(separator: " ") + "\n")
        case "print":
            return .text(args.map(\.printed).joined())
        default:
            throw .usage("template: function \"\(name)\" not defined")
        }
    }
}
