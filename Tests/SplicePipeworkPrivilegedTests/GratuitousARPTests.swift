import CLinuxShims
import Glibc
import NetlinkKit
import SplicePipework
import SystemKit
import TestSupport
import Testing

@Suite struct GratuitousARPFrameTests {
    /// The frame `busybox arping -A -c 1 -I eth1 10.9.8.7` sends from 02:00:00:00:00:01, as captured on the veth peer.
    @Test func frameBytes() throws {
        let mac = try #require(MACAddress("02:00:00:00:00:01"))
        let frame = GratuitousARP.frame(announcing: IPv4Address(10, 9, 8, 7), from: mac)
        let expected: [UInt8] =
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]  // Ethernet destination: broadcast
            + [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]  // Ethernet source: interface MAC
            + [0x08, 0x06]  // EtherType ARP
            + [0x00, 0x01]  // hardware type Ethernet
            + [0x08, 0x00]  // protocol type IPv4
            + [0x06, 0x04]  // hardware and protocol address lengths
            + [0x00, 0x02]  // operation: reply
            + [0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 9, 8, 7]  // sender MAC, sender IP
            + [0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 9, 8, 7]  // target MAC (own, as arping -A), target IP
        #expect(frame == expected)
    }
}

@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct GratuitousARPTests {
    @Test func announceReachesThePeer() throws {
        try withScratchNetworkNamespace { guest, socket in
            let peerNamespace = try NetworkNamespace.anonymous(label: "peer")
            let veth = LinkKind.veth(peer: VethPeer(name: "peer0", namespace: peerNamespace))
            try socket.addLink(LinkSpec(name: "eth1", kind: veth, up: true))
            let peerSocket = try NetlinkSocket.open(in: peerNamespace)
            let peer = try #require(try peerSocket.link(named: "peer0"))
            try peerSocket.setLink(peer.index, LinkChange(up: true))
            let guestMAC = try #require(try socket.link(named: "eth1")?.address)

            let receiver = try ARPReceiver.open(interface: "peer0", in: peerNamespace)
            try GratuitousARP.announce(IPv4Address(10, 9, 8, 7), interface: "eth1", in: guest)
            let frame = try #require(receiver.receive(timeoutMilliseconds: 3000), "no ARP frame arrived on peer0")

            #expect(frame.count >= 42)
            #expect(Array(frame[0..<6]) == MACAddress.broadcast.bytes, "Ethernet destination")
            #expect(Array(frame[6..<12]) == guestMAC.bytes, "Ethernet source")
            #expect(Array(frame[12..<14]) == [0x08, 0x06], "EtherType ARP")
            #expect(Array(frame[14..<16]) == [0x00, 0x01], "hardware type Ethernet")
            #expect(Array(frame[16..<18]) == [0x08, 0x00], "protocol type IPv4")
            #expect(Array(frame[18..<20]) == [6, 4], "address lengths")
            #expect(Array(frame[20..<22]) == [0x00, 0x02], "operation reply")
            #expect(Array(frame[22..<28]) == guestMAC.bytes, "sender MAC")
            #expect(Array(frame[28..<32]) == [10, 9, 8, 7], "sender IP")
            #expect(Array(frame[32..<38]) == guestMAC.bytes, "target MAC")
            #expect(Array(frame[38..<42]) == [10, 9, 8, 7], "target IP")
        }
    }

    @Test func unknownInterfaceIsReported() throws {
        try withScratchNetworkNamespace { namespace, _ in
            let error = #expect(throws: SystemError.self) {
                try GratuitousARP.announce(IPv4Address(10, 0, 0, 1), interface: "nosuch0", in: namespace)
            }
            #expect(error?.errno == .noSuchDevice)
            #expect(error?.path == "nosuch0")
        }
    }

    @Test func downInterfaceIsReported() throws {
        try withScratchNetworkNamespace { namespace, socket in
            try socket.addLink(LinkSpec(name: "eth1", kind: .veth(peer: VethPeer(name: "peer1"))))
            let error = #expect(throws: SystemError.self) {
                try GratuitousARP.announce(IPv4Address(10, 0, 0, 1), interface: "eth1", in: namespace)
            }
            #expect(error?.errno == Errno(rawValue: ENETDOWN))
        }
    }
}

/// An `AF_PACKET` socket that receives ARP frames on one interface, opened inside a namespace.
private struct ARPReceiver {
    let descriptor: FileDescriptor

    static func open(interface: String, in namespace: NetworkNamespace) throws -> ARPReceiver {
        let fd = try namespace.perform { () throws(SystemError) -> Int32 in
            let index = if_nametoindex(interface)
            if index == 0 { throw SystemError.current("if_nametoindex", path: interface) }
            let protocolNumber = UInt16(ETH_P_ARP).bigEndian
            let fd = try retryingInterrupts("socket") {
                socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(protocolNumber))
            }
            var address = sockaddr_ll()
            address.sll_family = UInt16(AF_PACKET)
            address.sll_protocol = protocolNumber
            address.sll_ifindex = Int32(bitPattern: index)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_ll>.size))
                }
            }
            if bound != 0 {
                let error = SystemError.current("bind", path: interface)
                close(fd)
                throw error
            }
            return fd
        }
        return ARPReceiver(descriptor: FileDescriptor(owning: fd))
    }

    /// The next frame, or nil when none arrives in time.
    func receive(timeoutMilliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2048)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor.rawValue, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : nil
    }
}
