import Glibc
import JSONKit
import Logging
import SystemKit

/// `spliced`'s log lines on standard error, as dockerd (logrus' text format) writes them:
/// `time="2026-12-06T15:22:45.123456789Z" level=info msg="API listen on /run/splice.sock" key=value`.
public struct DaemonLogHandler: LogHandler {
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Fields added to every line.
    public var metadata: Logger.Metadata = [:]

    /// A handler writing lines at `level` and above.
    public init(level: Logger.Level) { logLevel = level }

    /// A field of this handler's metadata.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line to standard error.
    public func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        Daemon.writeStandardError(Self.line(level: event.level, message: "\(event.message)", fields: fields,
                                            time: Self.now()))
    }

    /// Writes one line to standard error (swift-log's older entry point).
    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        let fields = self.metadata.merging(metadata ?? [:]) { _, new in new }
        Daemon.writeStandardError(Self.line(level: level, message: "\(message)", fields: fields, time: Self.now()))
    }

    /// One line: time, level, message, then the fields sorted by name.
    static func line(level: Logger.Level, message: String, fields: Logger.Metadata, time: String) -> String {
        var text = "time=\"\(time)\" level=\(name(of: level)) msg=\(quoted(message))"
        for key in fields.keys.sorted() {
            guard let value = fields[key] else { continue }
            text += " \(key)=\(quoted("\(value)"))"
        }
        return text + "\n"
    }

    /// logrus' level names (`warn` is written `warning`, `critical` is dockerd's `fatal`).
    static func name(of level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warning"
        case .error: "error"
        case .critical: "fatal"
        }
    }

    /// The value as logrus writes it: bare when only letters, digits and `-._/@^+`, else quoted with Go's escapes.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._/@^+".unicodeScalars.contains(scalar)
        }
        return plain ? value : JSONString.quoted(value)
    }

    /// The current wall-clock time in RFC 3339 with nanoseconds.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return RFC3339.format(seconds: Int64(spec.tv_sec), nanoseconds: spec.tv_nsec)
    }
}
