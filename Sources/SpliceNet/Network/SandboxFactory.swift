import Glibc
import NetlinkKit
import SystemKit

/// Makes and removes sandboxes: namespaces pinned under the state directory (`<state>/netns/<id>`), so they
/// exist before any process does and survive the daemon.
public struct SandboxFactory: Sendable {
    /// Where sandbox namespaces are pinned.
    public let directory: String
    /// The host's namespace (the daemon's), for `host` mode.
    public let host: NetworkNamespace

    public init(stateDirectory: String, host: NetworkNamespace) throws(NetworkError) {
        directory = stateDirectory + "/netns"
        self.host = host
        do { try AtomicFile.makeDirectories(directory) } catch { throw NetworkError(wrapping: error) }
    }

    /// The pinned path of sandbox `id`.
    public func path(of id: String) -> String { "\(directory)/\(id)" }

    /// Creates the sandbox for `id` in `mode`. `bridge` and `none` get a new namespace with `lo` up; `host`
    /// is the host's namespace; `container:X` is X's namespace, which must exist and must not be `host`.
    public func create(id: String, mode: SandboxMode, hostSandboxes: Set<String> = []) throws(NetworkError) -> Sandbox {
        switch mode {
        case .host:
            return Sandbox(id: id, namespace: host, mode: mode)
        case .container(let other):
            if hostSandboxes.contains(other) {
                throw NetworkError(.invalidArgument, "--net=container:\(other): \(other) uses the host's network;"
                    + " share it with --net=host instead")
            }
            do {
                return Sandbox(id: id, namespace: try NetworkNamespace.open(path: path(of: other), label: other),
                               mode: mode)
            } catch {
                throw NetworkError(.notFound, "--net=container:\(other): no such running container's network")
            }
        case .bridge, .none:
            // Loopback comes up on the thread that made the namespace (no second thread entering it).
            let namespace: NetworkNamespace
            do {
                namespace = try NetworkNamespace.create(pinnedAt: path(of: id), label: id) { () throws(NetlinkError) in
                    let socket = try NetlinkSocket()
                    if let loopback = try socket.link(named: "lo") {
                        try socket.setLink(loopback.index, LinkChange(up: true), name: "lo")
                    }
                }
            } catch {
                switch error {
                case .enter(let failure):
                    if failure.errno == .exists { throw NetworkError(.conflict, "sandbox \(id) already exists") }
                    throw NetworkError(wrapping: failure)
                case .body(let failure):
                    throw NetworkError(wrapping: failure)
                }
            }
            return Sandbox(id: id, namespace: namespace, mode: mode)
        }
    }

    /// Opens an existing sandbox's namespace.
    public func open(id: String, mode: SandboxMode) throws(NetworkError) -> Sandbox {
        if mode == .host { return Sandbox(id: id, namespace: host, mode: mode) }
        do {
            return Sandbox(id: id, namespace: try NetworkNamespace.open(path: path(of: id), label: id), mode: mode)
        } catch {
            throw NetworkError(.notFound, "no sandbox \(id)")
        }
    }

    /// Removes a sandbox's pinned namespace (its interfaces go with it once no process holds it); "already
    /// gone" is success. Shared (`container:`) and `host` sandboxes own nothing.
    public func remove(_ sandbox: Sandbox) throws(NetworkError) {
        switch sandbox.mode {
        case .host, .container: return
        case .bridge, .none:
            do { try NetworkNamespace.delete(pinnedAt: path(of: sandbox.id)) } catch { throw NetworkError(wrapping: error) }
        }
    }

    /// The ids of every pinned sandbox, for recovery.
    public func pinnedIDs() -> [String] {
        Directory.entries(directory).filter { !$0.contains(".tmp") }
    }
}
