/// One record of a container's json-file log.
public struct LogEntry: Codable, Sendable, Equatable {
    /// The text, with its trailing newline.
    public var log: String
    /// `stdout` or `stderr`.
    public var stream: String
    /// RFC 3339 nano time.
    public var time: String

    /// Creates a record.
    public init(log: String, stream: String, time: String) {
        self.log = log
        self.stream = stream
        self.time = time
    }
}
