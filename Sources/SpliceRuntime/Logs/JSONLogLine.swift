import Glibc
import JSONKit
import SystemKit

/// One line of Docker's json-file log driver: `{"log":"...\n","stream":"stdout","time":"<RFC3339Nano>"}`.
public enum JSONLogLine {
    /// Encodes one log record (with its trailing newline) as Docker's `jsonlog` does: JSON string escaping with
    /// `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u....`, invalid UTF-8 replaced by U+FFFD.
    public static func encode(_ log: [UInt8], stream: String, time: String) -> String {
        "{\"log\":\(quoted(String(decoding: log, as: UTF8.self))),\"stream\":\(quoted(stream)),\"time\":\(quoted(time))}\n"
    }

    /// Docker's jsonlog escaping: Go's with HTML escaping on.
    private static func quoted(_ text: String) -> String {
        JSONString.quoted(text, escapingHTML: true)
    }

    /// Formats a wall-clock time as Go's `time.RFC3339Nano` in UTC (trailing zeros of the fraction dropped).
    public static func timestamp(seconds: Int, nanoseconds: Int) -> String {
        RFC3339.format(seconds: Int64(seconds), nanoseconds: nanoseconds)
    }

    /// The current wall-clock time as `timestamp(seconds:nanoseconds:)` formats it.
    public static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: now.tv_sec, nanoseconds: now.tv_nsec)
    }
}
