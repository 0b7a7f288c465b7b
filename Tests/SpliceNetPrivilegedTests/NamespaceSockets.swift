import CLinuxShims
import Glibc
import SystemKit

/// TCP and UDP endpoints opened inside network namespaces (a socket stays in the namespace it was made in),
/// so tests can prove reachability and see source addresses without any external tool.
enum NamespaceSockets {
    /// A socket made in `namespace`, bound to `0.0.0.0:port` (and listening, for TCP).
    static func listener(in namespace: NetworkNamespace, port: UInt16, udp: Bool = false) throws -> FileDescriptor {
        let fd = try namespace.perform { () throws(SystemError) -> Int32 in
            let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw SystemError.current("socket") }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { close(fd); throw SystemError.current("bind") }
            if !udp, listen(fd, 16) != 0 { close(fd); throw SystemError.current("listen") }
            return fd
        }
        return FileDescriptor(owning: fd)
    }

    /// Connects from `namespace` to `address:port` over TCP within `milliseconds`; true when it connected.
    static func connects(from namespace: NetworkNamespace, to address: String, port: UInt16, milliseconds: Int32 = 2000)
        throws -> Bool
    {
        try namespace.perform { () -> Bool in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &target.sin_addr)
            let started = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if started == 0 { return true }
            guard errno == EINPROGRESS else { return false }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, milliseconds) == 1 else { return false }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            return error == 0
        }
    }

    /// Sends one UDP datagram from `namespace` to `address:port`.
    static func sendDatagram(from namespace: NetworkNamespace, to address: String, port: UInt16, _ text: String) throws {
        try namespace.perform { () in
            let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(fd) }
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_port = port.bigEndian
            inet_pton(AF_INET, address, &target.sin_addr)
            let bytes = Array(text.utf8)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Waits for a TCP connection (accepting it) or a UDP datagram on `listener`; returns the peer's address.
    static func peer(on listener: FileDescriptor, udp: Bool = false, milliseconds: Int32 = 2000) -> String? {
        var poller = pollfd(fd: listener.rawValue, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, milliseconds) == 1 else { return nil }
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &from) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                if udp {
                    var buffer = [UInt8](repeating: 0, count: 512)
                    return recvfrom(listener.rawValue, &buffer, buffer.count, 0, pointer, &length) >= 0
                }
                let client = accept(listener.rawValue, pointer, &length)
                if client >= 0 { close(client) }
                return client >= 0
            }
        }
        guard ok else { return nil }
        var text = [CChar](repeating: 0, count: 32)
        inet_ntop(AF_INET, &from.sin_addr, &text, socklen_t(text.count))
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
