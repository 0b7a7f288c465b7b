#if canImport(Glibc)
import Glibc
#endif

/// What every command runs with: the client, the output, the clock and the environment.
public struct CommandContext {
    /// The API client.
    public var client: DockerClient
    /// Output streams.
    public var console: Console
    /// Current unix time in seconds (injected in tests).
    public var now: () -> Int64
    /// Environment variables.
    public var environment: [String: String]
    /// Where `-i` reads stdin from (fd 0 in the CLI, a pipe or pty in tests).
    public var stdinFD: Int32 = 0
    /// The local terminal for `-t` (raw mode, size); nil when stdin is not a terminal.
    public var terminalFD: Int32?

    /// Creates a context.
    public init(client: DockerClient, console: Console, now: @escaping () -> Int64 = CommandContext.systemNow,
                environment: [String: String] = [:]) {
        self.client = client
        self.console = console
        self.now = now
        self.environment = environment
        terminalFD = isatty(0) == 1 ? 0 : nil
    }

    /// The wall clock, unix seconds.
    public static func systemNow() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// The process environment.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
