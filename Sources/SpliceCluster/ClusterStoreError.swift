/// Why a cluster-store operation failed.
public enum ClusterStoreError: Error, Sendable, CustomStringConvertible {
    /// `--cluster-store` is not a list of `etcd://HOST:PORT`.
    case invalidStoreURL(String, reason: String)
    /// No etcd endpoint answered; `cause` is the last endpoint's failure.
    case unreachable(endpoints: [String], cause: any Error)
    /// etcd (or its gateway) answered with an error status.
    case rejected(path: String, status: Int, message: String)
    /// An answer or a stored record could not be read.
    case malformed(what: String, cause: (any Error)?)
    /// A compare-and-swap kept losing to other writers.
    case contended(key: String, attempts: Int)
    /// A record that must exist is not in the store.
    case missing(key: String)
    /// A global network of this name exists already (created by this or another host).
    case networkNameTaken(String, id: String)
    /// A global network still has endpoints (on `hosts`).
    case networkInUse(String, hosts: [String])
    /// The watch's start revision was compacted away; the caller must reconcile from a fresh snapshot.
    case compacted(revision: Int64)

    /// Whether etcd refused a request for naming a lease it no longer has (the lease expired).
    public var isLeaseNotFound: Bool {
        if case .rejected(_, _, let message) = self { return message.contains("requested lease not found") }
        return false
    }

    public var description: String {
        switch self {
        case .invalidStoreURL(let text, let reason):
            "invalid --cluster-store \"\(text)\": \(reason)"
        case .unreachable(let endpoints, let cause):
            "cluster store etcd://\(endpoints.joined(separator: ",")) is unreachable: \(cause)"
        case .rejected(let path, let status, let message):
            "cluster store refused \(path) (HTTP \(status)): \(message)"
        case .malformed(let what, let cause):
            "cluster store: malformed \(what)" + (cause.map { ": \($0)" } ?? "")
        case .contended(let key, let attempts):
            "cluster store: \(key) changed under \(attempts) attempts in a row"
        case .missing(let key):
            "cluster store: \(key) not found"
        case .networkNameTaken(let name, _):
            "network with name \(name) already exists"
        case .networkInUse(let name, let hosts):
            "error while removing network: network \(name) has active endpoints (on \(hosts.joined(separator: ", ")))"
        case .compacted(let revision):
            "cluster store: revision \(revision) was compacted"
        }
    }
}
