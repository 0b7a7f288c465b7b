import Foundation
import CLinuxShims
import Glibc
import SystemKit

/// Captures ARP frames on one interface of a namespace through an AF_PACKET socket opened inside it.
final class ARPCapture {
    private let descriptor: FileDescriptor

    /// Starts capturing on `interface` in the namespace at `/run/netns/<namespace>`.
    init(namespace: String, interface: String) throws {
        let ns = try NetworkNamespace.open(named: namespace)
        let fd = try ns.perform { () throws(SystemError) -> Int32 in
            let protocolARP = UInt16(0x0806).bigEndian
            let fd = socket(AF_PACKET, Int32(SOCK_RAW.rawValue), Int32(protocolARP))
            guard fd >= 0 else { throw SystemError.current("socket(AF_PACKET)") }
            var address = sockaddr_ll()
            address.sll_family = UInt16(AF_PACKET)
            address.sll_protocol = protocolARP
            address.sll_ifindex = Int32(if_nametoindex(interface))
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_ll>.size)) }
            }
            guard bound == 0 else { throw SystemError.current("bind(AF_PACKET)") }
            return fd
        }
        descriptor = FileDescriptor(owning: fd)
    }

    /// Waits up to `milliseconds` for a gratuitous ARP (sender IP == target IP) announcing `address`.
    func awaitGratuitous(for address: [UInt8], milliseconds: Int32 = 3000) -> Bool {
        var remaining = milliseconds
        var buffer = [UInt8](repeating: 0, count: 2048)
        while remaining > 0 {
            var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
            let started = DispatchTime.now()
            guard poll(&poller, 1, remaining) > 0 else { return false }
            let count = recv(descriptor.rawValue, &buffer, buffer.count, 0)
            // Ethernet (14) + ARP: sender IP at 14+14, target IP at 14+24.
            if count >= 42 {
                let sender = Array(buffer[28..<32])
                let target = Array(buffer[38..<42])
                if sender == address && target == address { return true }
            }
            remaining -= Int32((DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1_000_000)
        }
        return false
    }
}
