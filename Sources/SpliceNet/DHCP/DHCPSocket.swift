import CLinuxShims
import Glibc
import NetlinkKit
import SystemKit

/// The client's UDP socket: bound to 0.0.0.0:68 on one interface, allowed to broadcast.
///
/// Open it on a thread that has entered the guest's namespace; the socket stays in that namespace afterwards.
struct DHCPSocket {
    let descriptor: FileDescriptor
    let interface: String

    /// The DHCP client port.
    static let clientPort: UInt16 = 68
    /// The DHCP server port.
    static let serverPort: UInt16 = 67
    /// Larger than any DHCP message on an Ethernet link.
    private static let receiveBufferSize = 4096

    /// Opens and binds the socket in the calling thread's network namespace.
    init(interface: String) throws(SystemError) {
        self.interface = interface
        descriptor = FileDescriptor(
            owning: try retryingInterrupts("socket(AF_INET, SOCK_DGRAM)") {
                socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_UDP))
            })
        try setFlag(SO_REUSEADDR, name: "setsockopt(SO_REUSEADDR)")
        try setFlag(SO_BROADCAST, name: "setsockopt(SO_BROADCAST)")
        let fd = descriptor.rawValue
        let nameBytes = Array(interface.utf8)
        try retryingInterrupts("setsockopt(SO_BINDTODEVICE)", path: interface) {
            nameBytes.withUnsafeBytes { setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, socklen_t($0.count)) }
        }
        var address = Self.socketAddress(IPv4Address(0, 0, 0, 0), port: Self.clientPort)
        try retryingInterrupts("bind(0.0.0.0:\(Self.clientPort))", path: interface) {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// Sends one datagram to `address`, port 67. Wraps `sendto(2)`.
    func send(_ bytes: [UInt8], to address: IPv4Address) throws(SystemError) {
        var destination = Self.socketAddress(address, port: Self.serverPort)
        let fd = descriptor.rawValue
        try retryingInterrupts("sendto(\(address):\(Self.serverPort))", path: interface) {
            bytes.withUnsafeBytes { payload in
                withUnsafePointer(to: &destination) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, payload.baseAddress, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
    }

    /// Waits up to `timeout` for one datagram and returns it; nil when the time ran out or the datagram was too
    /// large for the buffer. Wraps `poll(2)` and `recv(2)`.
    func receive(timeout: Duration) throws(SystemError) -> [UInt8]? {
        let milliseconds = max(0, Int32(clamping: timeout.components.seconds * 1000
            + timeout.components.attoseconds / 1_000_000_000_000_000))
        var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 {
            if Errno.current == .interrupted { return nil }
            throw SystemError.current("poll", path: interface)
        }
        if ready == 0 { return nil }
        var buffer = [UInt8](repeating: 0, count: Self.receiveBufferSize)
        let fd = descriptor.rawValue
        let count = try retryingInterrupts("recv", path: interface) {
            buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_TRUNC)) }
        }
        guard count <= buffer.count else { return nil }
        return Array(buffer[0..<count])
    }

    private func setFlag(_ option: Int32, name: String) throws(SystemError) {
        var one: Int32 = 1
        let fd = descriptor.rawValue
        try retryingInterrupts(name, path: interface) {
            setsockopt(fd, SOL_SOCKET, option, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    private static func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr = in_addr(s_addr: address.value.bigEndian)
        return result
    }
}
