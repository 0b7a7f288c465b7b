import Glibc
import NetlinkKit
import SystemKit

/// The embedded resolver's forwarding of names it does not know, without ever blocking its thread: each forwarded
/// query gets a non-blocking UDP socket connected to one upstream server, which the resolver's `poll(2)` watches
/// beside its listeners; a reply goes back to the asking container as it arrives, and a server that stays silent
/// for `timeout` is replaced by the next one, then answered with SERVFAIL. Owned by the resolver's thread alone.
final class DNSForwarder {
    /// A reply ready to go back to a container.
    struct Reply {
        /// The container whose listener asked.
        var container: String
        /// The listener's descriptor when the query came in.
        var listener: Int32
        /// The asking stub resolver's address.
        var peer: sockaddr_storage
        /// Its length.
        var peerLength: socklen_t
        /// The DNS message to send.
        var packet: [UInt8]
    }

    private struct Pending {
        var container: String
        var listener: Int32
        var peer: sockaddr_storage
        var peerLength: socklen_t
        var packet: [UInt8]
        var query: DNSQuery
        var remaining: [IPAddress]
        var deadline: UInt64
    }

    /// How long one upstream server has to answer.
    let timeout: UInt64
    /// The most queries in flight at once; more are answered with SERVFAIL at once.
    let capacity: Int
    private var pending: [Int32: Pending] = [:]

    /// Creates a forwarder that gives each server `timeoutMilliseconds`.
    init(timeoutMilliseconds: UInt64 = 2_000, capacity: Int = 512) {
        timeout = timeoutMilliseconds * 1_000_000
        self.capacity = capacity
    }

    /// The upstream sockets to watch for replies.
    var descriptors: [Int32] { Array(pending.keys) }

    /// The containers with queries in flight.
    var pendingContainers: [String] { pending.values.map(\.container) }

    /// The `poll(2)` timeout until the next deadline, in milliseconds; -1 when nothing is in flight.
    func pollTimeout() -> Int32 {
        guard let next = pending.values.map(\.deadline).min() else { return -1 }
        let now = Self.now()
        return next <= now ? 0 : Int32(min((next - now + 999_999) / 1_000_000, 60_000))
    }

    /// Starts forwarding `packet` for `container` to `servers` in turn; a reply now (SERVFAIL) when none can be
    /// asked, nil while it is in flight.
    func forward(_ packet: [UInt8], query: DNSQuery, servers: [IPAddress], container: String, listener: Int32,
                 peer: sockaddr_storage, peerLength: socklen_t) -> Reply?
    {
        var item = Pending(container: container, listener: listener, peer: peer, peerLength: peerLength,
                           packet: packet, query: query, remaining: servers, deadline: 0)
        guard pending.count < capacity else { return Self.failure(item) }
        return send(&item)
    }

    /// Reads the reply waiting on upstream socket `descriptor`; nil when it was not (yet) a reply to the query.
    func receive(on descriptor: Int32) -> Reply? {
        guard var item = pending[descriptor] else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count < 0, errno == EAGAIN || errno == EINTR { return nil }
        pending[descriptor] = nil
        close(descriptor)
        // A refused port (ICMP) or a reply that is not to this query: the next server.
        guard count >= 12, buffer[0] == UInt8(item.query.id >> 8), buffer[1] == UInt8(item.query.id & 0xFF) else {
            return send(&item)
        }
        return Reply(container: item.container, listener: item.listener, peer: item.peer,
                     peerLength: item.peerLength, packet: Array(buffer[0..<count]))
    }

    /// The queries whose server stayed silent past its deadline: each moves to the next server, or is answered
    /// with SERVFAIL when there is none.
    func expire() -> [Reply] {
        let now = Self.now()
        var replies: [Reply] = []
        for (descriptor, expired) in pending where expired.deadline <= now {
            var item = expired
            pending[descriptor] = nil
            close(descriptor)
            if let reply = send(&item) { replies.append(reply) }
        }
        return replies
    }

    /// Drops the queries of container `id` (its listener closed).
    func drop(container id: String) {
        for (descriptor, item) in pending where item.container == id {
            pending[descriptor] = nil
            close(descriptor)
        }
    }

    /// Sends `item` to its next server; SERVFAIL when no server is left.
    private func send(_ item: inout Pending) -> Reply? {
        while !item.remaining.isEmpty {
            let server = item.remaining.removeFirst()
            guard let descriptor = Self.connectedSocket(to: server) else { continue }
            guard Glibc.send(descriptor, item.packet, item.packet.count, 0) == item.packet.count else {
                close(descriptor)
                continue
            }
            item.deadline = Self.now() + timeout
            pending[descriptor] = item
            return nil
        }
        return Self.failure(item)
    }

    private static func failure(_ item: Pending) -> Reply {
        Reply(container: item.container, listener: item.listener, peer: item.peer, peerLength: item.peerLength,
              packet: item.query.answer(addresses: [], rcode: 2))
    }

    /// A non-blocking UDP socket connected to `server`:53, in the daemon's namespace.
    private static func connectedSocket(to server: IPAddress) -> Int32? {
        let flags = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let connected: Int32
        let descriptor: Int32
        switch server {
        case .v4(let v4):
            descriptor = socket(AF_INET, flags, 0)
            guard descriptor >= 0 else { return nil }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(53).bigEndian
            address.sin_addr.s_addr = v4.value.bigEndian
            connected = withSocketAddress(&address) { connect(descriptor, $0, $1) }
        case .v6(let v6):
            descriptor = socket(AF_INET6, flags, 0)
            guard descriptor >= 0 else { return nil }
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(53).bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: v6.bytes) }
            connected = withSocketAddress(&address) { connect(descriptor, $0, $1) }
        }
        guard connected == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
