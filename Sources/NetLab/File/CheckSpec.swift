/// One entry of the file's `tests`: a check, or steps that change the lab between checks.
public struct CheckSpec: Sendable {
    /// What is checked.
    public enum Kind: Sendable {
        /// Ping `to` from `from`; `expect` false for `no-reach`.
        case reach(from: String, to: String, count: Int, size: Int?, dontFragment: Bool, expect: Bool)
        /// A TCP connect to `to:port` from `from` succeeds (or, with `expect` false, does not).
        case tcp(from: String, to: String, port: Int, expect: Bool)
        /// `http://to:port/path` answers from `from` with a body containing `contains`.
        case http(from: String, to: String, port: Int, path: String, contains: String)
        /// `name` resolves inside node `from` (to `address` when given), or does not.
        case dns(from: String, name: String, address: String?, expect: Bool)
        /// iperf3 from `from` to a server in `to` (at `address`, else `to`'s address) reaches `floorMbps` and,
        /// when given, stays under `ceilingMbps` (a rate limit at work).
        case throughput(from: String, to: String, address: String?, floorMbps: Double, ceilingMbps: Double?,
                        seconds: Int)
        /// A route to `destination` is present (or absent) on `host`, optionally through `via`.
        case route(host: String, destination: String, via: String?, expect: Bool)
        /// An FDB entry for `mac` (or node `node`'s MAC) is present (or absent) on `host`; with `dst` (an address
        /// or a host, for its uplink), an entry through a tunnel to that underlay address (VXLAN).
        case fdb(host: String, mac: String?, node: String?, dst: String?, expect: Bool)
        /// Changes to the lab, in order.
        case steps([StepSpec])
    }
    /// The check.
    public var kind: Kind
    /// How long the check may retry, in seconds.
    public var budget: Double
    /// Whether the file gave `within`: the check waits for the lab to get somewhere, and the checks after it
    /// start once it has ended (they are not tried beside it).
    public var waits: Bool
    /// Line in the file.
    public var line: Int

    public init(kind: Kind, budget: Double = 10, waits: Bool = false, line: Int) {
        self.kind = kind
        self.budget = budget
        self.waits = waits
        self.line = line
    }
}
