import JSONKit

/// Renders Docker's JSON progress messages as the docker CLI does (`jsonmessage.DisplayJSONMessagesStream`): on a
/// terminal one line per layer id, redrawn in place with cursor movement; otherwise the status lines only.
public struct ProgressDisplay {
    /// Whether the output is a terminal.
    public let isTerminal: Bool
    /// The line of each layer id, counted from the first.
    private var lines: [String: Int] = [:]

    /// Creates a display.
    public init(isTerminal: Bool) { self.isTerminal = isTerminal }

    /// The text to write for one message (empty for one not shown); `error` and `aux` messages are the caller's.
    public mutating func render(_ message: JSONValue) -> String {
        let id = message["id"]?.stringValue ?? ""
        let hasProgress = message["progressDetail"] != nil
        var text = ""
        var diff = 0
        if !id.isEmpty && hasProgress {
            // A new id gets a new line below the others; the cursor rests below the last line, so the line of an
            // id is `diff` lines up.
            let line = lines[id] ?? lines.count
            if lines[id] == nil {
                lines[id] = line
                if isTerminal { text += "\n" }
            }
            diff = lines.count - line
            if isTerminal { text += "\u{1B}[\(diff)A" }
        } else {
            lines = [:]
        }
        let status = message["status"]?.stringValue ?? ""
        let bar = message["progress"]?.stringValue ?? ""
        if let stream = message["stream"]?.stringValue {
            text += stream
        } else if isTerminal && hasProgress {
            text += "\u{1B}[2K\r" + (id.isEmpty ? "" : id + ": ") + status + " " + bar + "\r"
        } else if hasProgress && !bar.isEmpty {
            return ""
        } else {
            text += (id.isEmpty ? "" : id + ": ") + status + "\n"
        }
        if isTerminal && !id.isEmpty && diff > 0 { text += "\u{1B}[\(diff)B" }
        return text
    }
}
