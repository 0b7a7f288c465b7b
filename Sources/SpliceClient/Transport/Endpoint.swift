/// Where the daemon listens: `unix:///path` or `tcp://host:port`.
public enum Endpoint: Equatable, Sendable, CustomStringConvertible {
    /// A unix stream socket.
    case unix(path: String)
    /// A TCP address.
    case tcp(host: String, port: Int)

    /// The default endpoint, `unix:///run/splice.sock`.
    public static let defaultEndpoint = Endpoint.unix(path: "/run/splice.sock")

    /// Parses `unix:///path`, `tcp://host:port`, `host:port` or an absolute socket path.
    public init(parsing text: String) throws(ClientError) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard !path.isEmpty else { throw .usage("invalid host \"\(text)\": empty socket path") }
            self = .unix(path: path)
            return
        }
        if text.hasPrefix("/") {
            self = .unix(path: text)
            return
        }
        var rest = Substring(text)
        if rest.hasPrefix("tcp://") { rest = rest.dropFirst("tcp://".count) } else if rest.contains("://") {
            throw .usage("invalid host \"\(text)\": unsupported protocol")
        }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":") else {
            throw .usage("invalid host \"\(text)\": missing port")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
            throw .usage("invalid host \"\(text)\": bad port")
        }
        self = .tcp(host: host.isEmpty ? "127.0.0.1" : host, port: port)
    }

    /// Picks the endpoint: `-H` first, then `$SPLICE_HOST`, then `$DOCKER_HOST` (what a docker user has set),
    /// then the default.
    public static func select(flag: String?, environment: [String: String]) throws(ClientError) -> Endpoint {
        if let flag, !flag.isEmpty { return try Endpoint(parsing: flag) }
        for variable in ["SPLICE_HOST", "DOCKER_HOST"] {
            if let env = environment[variable], !env.isEmpty { return try Endpoint(parsing: env) }
        }
        return defaultEndpoint
    }

    /// The endpoint as a URL-like string.
    public var description: String {
        switch self {
        case .unix(let path): return "unix://\(path)"
        case .tcp(let host, let port): return "tcp://\(host):\(port)"
        }
    }
}
