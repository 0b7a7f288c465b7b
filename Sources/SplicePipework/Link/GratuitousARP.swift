import CLinuxShims
import Glibc
import NetlinkKit
import SystemKit

/// Gratuitous ARP announcements, so that neighbours update their caches after an address moves or appears.
public enum GratuitousARP {
    /// Sends one unsolicited ARP reply for `address` out of `interface` inside `namespace`, as
    /// `arping -c 1 -A -I IF ADDR` does: operation reply, sender and target protocol address `address`, sender and
    /// target hardware address the interface's own MAC, to the Ethernet broadcast address. The interface must be up.
    /// Opens an `AF_PACKET` socket on a dedicated thread inside the namespace.
    public static func announce(_ address: IPv4Address, interface: String, in namespace: NetworkNamespace)
        throws(SystemError)
    {
        do {
            try namespace.perform { () throws(SystemError) in
                let socket = try PacketSocket(interface: interface)
                try socket.send(frame(announcing: address, from: socket.hardwareAddress))
            }
        } catch {
            switch error {
            case .enter(let failure), .body(let failure): throw failure
            }
        }
    }

    /// The 42-byte Ethernet frame `announce` sends: broadcast destination, ARP reply with sender = target.
    public static func frame(announcing address: IPv4Address, from mac: MACAddress) -> [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(ethernetHeaderLength + arpPayloadLength)
        frame += MACAddress.broadcast.bytes
        frame += mac.bytes
        frame.appendBigEndian(UInt16(ETH_P_ARP))
        frame.appendBigEndian(UInt16(ARPHRD_ETHER))
        frame.appendBigEndian(UInt16(ETH_P_IP))
        frame.append(UInt8(ETH_ALEN))
        frame.append(UInt8(ipv4AddressLength))
        frame.appendBigEndian(UInt16(ARPOP_REPLY))
        frame += mac.bytes
        frame += address.bytes
        // arping -A repeats its own MAC as the target hardware address; receivers ignore it (RFC 5227 section 3).
        frame += mac.bytes
        frame += address.bytes
        return frame
    }

    private static let ethernetHeaderLength = 14
    private static let arpPayloadLength = 28
    private static let ipv4AddressLength = 4
}

/// An `AF_PACKET` raw socket bound to one interface, for sending whole Ethernet frames.
private struct PacketSocket {
    let descriptor: FileDescriptor
    let interfaceIndex: Int32
    let hardwareAddress: MACAddress

    /// Opens the socket in the calling thread's namespace and binds it to `interface`, without receiving.
    init(interface: String) throws(SystemError) {
        let index = if_nametoindex(interface)
        if index == 0 { throw SystemError.current("if_nametoindex", path: interface) }
        interfaceIndex = Int32(bitPattern: index)
        // Protocol 0: the socket only sends, so the kernel never queues incoming frames on it.
        descriptor = FileDescriptor(
            owning: try retryingInterrupts("socket(AF_PACKET)", path: interface) {
                socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            })
        var address = sockaddr_ll()
        address.sll_family = UInt16(AF_PACKET)
        address.sll_ifindex = interfaceIndex
        let fd = descriptor.rawValue
        try retryingInterrupts("bind(AF_PACKET)", path: interface) {
            withSocketAddress(&address) { bind(fd, $0, $1) }
        }
        // A bound packet socket reports the device's hardware address from getsockname(2).
        var bound = sockaddr_ll()
        var length = socklen_t(MemoryLayout<sockaddr_ll>.size)
        try retryingInterrupts("getsockname(AF_PACKET)", path: interface) {
            withSocketAddress(&bound) { pointer, _ in getsockname(fd, pointer, &length) }
        }
        let halen = Int(bound.sll_halen)
        let bytes = withUnsafeBytes(of: bound.sll_addr) { Array($0.prefix(halen)) }
        guard bound.sll_hatype == UInt16(ARPHRD_ETHER), let mac = MACAddress(bytes: bytes) else {
            throw SystemError("gratuitous ARP needs an Ethernet interface", errno: .notSupported, path: interface)
        }
        hardwareAddress = mac
    }

    /// Sends one complete frame out of the bound interface. Wraps `sendto(2)`.
    func send(_ frame: [UInt8]) throws(SystemError) {
        var destination = sockaddr_ll()
        destination.sll_family = UInt16(AF_PACKET)
        destination.sll_ifindex = interfaceIndex
        destination.sll_protocol = UInt16(ETH_P_ARP).bigEndian
        destination.sll_halen = UInt8(ETH_ALEN)
        withUnsafeMutableBytes(of: &destination.sll_addr) { $0.copyBytes(from: MACAddress.broadcast.bytes) }
        let fd = descriptor.rawValue
        let sent = try retryingInterrupts("sendto(AF_PACKET)") {
            frame.withUnsafeBytes { bytes in
                withSocketAddress(&destination) { sendto(fd, bytes.baseAddress, bytes.count, 0, $0, $1) }
            }
        }
        if sent != frame.count { throw SystemError("sendto(AF_PACKET): short write", errno: .ioError) }
    }
}

extension [UInt8] {
    /// Appends `value` in network byte order.
    fileprivate mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
