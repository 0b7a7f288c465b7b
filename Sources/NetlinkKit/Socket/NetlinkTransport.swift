import CLinuxShims
import Glibc
import SystemKit

/// Carries netlink datagrams. `KernelTransport` talks to the kernel; tests substitute a recording one.
public protocol NetlinkTransport: Sendable {
    /// The port id replies are addressed to.
    var portID: UInt32 { get }
    /// Sends one datagram holding one or more messages.
    func send(_ datagram: [UInt8]) throws(NetlinkError)
    /// Receives one datagram.
    func receive() throws(NetlinkError) -> [UInt8]
}

/// An `AF_NETLINK`/`NETLINK_ROUTE` socket with extended ACKs on. It stays bound to the network namespace of
/// the thread that opened it.
public final class KernelTransport: NetlinkTransport {
    private let descriptor: FileDescriptor
    public let portID: UInt32

    /// Opens a route netlink socket, optionally joined to multicast `groups` (`RTNLGRP_*` numbers).
    public init(groups: [UInt32] = []) throws(NetlinkError) {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_ROUTE)
        guard fd >= 0 else { throw .system(.current("socket(AF_NETLINK)")) }
        descriptor = FileDescriptor(owning: fd)
        var one: Int32 = 1
        var buffer: Int32 = 1 << 20
        setsockopt(fd, Int32(SOL_NETLINK), NETLINK_EXT_ACK, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, Int32(SOL_NETLINK), NETLINK_CAP_ACK, &one, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        let bound = withSocketAddress(&address) { bind(fd, $0, $1) }
        guard bound == 0 else { throw .system(.current("bind(AF_NETLINK)")) }
        for var group in groups {
            guard setsockopt(fd, Int32(SOL_NETLINK), NETLINK_ADD_MEMBERSHIP, &group,
                             socklen_t(MemoryLayout<UInt32>.size)) == 0
            else { throw .system(.current("setsockopt(NETLINK_ADD_MEMBERSHIP)")) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_nl>.size)
        let named = withSocketAddress(&address) { pointer, _ in getsockname(fd, pointer, &length) }
        guard named == 0 else { throw .system(.current("getsockname(AF_NETLINK)")) }
        portID = address.nl_pid
    }

    /// The raw descriptor, for `poll(2)` in monitors.
    public var rawDescriptor: Int32 { descriptor.rawValue }

    public func send(_ datagram: [UInt8]) throws(NetlinkError) {
        var kernel = sockaddr_nl()
        kernel.nl_family = sa_family_t(AF_NETLINK)
        let fd = descriptor.rawValue
        let sent = datagram.withUnsafeBytes { raw in
            withSocketAddress(&kernel) { target, length in
                var result: Int
                repeat {
                    result = sendto(fd, raw.baseAddress, raw.count, 0, target, length)
                } while result < 0 && Errno.current == .interrupted
                return result
            }
        }
        guard sent == datagram.count else { throw .system(.current("sendto(AF_NETLINK)")) }
    }

    public func receive() throws(NetlinkError) -> [UInt8] {
        let fd = descriptor.rawValue
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer[0..<count]) }
            let errno = Errno.current
            if errno == .interrupted { continue }
            throw .system(SystemError("recv(AF_NETLINK)", errno: errno))
        }
    }
}
