import DockerModels
import SystemKit

extension SpliceCLI {
    static func pause(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        try simple("pause", "/pause", arguments, context)
    }

    static func unpause(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        try simple("unpause", "/unpause", arguments, context)
    }

    private static func simple(_ command: String, _ suffix: String, _ arguments: [String], _ context: CommandContext)
        throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: command, flags: [])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...Int.max, usage: "CONTAINER [CONTAINER...]")
        return forEach(parsed.positionals, context) { name throws(ClientError) in
            _ = try context.client.call("POST", path("containers", name, suffix))
            context.console.out(name)
        }
    }

    static func restart(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        try stopOrRestart("restart", arguments, context)
    }

    static func events(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "events", flags: [
            .init("since", value: true), .init("until", value: true), .init("filter", "f", value: true),
            .init("format", value: true),
        ])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 0...0, usage: "[OPTIONS]")
        let template = try parsed.value("format").map { format throws(ClientError) in try GoTemplate(format) }
        var query: [(String, String)] = []
        if let since = parsed.value("since") { query.append(("since", try Timestamp.unix(since, now: context.now()))) }
        if let until = parsed.value("until") {
            query.append(("until", try Timestamp.unix(until, now: context.now(), flag: "until")))
        }
        if let filters = try filtersJSON(parsed.all("filter")) { query.append(("filters", filters)) }
        let response = try context.client.checked(method: "GET", path: "/events", query: query)
        var pending: [UInt8] = []
        while let piece = try response.nextChunk() {
            pending += piece
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
                let event = try JSONValue.parse(line)
                context.console.out(try template.map { template throws(ClientError) in try template.render(event) }
                    ?? eventLine(event))
            }
        }
        return 0
    }

    /// docker's event line: `<timeNano, RFC 3339 with 9 digits> <Type> <Action> <Actor.ID> (k=v, ...)`.
    public static func eventLine(_ event: JSONValue) -> String {
        var line = ""
        func integer(_ key: String) -> Int64? {
            if case .number(let text)? = event[key] { return Int64(text) }
            return nil
        }
        if let nanos = integer("timeNano"), nanos != 0 {
            line += fixedTime(seconds: nanos / 1_000_000_000, nanoseconds: Int(nanos % 1_000_000_000)) + " "
        } else if let seconds = integer("time"), seconds != 0 {
            line += fixedTime(seconds: seconds, nanoseconds: 0) + " "
        }
        let actor = event["Actor"]
        line += "\(event["Type"]?.stringValue ?? "") \(event["Action"]?.stringValue ?? "") "
            + (actor?["ID"]?.stringValue ?? "")
        if case .object(let attributes)? = actor?["Attributes"], !attributes.isEmpty {
            let pairs = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }
            line += " (" + pairs.joined(separator: ", ") + ")"
        }
        return line
    }

    /// `RFC3339NanoFixed` in UTC: always nine fraction digits.
    static func fixedTime(seconds: Int64, nanoseconds: Int) -> String {
        let whole = RFC3339.format(seconds: seconds, nanoseconds: 0)
        let digits = String(nanoseconds)
        return String(whole.dropLast()) + "." + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + "Z"
    }
}
