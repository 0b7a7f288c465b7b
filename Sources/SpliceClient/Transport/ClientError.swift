/// Everything a `splice` command can fail with, worded as the docker CLI words it.
public enum ClientError: Error, Equatable, CustomStringConvertible {
    /// The daemon answered with a non-2xx/3xx status and `{"message": …}` (or raw text).
    case daemon(status: Int, message: String)
    /// The connection to the daemon failed or the response was malformed.
    case transport(String)
    /// Bad command-line usage (unknown flag, bad value, missing argument); exit status 125.
    case usage(String)
    /// A client-side failure printed as `Error: <text>` (for example `No such object: X`).
    case client(String)
    /// `--help` was given: the caller prints the usage and exits 0.
    case help

    /// The text printed on stderr.
    public var description: String {
        switch self {
        case .daemon(_, let message): return "Error response from daemon: \(message)"
        case .transport(let text): return text
        case .usage(let text): return text
        case .client(let text): return "Error: \(text)"
        case .help: return ""
        }
    }

    /// The process exit status docker uses for this error.
    public var exitStatus: Int32 {
        if case .usage = self { return 125 }
        if case .help = self { return 0 }
        return 1
    }

    /// Whether this is a daemon 404.
    public var isNotFound: Bool {
        if case .daemon(404, _) = self { return true }
        return false
    }
}
