/// How `spliced` was asked to run.
public struct DaemonOptions: Sendable {
    /// The unix socket path (from `-H unix:///path`).
    public var socketPath: String = "/run/splice.sock"
    /// Optional plain TCP listener (from `-H tcp://host:port`).
    public var tcpAddress: String?
    /// The graph directory (`-g`).
    public var graph: String = "/var/lib/splice"
    /// The default network's bridge device (`-b`); nil for `splice0`.
    public var bridge: String?
    /// The default bridge's address (`--bip`).
    public var bridgeAddress: String = "172.18.0.1/16"
    /// Whether to install nftables rules (`--iptables`).
    public var firewall: Bool = true
    /// The pid file (`-p`).
    public var pidFile: String?
    /// Debug output (`-D`).
    public var debug: Bool = false
    /// The `splice-init` binary; nil looks beside the running executable.
    public var initPath: String?

    /// Default options.
    public init() {}

    /// Parses a `-H` value: `unix:///path` or `tcp://host:port`.
    public mutating func setHost(_ text: String) throws(DaemonError) {
        if text.hasPrefix("unix://") {
            socketPath = String(text.dropFirst("unix://".count))
        } else if text.hasPrefix("tcp://") {
            tcpAddress = String(text.dropFirst("tcp://".count))
        } else if text.hasPrefix("/") {
            socketPath = text
        } else {
            throw DaemonError("-H \(text): expected unix:///path or tcp://host:port")
        }
        guard !socketPath.isEmpty else { throw DaemonError("-H \(text): empty socket path") }
    }
}
