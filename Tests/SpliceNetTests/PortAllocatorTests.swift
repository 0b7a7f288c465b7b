import CLinuxShims
import Glibc
import NetlinkKit
import SpliceNet
import Testing

private func ip(_ text: String) -> IPAddress { IPAddress(text)! }
private func specs(_ texts: String...) throws -> [PortSpec] { try texts.map { try PortSpecParser.parse($0) } }
private let nothingBound: @Sendable (PortProtocol, UInt16) -> Bool = { _, _ in false }

@Suite struct PortAllocatorTests {
    @Test func defaultRangeIsDockers() {
        #expect(PortAllocator(inUse: []).range == 49153...65535)
    }

    @Test func fixedPortsMapOneToOne() throws {
        var allocator = PortAllocator(inUse: [], isBound: nothingBound)
        let resolved = try allocator.resolve(specs("8080:80", "10.0.0.5:8000-8001:80-81/udp", "[::1]:9000:90"))
        #expect(
            resolved == [
                ResolvedPort(hostPort: 8080, containerPort: 80),
                ResolvedPort(hostIP: ip("10.0.0.5"), hostPort: 8000, containerPort: 80, proto: .udp),
                ResolvedPort(hostIP: ip("10.0.0.5"), hostPort: 8001, containerPort: 81, proto: .udp),
                ResolvedPort(hostIP: ip("::1"), hostPort: 9000, containerPort: 90),
            ])
        #expect(
            resolved.map(\.description) == [
                "0.0.0.0:8080->80/tcp", "10.0.0.5:8000->80/udp", "10.0.0.5:8001->81/udp", "[::1]:9000->90/tcp",
            ])
        #expect(allocator.inUse == Set(resolved.map(\.key)))
    }

    @Test func dynamicPortsAreSequentialPerProtocol() throws {
        var allocator = PortAllocator(range: 50000...50009, inUse: [], isBound: nothingBound)
        let resolved = try allocator.resolve(specs("80", "127.0.0.1::53/udp", "90-91", "127.0.0.1::443"))
        #expect(
            resolved.map(\.description) == [
                "0.0.0.0:50000->80/tcp", "127.0.0.1:50000->53/udp", "0.0.0.0:50001->90/tcp", "0.0.0.0:50002->91/tcp",
                "127.0.0.1:50003->443/tcp",
            ])
        // The next call continues where the last one stopped, even after a release (as Docker's allocator).
        allocator.release([resolved[0]])
        #expect(try allocator.resolve(specs("81")).map(\.hostPort) == [50004])
    }

    @Test func dynamicPortsSkipPublishedAndBoundPorts() throws {
        let inUse: Set<PortKey> = [
            PortKey(hostPort: 50000),
            PortKey(hostIP: ip("10.0.0.1"), hostPort: 50001),  // published on one address only: still skipped
            PortKey(hostPort: 50003, proto: .udp),  // other protocol: no conflict
        ]
        let bound: @Sendable (PortProtocol, UInt16) -> Bool = { proto, port in proto == .tcp && port == 50002 }
        var allocator = PortAllocator(range: 50000...50009, inUse: inUse, isBound: bound)
        #expect(try allocator.resolve(specs("80", "81")).map(\.hostPort) == [50003, 50004])
    }

    @Test func dynamicPortsWrapAround() throws {
        var allocator = PortAllocator(range: 50000...50002, inUse: [], isBound: nothingBound)
        let first = try allocator.resolve(specs("80-82"))
        #expect(first.map(\.hostPort) == [50000, 50001, 50002])
        allocator.release([first[1]])
        #expect(try allocator.resolve(specs("83")).map(\.hostPort) == [50001])
    }

    @Test func exhaustingATinyRangeFailsAndChangesNothing() throws {
        var allocator = PortAllocator(range: 50000...50001, inUse: [], isBound: nothingBound)
        _ = try allocator.resolve(specs("80"))
        let before = allocator.inUse
        let error = #expect(throws: PortSpecError.noFreeHostPort(ports: 50000...50001, proto: .tcp, hostIP: nil)) {
            try allocator.resolve(specs("81", "82"))
        }
        #expect(error?.description == "no free host port in 50000-50001/tcp: all are published or in use")
        #expect(allocator.inUse == before)
        // UDP has its own ports.
        #expect(try allocator.resolve(specs("53/udp", "54/udp")).map(\.hostPort) == [50000, 50001])
    }

    @Test func hostRangeWithOneContainerPortTakesTheFirstFreePort() throws {
        let bound: @Sendable (PortProtocol, UInt16) -> Bool = { _, port in port == 8001 }
        var allocator = PortAllocator(inUse: [PortKey(hostPort: 8000)], isBound: bound)
        #expect(try allocator.resolve(specs("8000-8002:80")) == [ResolvedPort(hostPort: 8002, containerPort: 80)])
        let error = #expect(
            throws: PortSpecError.noFreeHostPort(ports: 8000...8002, proto: .tcp, hostIP: ip("127.0.0.1"))
        ) {
            try allocator.resolve(specs("127.0.0.1:8000-8002:81"))
        }
        #expect(
            error?.description == "no free host port in 8000-8002/tcp on 127.0.0.1: all are published or in use")
    }

    @Test func fixedPortAlreadyPublished() throws {
        var allocator = PortAllocator(
            inUse: [PortKey(hostPort: 8080), PortKey(hostIP: ip("127.0.0.1"), hostPort: 9090)], isBound: nothingBound)
        let onAll = #expect(
            throws: PortSpecError.alreadyPublished(
                PortKey(hostIP: ip("127.0.0.1"), hostPort: 8080), existing: PortKey(hostPort: 8080))
        ) { try allocator.resolve(specs("127.0.0.1:8080:80")) }
        #expect(onAll?.description == "host port 127.0.0.1:8080/tcp is already published (as 0.0.0.0:8080/tcp)")
        let same = #expect(
            throws: PortSpecError.alreadyPublished(PortKey(hostPort: 8080), existing: PortKey(hostPort: 8080))
        ) {
            try allocator.resolve(specs("8080:81"))
        }
        #expect(same?.description == "host port 0.0.0.0:8080/tcp is already published")
        #expect(throws: PortSpecError.self) { try allocator.resolve(specs("0.0.0.0:9090:90")) }
        // Another address, or another protocol, on the same port is fine.
        #expect(try allocator.resolve(specs("10.0.0.1:9090:90", "8080:80/udp")).count == 2)
        // Two mappings of one request collide with each other too, and the request leaves nothing behind.
        let before = allocator.inUse
        #expect(throws: PortSpecError.alreadyPublished(PortKey(hostPort: 7000), existing: PortKey(hostPort: 7000))) {
            try allocator.resolve(specs("7000:70", "7000:71"))
        }
        #expect(allocator.inUse == before)
    }

    @Test func fixedPortBoundByAnotherProcess() throws {
        let bound: @Sendable (PortProtocol, UInt16) -> Bool = { proto, port in proto == .tcp && port == 8080 }
        var allocator = PortAllocator(inUse: [], isBound: bound)
        let error = #expect(throws: PortSpecError.hostPortInUse(PortKey(hostPort: 8080))) {
            try allocator.resolve(specs("8080:80"))
        }
        #expect(error?.description == "host port 0.0.0.0:8080/tcp is already in use by another process on this host")
        #expect(try allocator.resolve(specs("8080:80/udp")).count == 1)
        // A port Splice already publishes on another address is bound by Splice itself, not a conflict.
        var ours = PortAllocator(inUse: [PortKey(hostIP: ip("10.0.0.1"), hostPort: 8080)], isBound: bound)
        #expect(try ours.resolve(specs("127.0.0.1:8080:80")).count == 1)
    }
}

/// The default bound-port check against real sockets held by this test.
@Suite struct PortAllocatorHostTests {
    /// Binds a socket of `type` to 127.0.0.1 on a port the kernel chooses inside the dynamic range 49153-65535
    /// (and listens, for TCP). The kernel picks from `ip_local_port_range`, so it may take a few tries.
    private func bindLoopbackInDynamicRange(_ type: __socket_type) throws -> (fd: Int32, port: UInt16) {
        var rejected: [Int32] = []
        defer { rejected.forEach { close($0) } }
        for _ in 0..<64 {
            let socket = try bindLoopback(type)
            if PortAllocator(inUse: []).range.contains(socket.port) { return socket }
            rejected.append(socket.fd)
        }
        return try bindLoopback(type)
    }

    /// Binds a socket of `type` to 127.0.0.1 on a port the kernel chooses (and listens, for TCP).
    private func bindLoopback(_ type: __socket_type) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7f00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        try #require(bound)
        if type == SOCK_STREAM { try #require(listen(fd, 1) == 0) }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    @Test(arguments: [PortProtocol.tcp, .udp])
    func boundPortIsSkippedUntilClosed(proto: PortProtocol) throws {
        let (fd, port) = try bindLoopbackInDynamicRange(proto == .tcp ? SOCK_STREAM : SOCK_DGRAM)
        var closed = false
        defer { if !closed { close(fd) } }
        #expect(PortAllocator.isBoundOnHost(proto, port))

        // The only port of the range is held: dynamic allocation and a fixed request both fail.
        var allocator = PortAllocator(range: port...port, inUse: [])
        let spec = PortSpec(containerPorts: 80...80, proto: proto)
        #expect(throws: PortSpecError.noFreeHostPort(ports: port...port, proto: proto, hostIP: nil)) {
            try allocator.resolve([spec])
        }
        let fixed = PortSpec(hostPorts: port...port, containerPorts: 80...80, proto: proto)
        #expect(throws: PortSpecError.hostPortInUse(PortKey(hostPort: port, proto: proto))) {
            try allocator.resolve([fixed])
        }

        close(fd)
        closed = true
        #expect(!PortAllocator.isBoundOnHost(proto, port))
        #expect(try allocator.resolve([spec]) == [ResolvedPort(hostPort: port, containerPort: 80, proto: proto)])
    }
}
