import Glibc
import SystemKit

/// Traffic checks with plain sockets opened inside the lab's namespaces (a socket stays in the namespace it was
/// made in), so no helper processes are needed. Each check returns the source address the server saw, or nil
/// when nothing got through in time.
enum Probe {
    /// Connects over TCP from `client` to `address:port` while a listener in `server` waits on `listenPort`;
    /// returns the peer address the listener saw.
    static func tcp(
        from client: NetworkNamespace, to address: String, port: UInt16, server: NetworkNamespace,
        listenPort: UInt16, timeout: Int32 = 3000
    ) throws -> String? {
        let listener = try server.perform { () throws(SystemError) -> Int32 in
            try openSocket(type: SOCK_STREAM, bindPort: listenPort)
        }
        defer { close(listener) }
        try check("listen", listen(listener, 16))
        let connector = try client.perform { () throws(SystemError) -> Int32 in
            try openSocket(type: SOCK_STREAM, bindPort: nil)
        }
        defer { close(connector) }
        var target = try socketAddress(address, port)
        let started = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(connector, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if started != 0, errno != EINPROGRESS { return nil }
        guard wait(connector, for: Int16(POLLOUT), timeout: timeout) else { return nil }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try check("getsockopt", getsockopt(connector, SOL_SOCKET, SO_ERROR, &failure, &length))
        guard failure == 0, wait(listener, for: Int16(POLLIN), timeout: timeout) else { return nil }
        var peer = sockaddr_in()
        var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let accepted = withUnsafeMutablePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &peerLength) }
        }
        guard accepted >= 0 else { return nil }
        close(accepted)
        return text(peer)
    }

    /// Sends a UDP datagram from `client` to `address:port` while a socket in `server` waits on `listenPort`; the
    /// server answers the source it saw and the check succeeds only when the answer comes back. Returns that source.
    static func udp(
        from client: NetworkNamespace, to address: String, port: UInt16, server: NetworkNamespace,
        listenPort: UInt16, timeout: Int32 = 3000
    ) throws -> String? {
        let receiver = try server.perform { () throws(SystemError) -> Int32 in
            try openSocket(type: SOCK_DGRAM, bindPort: listenPort)
        }
        defer { close(receiver) }
        let sender = try client.perform { () throws(SystemError) -> Int32 in
            try openSocket(type: SOCK_DGRAM, bindPort: nil)
        }
        defer { close(sender) }
        var target = try socketAddress(address, port)
        let attempts: Int32 = 3
        for _ in 0..<attempts {
            let payload: [UInt8] = Array("ping".utf8)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard wait(receiver, for: Int16(POLLIN), timeout: timeout / attempts) else { continue }
            var peer = sockaddr_in()
            var peerLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            var buffer = [UInt8](repeating: 0, count: 64)
            let received = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(receiver, &buffer, buffer.count, 0, $0, &peerLength)
                }
            }
            guard received > 0 else { continue }
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(receiver, buffer, received, 0, $0, peerLength)
                }
            }
            guard wait(sender, for: Int16(POLLIN), timeout: timeout / attempts) else { return nil }
            guard recv(sender, &buffer, buffer.count, 0) > 0 else { return nil }
            return text(peer)
        }
        return nil
    }

    // MARK: - Sockets

    private static let SOCK_CLOEXEC_FLAG = Int32(SOCK_CLOEXEC.rawValue)

    private static func openSocket(type: __socket_type, bindPort: UInt16?) throws(SystemError) -> Int32 {
        let fd = socket(AF_INET, Int32(type.rawValue) | SOCK_CLOEXEC_FLAG | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SystemError.current("socket") }
        guard let bindPort else { return fd }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = bindPort.bigEndian
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if bound != 0 {
            let failure = SystemError.current("bind")
            close(fd)
            throw failure
        }
        return fd
    }

    private static func socketAddress(_ address: String, _ port: UInt16) throws -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &result.sin_addr) == 1 else {
            throw SystemError("inet_pton", errno: .invalidArgument, path: address)
        }
        return result
    }

    private static func wait(_ fd: Int32, for events: Int16, timeout: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let ready = poll(&entry, 1, timeout)
            if ready < 0, errno == EINTR { continue }
            return ready > 0 && entry.revents & events != 0
        }
    }

    private static func check(_ operation: String, _ result: Int32) throws {
        if result != 0 { throw SystemError.current(operation) }
    }

    private static func text(_ address: sockaddr_in) -> String {
        let value = UInt32(bigEndian: address.sin_addr.s_addr)
        return "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }
}
