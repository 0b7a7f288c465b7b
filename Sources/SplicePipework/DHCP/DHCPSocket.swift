import CLinuxShims
import Glibc
import NetlinkKit
import SystemKit

/// The client's sockets on one interface: a UDP socket bound to 0.0.0.0:68 that sends (broadcast allowed), and an
/// `AF_PACKET` socket that receives the replies.
///
/// Replies are read from the packet socket because, before the interface has an address, the kernel's UDP path
/// drops them when reverse-path filtering is on (no route back to the server), and new namespaces inherit
/// `rp_filter` from the host. udhcpc and dhclient read raw frames for the same reason. The UDP socket still holds
/// port 68, so the kernel never answers replies with ICMP port unreachable.
///
/// Open it on a thread that has entered the guest's namespace; both sockets stay in that namespace afterwards.
struct DHCPSocket {
    let sender: FileDescriptor
    let listener: FileDescriptor
    let interface: String

    /// The DHCP client port.
    static let clientPort: UInt16 = 68
    /// The DHCP server port.
    static let serverPort: UInt16 = 67
    /// Larger than any DHCP reply on an Ethernet link; longer packets are skipped.
    private static let receiveBufferSize = 4096

    /// Opens and binds both sockets in the calling thread's network namespace.
    init(interface: String) throws(SystemError) {
        self.interface = interface
        sender = try Self.openUDPSocket(interface: interface)
        let fd = sender.rawValue
        var address = Self.socketAddress(IPv4Address(0, 0, 0, 0), port: Self.clientPort)
        try retryingInterrupts("bind(0.0.0.0:\(Self.clientPort))", path: interface) {
            withSocketAddress(&address) { bind(fd, $0, $1) }
        }

        let index = if_nametoindex(interface)
        if index == 0 { throw SystemError.current("if_nametoindex", path: interface) }
        // Protocol 0 until bound, so that no frame from another interface is queued in between.
        listener = FileDescriptor(
            owning: try retryingInterrupts("socket(AF_PACKET, SOCK_DGRAM)", path: interface) {
                socket(AF_PACKET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            })
        var link = sockaddr_ll()
        link.sll_family = UInt16(AF_PACKET)
        link.sll_protocol = UInt16(ETH_P_IP).bigEndian
        link.sll_ifindex = Int32(bitPattern: index)
        let listenerFD = listener.rawValue
        try retryingInterrupts("bind(AF_PACKET)", path: interface) {
            withSocketAddress(&link) { bind(listenerFD, $0, $1) }
        }
    }

    /// Sends one datagram to `address`, port 67. Wraps `sendto(2)`.
    func send(_ bytes: [UInt8], to address: IPv4Address) throws(SystemError) {
        var destination = Self.socketAddress(address, port: Self.serverPort)
        let fd = sender.rawValue
        try retryingInterrupts("sendto(\(address):\(Self.serverPort))", path: interface) {
            bytes.withUnsafeBytes { payload in
                withSocketAddress(&destination) { sendto(fd, payload.baseAddress, payload.count, 0, $0, $1) }
            }
        }
    }

    /// Waits up to `timeout` for one incoming packet and returns its payload when it is a UDP datagram from port 67
    /// to port 68; nil when the time ran out or the packet was something else. Wraps `poll(2)` and `recvfrom(2)`.
    func receive(timeout: Duration) throws(SystemError) -> [UInt8]? {
        let (seconds, attoseconds) = timeout.components
        let milliseconds = Int32(clamping: max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        var poller = pollfd(fd: listener.rawValue, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 {
            if Errno.current == .interrupted { return nil }
            throw SystemError.current("poll", path: interface)
        }
        if ready == 0 { return nil }
        var buffer = [UInt8](repeating: 0, count: Self.receiveBufferSize)
        var from = sockaddr_ll()
        var fromLength = socklen_t(MemoryLayout<sockaddr_ll>.size)
        let fd = listener.rawValue
        let count = try retryingInterrupts("recvfrom(AF_PACKET)", path: interface) {
            buffer.withUnsafeMutableBytes { raw in
                withSocketAddress(&from) { pointer, _ in
                    recvfrom(fd, raw.baseAddress, raw.count, Int32(MSG_TRUNC), pointer, &fromLength)
                }
            }
        }
        // Our own transmissions show up as outgoing; oversized packets were truncated.
        guard from.sll_pkttype != UInt8(PACKET_OUTGOING), count <= buffer.count,
            let datagram = IPv4UDPPacket(Array(buffer[0..<count])),
            datagram.sourcePort == Self.serverPort, datagram.destinationPort == Self.clientPort
        else { return nil }
        return datagram.payload
    }

    /// The source address the kernel would use to reach `server` from this interface, or nil when it would send from
    /// 0.0.0.0 or cannot route there. Renewing by unicast only works when this is the leased address.
    func sourceAddress(toward server: IPv4Address) -> IPv4Address? {
        guard let probe = try? Self.openUDPSocket(interface: interface) else { return nil }
        var destination = Self.socketAddress(server, port: Self.serverPort)
        let connected = withSocketAddress(&destination) { connect(probe.rawValue, $0, $1) }
        guard connected == 0 else { return nil }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withSocketAddress(&local) { pointer, _ in getsockname(probe.rawValue, pointer, &length) }
        guard named == 0, local.sin_addr.s_addr != 0 else { return nil }
        return IPv4Address(value: UInt32(bigEndian: local.sin_addr.s_addr))
    }

    /// A UDP socket tied to `interface` with `SO_REUSEADDR` and `SO_BROADCAST`, not yet bound.
    private static func openUDPSocket(interface: String) throws(SystemError) -> FileDescriptor {
        let socket = FileDescriptor(
            owning: try retryingInterrupts("socket(AF_INET, SOCK_DGRAM)", path: interface) {
                Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_UDP))
            })
        let fd = socket.rawValue
        for (option, name) in [(SO_REUSEADDR, "setsockopt(SO_REUSEADDR)"), (SO_BROADCAST, "setsockopt(SO_BROADCAST)")] {
            var one: Int32 = 1
            try retryingInterrupts(name, path: interface) {
                setsockopt(fd, SOL_SOCKET, option, &one, socklen_t(MemoryLayout<Int32>.size))
            }
        }
        let nameBytes = Array(interface.utf8)
        try retryingInterrupts("setsockopt(SO_BINDTODEVICE)", path: interface) {
            nameBytes.withUnsafeBytes {
                setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, $0.baseAddress, socklen_t($0.count))
            }
        }
        return socket
    }

    private static func socketAddress(_ address: IPv4Address, port: UInt16) -> sockaddr_in {
        var result = sockaddr_in()
        result.sin_family = sa_family_t(AF_INET)
        result.sin_port = port.bigEndian
        result.sin_addr = in_addr(s_addr: address.value.bigEndian)
        return result
    }
}
