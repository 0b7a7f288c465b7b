import Foundation
import NetlinkKit
import SystemKit
import TestSupport
import Testing

@testable import SplicePipework

@Suite(.enabled(if: Privileges.canCreateNamespaces, Comment(rawValue: Privileges.reason)))
struct DHCPClientTests {
    static let range = IPNetwork(address: .v4(IPv4Address(192, 168, 77, 0)), prefixLength: 24)
    static let serverAddress = IPv4Address(192, 168, 77, 1)

    @Test func acquireRenewAndReleaseAgainstUdhcpd() throws {
        try DHCPLab.run { lab in
            let client = DHCPClient(interface: "eth1", namespace: lab.guest, mac: lab.guestMAC, hostname: "guest1")
            let lease = try client.acquire()
            guard case .v4(let address) = lease.address.address else {
                Issue.record("not IPv4: \(lease.address)")
                return
            }
            #expect((100...150).contains(address.bytes[3]) && Self.range?.contains(.v4(address)) == true,
                    "\(address) is outside start..end")
            #expect(lease.address.prefixLength == 24)
            #expect(lease.router == Self.serverAddress)
            #expect(lease.dnsServers == [Self.serverAddress])
            #expect(lease.domain == "splice.test")
            #expect(lease.leaseSeconds == 600)
            #expect(lease.server == Self.serverAddress)

            // The server recorded our host name.
            let entry = try lab.leaseEntry(for: lab.guestMAC)
            #expect(entry.contains(address.description) && entry.contains("guest1"), "dumpleases: \(entry)")

            // Apply the address the way the lead does (netlink), then renew by unicast to the server.
            let index = try #require(try lab.guestSocket.link(named: "eth1")?.index)
            try lab.guestSocket.addAddress(lease.address, to: index)
            let renewed = try client.renew(lease)
            #expect(renewed == lease)

            client.release(renewed)
            let released = try lab.leaseEntry(for: lab.guestMAC, until: { $0.contains("expired") })
            #expect(released.contains("expired"), "dumpleases after release: \(released)")
        }
    }

    @Test func unicastOnlyOnceTheLeasedAddressIsConfigured() throws {
        try DHCPLab.run { lab in
            let probe = { () throws -> IPv4Address? in
                try lab.guest.perform { () throws(SystemError) -> IPv4Address? in
                    try DHCPSocket(interface: "eth1").sourceAddress(toward: Self.serverAddress)
                }
            }
            #expect(try probe() == nil, "without an address the kernel would send from 0.0.0.0")
            let index = try #require(try lab.guestSocket.link(named: "eth1")?.index)
            try lab.guestSocket.addAddress(try #require(IPNetwork("192.168.77.140/24")), to: index)
            #expect(try probe() == IPv4Address(192, 168, 77, 140))
        }
    }

    @Test func renewWithoutConfiguredAddressRebindsByBroadcast() throws {
        try DHCPLab.run { lab in
            let client = DHCPClient(interface: "eth1", namespace: lab.guest, mac: lab.guestMAC, timeoutSeconds: 5)
            let lease = try client.acquire()
            // No address on eth1, so no route to the server: the REQUEST must go out broadcast.
            let renewed = try client.renew(lease)
            #expect(renewed.address == lease.address)
            #expect(renewed.server == Self.serverAddress)
        }
    }

    @Test func acquireWorksWithStrictReversePathFiltering() throws {
        try DHCPLab.run { lab in
            // Hosts often set rp_filter, and new namespaces inherit it. The guest has no routes yet.
            for key in ["net.ipv4.conf.all.rp_filter=1", "net.ipv4.conf.eth1.rp_filter=1"] {
                let result = try runIn(lab.guest, ["sysctl", "-w", key])
                try #require(result.status == 0, "sysctl \(key): \(result.stderr)")
            }
            let client = DHCPClient(interface: "eth1", namespace: lab.guest, mac: lab.guestMAC, timeoutSeconds: 6)
            let lease = try client.acquire()
            #expect(lease.server == Self.serverAddress)
        }
    }

    @Test func timeoutNamesInterfaceAndWait() throws {
        try withScratchNetworkNamespace { guest, socket in
            // A link with carrier but nobody serving DHCP on the other end.
            try socket.addLink(LinkSpec(name: "eth1", kind: .veth(peer: VethPeer(name: "peer1")), up: true))
            let peer = try #require(try socket.link(named: "peer1"))
            try socket.setLink(peer.index, LinkChange(up: true))
            let mac = try #require(try socket.link(named: "eth1")?.address)
            let client = DHCPClient(interface: "eth1", namespace: guest, mac: mac, timeoutSeconds: 2, attempts: 2)
            let started = ContinuousClock.now
            let error = #expect(throws: DHCPError.self) { try client.acquire() }
            let waited = ContinuousClock.now - started
            #expect(error == .timeout(interface: "eth1", namespace: guest.label, awaiting: .offer, seconds: 2, sent: 2))
            #expect(error?.description.hasPrefix("no DHCPOFFER on eth1 in namespace \(guest.label) after waiting 2 s")
                == true)
            #expect(waited >= .seconds(2) && waited < .seconds(4))
        }
    }

    @Test func missingInterfaceIsASocketError() throws {
        try withScratchNetworkNamespace { guest, _ in
            let mac = try #require(MACAddress("02:00:00:00:00:01"))
            let error = #expect(throws: DHCPError.self) {
                try DHCPClient(interface: "nosuch0", namespace: guest, mac: mac, timeoutSeconds: 1).acquire()
            }
            guard case .system(let failure) = error else {
                Issue.record("expected a socket error, got \(String(describing: error))")
                return
            }
            #expect(failure.errno == .noSuchDevice)
            #expect(failure.path == "nosuch0")
        }
    }
}

/// A server namespace running busybox udhcpd on `srv0` (192.168.77.1/24), joined by a veth pair to a guest
/// namespace whose end is `eth1` (up, no address). Everything is torn down when `run` returns or throws.
private final class DHCPLab {
    let server: NetworkNamespace
    let guest: NetworkNamespace
    let guestSocket: NetlinkSocket
    let guestMAC: MACAddress
    let directory: URL
    private var process: Process?

    private init(server: NetworkNamespace, serverSocket: NetlinkSocket) throws {
        self.server = server
        guest = try NetworkNamespace.anonymous(label: "dhcp-guest")
        guestSocket = try NetlinkSocket.open(in: guest)
        try serverSocket.addLink(LinkSpec(name: "srv0", kind: .veth(peer: VethPeer(name: "eth1", namespace: guest)),
                                          up: true))
        let serverLink = try #require(try serverSocket.link(named: "srv0"))
        try serverSocket.addAddress(try #require(IPNetwork("192.168.77.1/24")), to: serverLink.index)
        let guestLink = try #require(try guestSocket.link(named: "eth1"))
        try guestSocket.setLink(guestLink.index, LinkChange(up: true))
        guestMAC = try #require(guestLink.address)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("splice-udhcpd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Sets up the lab, runs `body`, and always stops udhcpd and removes the temporary directory.
    static func run(_ body: (DHCPLab) throws -> Void) throws {
        try withScratchNetworkNamespace { server, serverSocket in
            let lab = try DHCPLab(server: server, serverSocket: serverSocket)
            defer { lab.tearDown() }
            try lab.startServer()
            do {
                try body(lab)
            } catch {
                Issue.record("udhcpd log:\n\(lab.log)")
                throw error
            }
        }
    }

    var leaseFile: String { directory.appendingPathComponent("udhcpd.leases").path }
    var log: String { (try? String(contentsOf: directory.appendingPathComponent("udhcpd.log"), encoding: .utf8)) ?? "" }

    private func startServer() throws {
        let config = """
            start 192.168.77.100
            end 192.168.77.150
            interface srv0
            max_leases 51
            lease_file \(leaseFile)
            pidfile \(directory.appendingPathComponent("udhcpd.pid").path)
            option subnet 255.255.255.0
            option router 192.168.77.1
            option dns 192.168.77.1
            option domain splice.test
            option lease 600

            """
        let configURL = directory.appendingPathComponent("udhcpd.conf")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        let logURL = directory.appendingPathComponent("udhcpd.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: logURL)
        let process = Process()
        // nsenter execs busybox without forking, so this PID is udhcpd itself.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = ["--net=\(procPath(of: server))", "busybox", "udhcpd", "-f", configURL.path]
        process.standardOutput = logHandle
        process.standardError = logHandle
        // The child inherits the spawning thread's signal mask, and the runner's threads block SIGTERM and SIGUSR1.
        // Spawn from a fresh thread with nothing blocked so that udhcpd reacts to them.
        try KernelThread.run { () throws(any Error) in
            var nothing = sigset_t()
            sigemptyset(&nothing)
            pthread_sigmask(SIG_SETMASK, &nothing, nil)
            try process.run()
        }
        self.process = process
    }

    /// The `dumpleases` line for `mac`, after asking udhcpd (SIGUSR1) to write its lease file; waits up to 3 s
    /// for the line to satisfy `condition`.
    func leaseEntry(for mac: MACAddress, until condition: (String) -> Bool = { _ in true }) throws -> String {
        let pid = try #require(process?.processIdentifier)
        var line = ""
        for _ in 0..<30 {
            kill(pid, SIGUSR1)
            Thread.sleep(forTimeInterval: 0.1)
            let result = try runStatus("/usr/bin/busybox", ["dumpleases", "-f", leaseFile])
            line = result.stdout.split(separator: "\n").first { $0.hasPrefix(mac.description) }.map(String.init) ?? ""
            if !line.isEmpty, condition(line) { return line }
        }
        return line
    }

    private func tearDown() {
        if let process, process.isRunning {
            process.terminate()  // SIGTERM to exactly the udhcpd we started
            for _ in 0..<50 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
