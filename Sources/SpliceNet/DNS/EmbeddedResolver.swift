import Glibc
import NetlinkKit
import Synchronization
import SystemKit

/// Docker's embedded DNS for user-defined networks: one UDP socket per container, bound to 127.0.0.11:53 inside
/// the container's own network namespace (a socket keeps the namespace it was made in, so the daemon opens it
/// there once and serves it from here), all served by one daemon thread with `poll(2)`. Names come from the
/// daemon's state (`setMembers`), so they follow connect, disconnect and rename at once; a container resolves
/// only the containers sharing a user-defined network with it, with their address on that network. Other names
/// are forwarded to the container's own upstream resolvers from the daemon's namespace, without blocking the
/// thread (`DNSForwarder`): a hanging upstream never delays the answers for local names.
///
/// Why this and not a DNAT to one daemon socket: no per-container firewall rules, no listener in the host
/// namespace reachable from containers, and the querying container is known from the socket itself, so answers
/// are scoped without trusting source addresses. The lookup is a function of (querying container, name): a later
/// multi-host issue can add members from other hosts to the same table.
public final class EmbeddedResolver: Sendable {
    /// One container's name on one network.
    public struct Member: Sendable, Equatable {
        /// The network's name.
        public var network: String
        /// The container's id.
        public var container: String
        /// Its name, short id and aliases, lower-cased.
        public var names: [String]
        /// Its address on `network`.
        public var address: IPv4Address
        /// Its IPv6 address on `network` (an `--ipv6` network), answered to AAAA questions.
        public var address6: IPv6Address?

        /// Creates a member.
        public init(network: String, container: String, names: [String], address: IPv4Address,
                    address6: IPv6Address? = nil) {
            self.network = network
            self.container = container
            self.names = names.map { $0.lowercased() }
            self.address = address
            self.address6 = address6
        }
    }

    private struct Listener {
        var descriptor: Int32
        var upstream: [IPAddress]
    }

    private struct State {
        var listeners: [String: Listener] = [:]
        var members: [Member] = []
        var table = DNSNameTable()
        var started = false
        /// Bumped whenever a listener comes or goes, so the serving thread rebuilds its poll set only then.
        var generation = 0
    }

    private let state = Mutex(State())
    private let wake: (read: Int32, write: Int32)

    /// Docker's resolver address inside each container.
    public static let address = "127.0.0.11"

    /// Creates a resolver; its thread starts with the first container.
    public init() {
        var fds: [Int32] = [-1, -1]
        _ = pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        }
        wake = (fds[0], fds[1])
    }

    /// The answer for `name` asked by `container`: its address on the first user network both share, where the
    /// name is a member's name, short id or alias, or `<name>.<network>`; nil when no shared member has it.
    public static func lookup(_ name: String, from container: String, members: [Member]) -> [IPv4Address]? {
        member(named: name, from: container, members: members).map { [$0.address] }
    }

    /// The member `name` stands for, as `container` sees it (see `lookup`).
    public static func member(named name: String, from container: String, members: [Member]) -> Member? {
        DNSNameTable(members).member(named: name.lowercased(), from: container)
    }

    /// Replaces the table of names.
    public func setMembers(_ members: [Member]) {
        let table = DNSNameTable(members)
        state.withLock {
            $0.members = members
            $0.table = table
        }
    }

    /// Opens container `id`'s listener in the namespace at `namespacePath`; `upstream` is where other names go
    /// (asked from the daemon's namespace, so a loopback resolver of the host's `/etc/resolv.conf` works, as with
    /// dockerd; 127.0.0.11 itself is left out).
    public func register(id: String, namespacePath: String, upstream: [String]) throws(NetworkError) {
        unregister(id: id)
        let descriptor: Int32
        do {
            let namespace = try NetworkNamespace.open(path: namespacePath, label: id)
            descriptor = try namespace.perform { () throws(SystemError) -> Int32 in
                let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
                    | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard fd >= 0 else { throw SystemError.current("socket") }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(53).bigEndian
                address.sin_addr.s_addr = (UInt32(127) << 24 | 11).bigEndian
                let bound = withSocketAddress(&address) { bind(fd, $0, $1) }
                guard bound == 0 else {
                    let failure = SystemError.current("bind 127.0.0.11:53")
                    close(fd)
                    throw failure
                }
                return fd
            }
        } catch {
            throw NetworkError(.internal, "embedded DNS for \(id): \(error)")
        }
        let servers = upstream.compactMap { IPAddress($0) }.filter { $0 != .v4(IPv4Address(127, 0, 0, 11)) }
        let start = state.withLock { state -> Bool in
            state.listeners[id] = Listener(descriptor: descriptor, upstream: servers)
            state.generation += 1
            defer { state.started = true }
            return !state.started
        }
        if start { KernelThread.detach { [self] in serve() } } else { poke() }
    }

    /// Closes container `id`'s listener and drops its names (it stopped or was removed).
    public func forget(id: String) {
        unregister(id: id)
        state.withLock {
            $0.members.removeAll { $0.container == id }
            $0.table = DNSNameTable($0.members)
        }
    }

    /// Closes container `id`'s listener (before its namespace goes).
    public func unregister(id: String) {
        let listener = state.withLock { state in
            defer { state.generation += 1 }
            return state.listeners.removeValue(forKey: id)
        }
        if let listener {
            close(listener.descriptor)
            poke()
        }
    }

    private func poke() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func serve() {
        let forwarder = DNSForwarder()
        var generation = -1
        var listeners: [String: Listener] = [:]
        var base: [pollfd] = []
        var owners: [String] = []
        while true {
            if state.withLock({ $0.generation }) != generation {
                (listeners, generation) = state.withLock { ($0.listeners, $0.generation) }
                base = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
                owners = [""]
                for (id, listener) in listeners {
                    base.append(pollfd(fd: listener.descriptor, events: Int16(POLLIN), revents: 0))
                    owners.append(id)
                }
            }
            var polls = base
            let upstream = forwarder.descriptors
            for descriptor in upstream { polls.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)) }
            guard poll(&polls, nfds_t(polls.count), forwarder.pollTimeout()) >= 0 else { continue }
            if polls[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wake.read, &drain, drain.count) > 0 {}
                for id in Set(forwarder.pendingContainers).subtracting(listeners.keys) { forwarder.drop(container: id) }
            }
            for index in 1..<(owners.count) where polls[index].revents & Int16(POLLIN) != 0 {
                guard let listener = listeners[owners[index]] else { continue }
                if let reply = answer(listener, container: owners[index], forwarder: forwarder) { send(reply) }
            }
            for index in owners.count..<polls.count where polls[index].revents != 0 {
                if let reply = forwarder.receive(on: polls[index].fd) { send(reply) }
            }
            for reply in forwarder.expire() { send(reply) }
        }
    }

    /// Reads one query from `listener` and answers it from the table, or hands it to `forwarder` (nil then).
    private func answer(_ listener: Listener, container: String, forwarder: DNSForwarder) -> DNSForwarder.Reply? {
        var buffer = [UInt8](repeating: 0, count: 1500)
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withSocketAddress(&peer) { pointer, _ in recvfrom(listener.descriptor, &buffer, buffer.count, 0,
                                                                      pointer, &length) }
        guard count > 0 else { return nil }
        let packet = Array(buffer[0..<count])
        guard let query = DNSQuery(packet) else { return nil }
        let table = state.withLock { $0.table }
        let reply: [UInt8]
        if let member = table.member(named: query.name, from: container) {
            reply = query.answer(addresses: [member.address], addresses6: member.address6.map { [$0] } ?? [])
        } else if !listener.upstream.isEmpty {
            return forwarder.forward(packet, query: query, servers: listener.upstream, container: container,
                                     listener: listener.descriptor, peer: peer, peerLength: length)
        } else {
            reply = query.answer(addresses: [], rcode: 3)
        }
        return DNSForwarder.Reply(container: container, listener: listener.descriptor, peer: peer,
                                  peerLength: length, packet: reply)
    }

    /// Sends `reply` through its container's listener, if that listener is still the one the query came in on.
    private func send(_ reply: DNSForwarder.Reply) {
        let current = state.withLock { $0.listeners[reply.container]?.descriptor }
        guard current == reply.listener else { return }
        var peer = reply.peer
        _ = withSocketAddress(&peer) { pointer, _ in
            sendto(reply.listener, reply.packet, reply.packet.count, 0, pointer, reply.peerLength)
        }
    }
}
