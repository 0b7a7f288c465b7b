import FoundationEssentials
import Glibc
import SystemKit

/// Finds the network namespace of a pipework GUEST: an `ip netns` name, a PID, a namespace path, or a
/// container known to a Docker-compatible engine (Docker itself, or `spliced`).
public struct GuestResolver: Sendable {
    /// Engine sockets asked for container names, in order (`DOCKER_HOST` first when it is a unix socket).
    public var engineSockets: [String]

    public init(engineSockets: [String]? = nil) {
        self.engineSockets = engineSockets ?? Self.defaultEngineSockets()
    }

    /// `$DOCKER_HOST` (unix only), `/var/run/docker.sock`, and Splice's own `/run/splice.sock`.
    public static func defaultEngineSockets() -> [String] {
        var sockets: [String] = []
        for variable in ["SPLICE_HOST", "DOCKER_HOST"] {
            if let value = getenv(variable).map({ String(cString: $0) }), value.hasPrefix("unix://") {
                sockets.append(String(value.dropFirst("unix://".count)))
            }
        }
        for path in ["/run/splice.sock", "/var/run/docker.sock"] where !sockets.contains(path) {
            sockets.append(path)
        }
        return sockets
    }

    /// Opens the guest's network namespace.
    public func resolve(_ guest: GuestReference) throws(PipeworkError) -> NetworkNamespace {
        switch guest {
        case .pid(let pid):
            return try openPID(pid, label: "pid:\(pid)")
        case .path(let path):
            do {
                return try NetworkNamespace.open(path: path)
            } catch {
                throw PipeworkError("cannot open guest namespace \(path): \(error.errno)")
            }
        case .name(let name):
            if NetworkNamespace.exists(named: name) {
                do { return try NetworkNamespace.open(named: name) } catch {
                    throw PipeworkError("cannot open network namespace \"\(name)\": \(error.errno)")
                }
            }
            return try resolveContainer(name)
        }
    }

    private func openPID(_ pid: Int32, label: String) throws(PipeworkError) -> NetworkNamespace {
        do {
            return try NetworkNamespace.open(pid: pid)
        } catch {
            if error.errno == .noSuchFileOrDirectory { throw PipeworkError("no process with PID \(pid)") }
            throw PipeworkError("cannot open the network namespace of PID \(pid): \(error.errno)")
        }
    }

    private struct Inspect: Decodable {
        struct State: Decodable {
            let Pid: Int32
            let Running: Bool?
        }
        let Id: String?
        let State: State
    }

    /// Asks each engine socket `GET /containers/NAME/json` for the container's init PID.
    private func resolveContainer(_ name: String) throws(PipeworkError) -> NetworkNamespace {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2e || byte == 0x2d
        }
        guard allowed, !name.isEmpty else {
            throw PipeworkError("guest \"\(name)\" is not an ip netns name, a PID, a path or a container name")
        }
        var asked: [String] = []
        for socketPath in engineSockets where access(socketPath, F_OK) == 0 {
            asked.append(socketPath)
            let response: UnixHTTPClient.Response
            do {
                response = try UnixHTTPClient(socketPath: socketPath).get("/containers/\(name)/json")
            } catch {
                continue
            }
            if response.status == 404 { continue }
            guard response.status == 200 else {
                throw PipeworkError("the engine at \(socketPath) answered \(response.status) for container \"\(name)\"")
            }
            guard let inspect = try? JSONDecoder().decode(Inspect.self, from: Data(response.body)) else {
                throw PipeworkError("the engine at \(socketPath) sent an inspect reply for \"\(name)\" without State.Pid")
            }
            guard inspect.State.Pid > 0, inspect.State.Running != false else {
                throw PipeworkError("container \"\(name)\" is not running (PID 0)")
            }
            return try openPID(inspect.State.Pid, label: name)
        }
        if asked.isEmpty {
            throw PipeworkError("guest \"\(name)\" is not an ip netns name, and no container engine is running"
                + " (no socket at \(engineSockets.joined(separator: ", ")))")
        }
        throw PipeworkError("guest \"\(name)\" is neither an ip netns name nor a container known to \(asked.joined(separator: " or "))")
    }
}
