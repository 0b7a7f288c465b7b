/// The etcd members named by `--cluster-store etcd://HOST:PORT[,HOST:PORT]`, tried in order.
public struct EtcdEndpoints: Sendable, Equatable, CustomStringConvertible {
    /// `HOST:PORT` of each member, in the order given.
    public let members: [String]

    /// Parses `etcd://HOST:PORT[,HOST:PORT...]` (the port defaults to 2379).
    public init(parsing text: String) throws(ClusterStoreError) {
        let scheme = "etcd://"
        guard text.hasPrefix(scheme) else {
            throw .invalidStoreURL(text, reason: "only etcd:// is supported (etcd://HOST:2379[,HOST:2379])")
        }
        var members: [String] = []
        for part in text.dropFirst(scheme.count).split(separator: ",", omittingEmptySubsequences: false) {
            let member = part.hasSuffix("/") ? String(part.dropLast()) : String(part)
            guard !member.isEmpty, !member.contains("/"), !member.contains("@") else {
                throw .invalidStoreURL(text, reason: "\"\(part)\" is not HOST:PORT")
            }
            let host: Substring
            var port = "2379"
            if member.hasPrefix("[") {  // [IPv6]:PORT
                guard let close = member.firstIndex(of: "]") else {
                    throw .invalidStoreURL(text, reason: "\"\(member)\" is not HOST:PORT")
                }
                host = member[...close]
                let rest = member[member.index(after: close)...]
                if rest.hasPrefix(":") { port = String(rest.dropFirst()) }
                else if !rest.isEmpty { throw .invalidStoreURL(text, reason: "\"\(member)\" is not HOST:PORT") }
            } else if let colon = member.lastIndex(of: ":") {
                host = member[..<colon]
                port = String(member[member.index(after: colon)...])
            } else {
                host = Substring(member)
            }
            guard !host.isEmpty, let number = UInt16(port), number > 0 else {
                throw .invalidStoreURL(text, reason: "\"\(member)\" has no valid port")
            }
            members.append("\(host):\(number)")
        }
        self.members = members
    }

    /// Names the members directly (`HOST:PORT` each).
    public init(members: [String]) { self.members = members }

    public var description: String { "etcd://" + members.joined(separator: ",") }
}
