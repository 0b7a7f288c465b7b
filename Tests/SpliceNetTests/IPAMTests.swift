import Foundation
import NetlinkKit
import Synchronization
import Testing

@testable import SpliceNet

// MARK: - Fixtures

private func net(_ text: String) -> IPNetwork { IPNetwork(text)! }
private func v4(_ text: String) -> IPv4Address { IPv4Address(text)! }

/// A fresh state directory under /tmp, removed when `body` returns.
private func withStateDirectory<T>(_ body: (String) throws -> T) throws -> T {
    var template = Array("/tmp/splice-ipam-test-XXXXXX".utf8CString)
    let path = try #require(mkdtemp(&template).map { String(cString: $0) })
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

@Suite struct IPAMDefaultTests {
    @Test func defaultNetworkGets172_18() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            let pool = try ipam.createPool(name: IPAM.defaultNetworkName)
            #expect(
                pool == IPAMPool(name: "splice0", subnet: net("172.18.0.0/16"), range: nil, gateway: v4("172.18.0.1")))
            #expect(try ipam.allocate(in: "splice0", owner: "c1") == v4("172.18.0.2"))
            #expect(try ipam.allocate(in: "splice0", owner: "c2") == v4("172.18.0.3"))
            #expect(try ipam.pool(named: "splice0")?.owner(of: v4("172.18.0.2")) == "c1")
        }
    }

    @Test func defaultSubnetsAreDockersPoolsFrom172_18() {
        let texts = IPAM.defaultSubnets.map(\.description)
        #expect(texts.count == 14 + 16)
        #expect(texts.prefix(3) == ["172.18.0.0/16", "172.19.0.0/16", "172.20.0.0/16"])
        #expect(texts[13] == "172.31.0.0/16")
        #expect(texts[14...16] == ["192.168.0.0/20", "192.168.16.0/20", "192.168.32.0/20"])
        #expect(texts.last == "192.168.240.0/20")
    }

    @Test func nextFreeSubnetAvoidsPoolsAndRoutes() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            // The default route and IPv6 routes never block a subnet; 172.20.5.0/24 blocks 172.20.0.0/16.
            let routes = [net("0.0.0.0/0"), net("172.19.0.0/16"), net("172.20.5.0/24"), net("fd00::/8")]
            #expect(try ipam.createPool(name: "splice0", avoiding: routes).subnet == net("172.18.0.0/16"))
            #expect(try ipam.createPool(name: "web", avoiding: routes).subnet == net("172.21.0.0/16"))
            #expect(try ipam.createPool(name: "db", avoiding: routes).subnet == net("172.22.0.0/16"))
            #expect(try ipam.createPool(name: "db2").gateway == v4("172.19.0.1"))
        }
    }

    @Test func fallsBackTo192_168Slash20() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            let routes = [net("172.16.0.0/12"), net("192.168.0.0/24")]
            let pool = try ipam.createPool(name: "web", avoiding: routes)
            #expect(pool.subnet == net("192.168.16.0/20"))
            #expect(pool.gateway == v4("192.168.16.1"))
        }
    }

    @Test func noFreeSubnetWhenEveryDefaultOverlaps() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            let routes = [net("172.16.0.0/12"), net("192.168.0.0/16")]
            let error = #expect(throws: IPAMError.noFreeSubnet(network: "web")) {
                try ipam.createPool(name: "web", avoiding: routes)
            }
            #expect(error?.description.contains("--subnet") == true)
        }
    }

    @Test func namesAreUniqueAndNonEmpty() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "web")
            #expect(throws: IPAMError.networkExists("web")) { try ipam.createPool(name: "web") }
            #expect(throws: IPAMError.invalidName("")) { try ipam.createPool(name: "") }
            #expect(throws: IPAMError.invalidName("a\nb")) { try ipam.createPool(name: "a\nb") }
        }
    }
}

@Suite struct IPAMValidationTests {
    @Test func explicitSubnetMustNotOverlapAnotherPool() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "splice0")
            let expected = IPAMError.subnetOverlaps(
                net("172.18.4.0/24"), network: "web", overlap: .pool(name: "splice0", subnet: net("172.18.0.0/16")))
            let error = #expect(throws: expected) { try ipam.createPool(name: "web", subnet: net("172.18.4.0/24")) }
            #expect(
                error?.description
                    == "subnet 172.18.4.0/24 of network \"web\" overlaps subnet 172.18.0.0/16 of network \"splice0\"")
            // A larger subnet that contains an existing pool overlaps too.
            #expect(throws: IPAMError.self) { try ipam.createPool(name: "big", subnet: net("172.16.0.0/12")) }
        }
    }

    @Test func explicitSubnetMustNotOverlapAHostRoute() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            let expected = IPAMError.subnetOverlaps(
                net("10.0.0.0/8"), network: "lan", overlap: .route(net("10.1.2.0/24")))
            let error = #expect(throws: expected) {
                try ipam.createPool(name: "lan", subnet: net("10.0.0.0/8"), avoiding: [net("10.1.2.0/24")])
            }
            #expect(error?.description == "subnet 10.0.0.0/8 of network \"lan\" overlaps the host route 10.1.2.0/24")
            #expect(try ipam.pools().isEmpty)
        }
    }

    @Test(arguments: [
        ("fd00::/64", "only IPv4 subnets are supported"),
        ("10.1.2.3/16", "host bits are set; did you mean 10.1.0.0/16?"),
        ("10.1.2.0/31", "a bridge subnet needs at least a /30 (4 addresses)"),
    ])
    func badSubnets(subnet: String, reason: String) throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            #expect(throws: IPAMError.badSubnet(net(subnet), reason: reason)) {
                try ipam.createPool(name: "web", subnet: net(subnet))
            }
        }
    }

    @Test(arguments: [
        ("10.2.0.0/24", "the range must lie inside the subnet"),
        ("10.0.0.0/8", "the range must lie inside the subnet"),
        ("10.1.5.7/24", "host bits are set; did you mean 10.1.5.0/24?"),
        ("fd00::/120", "only IPv4 ranges are supported"),
        ("10.1.0.1/32", "it holds only the network, broadcast or gateway address"),
    ])
    func badRanges(range: String, reason: String) throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            #expect(throws: IPAMError.badRange(net(range), subnet: net("10.1.0.0/16"), reason: reason)) {
                try ipam.createPool(name: "web", subnet: net("10.1.0.0/16"), range: net(range))
            }
        }
    }

    @Test(arguments: [
        ("10.2.0.1", "it is outside the subnet"),
        ("10.1.0.0", "it is the network address"),
        ("10.1.255.255", "it is the broadcast address"),
    ])
    func badGateways(gateway: String, reason: String) throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            #expect(throws: IPAMError.badGateway(v4(gateway), subnet: net("10.1.0.0/16"), reason: reason)) {
                try ipam.createPool(name: "web", subnet: net("10.1.0.0/16"), gateway: v4(gateway))
            }
        }
    }

    @Test func rangeAllocatesFromItsFirstAddress() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            // As Docker: only the subnet's network, broadcast and gateway addresses are skipped, so the range's
            // first address (10.1.5.0, an ordinary host address in a /16) is handed out.
            _ = try ipam.createPool(name: "web", subnet: net("10.1.0.0/16"), range: net("10.1.5.0/24"))
            #expect(try ipam.allocate(in: "web", owner: "a") == v4("10.1.5.0"))
            #expect(try ipam.allocate(in: "web", owner: "b") == v4("10.1.5.1"))
            // A range at the start of the subnet skips the network address and the gateway.
            _ = try ipam.createPool(name: "db", subnet: net("10.2.0.0/16"), range: net("10.2.0.0/24"))
            #expect(try ipam.allocate(in: "db", owner: "a") == v4("10.2.0.2"))
        }
    }

    @Test func customGatewayIsSkipped() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            let pool = try ipam.createPool(name: "web", subnet: net("10.1.0.0/30"), gateway: v4("10.1.0.2"))
            #expect(pool.gateway == v4("10.1.0.2"))
            #expect(try ipam.allocate(in: "web", owner: "a") == v4("10.1.0.1"))
            #expect(throws: IPAMError.poolExhausted(network: "web", range: net("10.1.0.0/30"))) {
                try ipam.allocate(in: "web", owner: "b")
            }
        }
    }

    @Test func staticAddresses() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "web", subnet: net("10.1.0.0/24"), range: net("10.1.0.128/25"))
            // Inside the subnet but outside the range is allowed, as in Docker.
            #expect(try ipam.allocate(in: "web", owner: "fixed", requested: v4("10.1.0.10")) == v4("10.1.0.10"))
            #expect(try ipam.allocate(in: "web", owner: "range", requested: v4("10.1.0.128")) == v4("10.1.0.128"))
            // Dynamic allocation skips the statically taken address.
            #expect(try ipam.allocate(in: "web", owner: "dyn") == v4("10.1.0.129"))

            let inUse = #expect(throws: IPAMError.addressInUse(v4("10.1.0.10"), network: "web", owner: "fixed")) {
                try ipam.allocate(in: "web", owner: "other", requested: v4("10.1.0.10"))
            }
            #expect(inUse?.description == "address 10.1.0.10 of network \"web\" is already in use by fixed")
            #expect(throws: IPAMError.addressOutsideSubnet(v4("10.1.1.5"), network: "web", subnet: net("10.1.0.0/24")))
            {
                try ipam.allocate(in: "web", owner: "x", requested: v4("10.1.1.5"))
            }
            for (address, role) in [
                ("10.1.0.0", "the network address"), ("10.1.0.255", "the broadcast address"),
                ("10.1.0.1", "the gateway"),
            ] {
                #expect(throws: IPAMError.addressReserved(v4(address), network: "web", role: role)) {
                    try ipam.allocate(in: "web", owner: "x", requested: v4(address))
                }
            }
        }
    }

    @Test func unknownNetwork() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            #expect(throws: IPAMError.unknownNetwork("nope")) { try ipam.allocate(in: "nope", owner: "a") }
            #expect(throws: IPAMError.unknownNetwork("nope")) { try ipam.release(v4("10.0.0.2"), in: "nope") }
            #expect(throws: IPAMError.unknownNetwork("nope")) { try ipam.deletePool(name: "nope") }
            #expect(try ipam.pool(named: "nope") == nil)
        }
    }
}

@Suite struct IPAMAllocationTests {
    @Test func exhaustsASlash29() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "tiny", subnet: net("10.9.0.0/29"))
            // .0 network, .1 gateway, .7 broadcast: five addresses for containers.
            let addresses = try (0..<5).map { try ipam.allocate(in: "tiny", owner: "c\($0)") }
            #expect(addresses.map(\.description) == ["10.9.0.2", "10.9.0.3", "10.9.0.4", "10.9.0.5", "10.9.0.6"])
            let error = #expect(throws: IPAMError.poolExhausted(network: "tiny", range: net("10.9.0.0/29"))) {
                try ipam.allocate(in: "tiny", owner: "c5")
            }
            #expect(error?.description == "no free address left in network \"tiny\" (range 10.9.0.0/29)")
        }
    }

    @Test func releaseMakesTheAddressReusable() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "tiny", subnet: net("10.9.0.0/29"))
            for index in 0..<5 { _ = try ipam.allocate(in: "tiny", owner: "c\(index)") }
            try ipam.release(v4("10.9.0.4"), in: "tiny")
            try ipam.release(v4("10.9.0.3"), in: "tiny")
            try ipam.release(v4("10.9.0.3"), in: "tiny")  // releasing twice is harmless
            #expect(try ipam.pool(named: "tiny")?.owner(of: v4("10.9.0.3")) == nil)
            #expect(try ipam.allocate(in: "tiny", owner: "new") == v4("10.9.0.3"))
            #expect(try ipam.allocate(in: "tiny", owner: "newer") == v4("10.9.0.4"))
            #expect(throws: IPAMError.addressOutsideSubnet(v4("10.8.0.3"), network: "tiny", subnet: net("10.9.0.0/29")))
            {
                try ipam.release(v4("10.8.0.3"), in: "tiny")
            }
        }
    }

    @Test func deletePoolWaitsForReleases() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "web")
            _ = try ipam.allocate(in: "web", owner: "c10")
            _ = try ipam.allocate(in: "web", owner: "c2")
            let expected = IPAMError.poolInUse(
                network: "web", allocations: ["172.18.0.2": "c10", "172.18.0.3": "c2"])
            let error = #expect(throws: expected) { try ipam.deletePool(name: "web") }
            #expect(
                error?.description
                    == "network \"web\" still has allocated addresses: 172.18.0.2 (c10), 172.18.0.3 (c2)")
            try ipam.release(v4("172.18.0.2"), in: "web")
            try ipam.release(v4("172.18.0.3"), in: "web")
            try ipam.deletePool(name: "web")
            #expect(try ipam.pools().isEmpty)
            // The subnet is free again.
            #expect(try ipam.createPool(name: "db").subnet == net("172.18.0.0/16"))
        }
    }

    @Test func stateSurvivesANewInstance() throws {
        try withStateDirectory { directory in
            let first = try IPAM(stateDirectory: directory)
            _ = try first.createPool(name: "splice0")
            _ = try first.createPool(name: "web", subnet: net("10.1.0.0/24"), range: net("10.1.0.64/26"))
            _ = try first.allocate(in: "web", owner: "a")

            let second = try IPAM(stateDirectory: directory + "/")
            #expect(try second.pools() == first.pools())
            #expect(try second.pool(named: "web")?.owner(of: v4("10.1.0.64")) == "a")
            #expect(try second.allocate(in: "web", owner: "b") == v4("10.1.0.65"))
            #expect(try first.pool(named: "web")?.owner(of: v4("10.1.0.65")) == "b")
            #expect(try first.createPool(name: "db").subnet == net("172.19.0.0/16"))

            // The state file is readable JSON with addresses as text.
            let json = try String(contentsOfFile: directory + "/ipam.json", encoding: .utf8)
            #expect(json.contains("\"subnet\" : \"10.1.0.0/24\""))
            #expect(json.contains("\"10.1.0.65\" : \"b\""))
        }
    }

    @Test func leftoverTemporaryFilesAreIgnored() throws {
        try withStateDirectory { directory in
            let ipam = try IPAM(stateDirectory: directory)
            _ = try ipam.createPool(name: "web", subnet: net("10.1.0.0/24"))
            _ = try ipam.allocate(in: "web", owner: "a")
            // A writer that crashed before its rename leaves a partial temporary file behind, from this process
            // or another.
            for name in ["ipam.json.tmp-\(getpid())", "ipam.json.tmp-4242"] {
                try Data("{\"version\": 1, \"pools\": [{\"na".utf8).write(
                    to: URL(fileURLWithPath: directory + "/" + name))
            }
            let after = try IPAM(stateDirectory: directory)
            #expect(try after.pool(named: "web")?.allocations == ["10.1.0.2": "a"])
            #expect(try after.allocate(in: "web", owner: "b") == v4("10.1.0.3"))
            #expect(try IPAM(stateDirectory: directory).pool(named: "web")?.allocations.count == 2)
        }
    }

    @Test func corruptStateIsAnErrorNotAnEmptyPool() throws {
        try withStateDirectory { directory in
            try Data("{\"version\": 1, \"pools\": [{\"na".utf8).write(
                to: URL(fileURLWithPath: directory + "/ipam.json"))
            let ipam = try IPAM(stateDirectory: directory)
            #expect {
                try ipam.allocate(in: "web", owner: "a")
            } throws: { error in
                guard case .corruptState(let path, _) = error as? IPAMError else { return false }
                return path == directory + "/ipam.json"
            }
            let badSubnet = """
                {"version": 1, "pools": [{"name": "web", "subnet": "10.1.0.0/33", "gateway": "10.1.0.1",
                "allocations": {}}]}
                """
            try Data(badSubnet.utf8).write(to: URL(fileURLWithPath: directory + "/ipam.json"))
            #expect(throws: IPAMError.self) { try ipam.pools() }
        }
    }

    /// Eight threads, each with its own `IPAM` on the shared directory (so each takes the lock through its own
    /// open file description, exactly as separate processes do), allocate 50 addresses each.
    @Test func concurrentAllocationsNeverCollide() throws {
        try withStateDirectory { directory in
            _ = try IPAM(stateDirectory: directory).createPool(name: "busy", subnet: net("10.50.0.0/22"))
            let threads = 8
            let perThread = 50
            let results = Mutex<[String: String]>([:])
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                do {
                    let ipam = try IPAM(stateDirectory: directory)
                    for index in 0..<perThread {
                        let owner = "t\(thread)-\(index)"
                        let address = try ipam.allocate(in: "busy", owner: owner)
                        results.withLock { $0[address.description, default: ""] += owner }
                    }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let handedOut = results.withLock { $0 }
            #expect(handedOut.count == threads * perThread)
            let pool = try #require(try IPAM(stateDirectory: directory).pool(named: "busy"))
            #expect(pool.allocations == handedOut)
            // Lowest-first allocation with no gaps: 10.50.0.2 through 10.50.1.145.
            let values = handedOut.keys.compactMap { IPv4Address($0)?.value }.sorted()
            #expect(values.first == v4("10.50.0.2").value)
            #expect(values.last == v4("10.50.0.2").value + UInt32(threads * perThread) - 1)
        }
    }
}

@Suite struct IPAMDockerMACTests {
    @Test(arguments: [
        ("172.18.0.2", "02:42:ac:12:00:02"),
        ("172.17.0.1", "02:42:ac:11:00:01"),
        ("10.0.0.255", "02:42:0a:00:00:ff"),
        ("192.168.240.17", "02:42:c0:a8:f0:11"),
    ])
    func derivedFromTheIPv4Address(address: String, mac: String) {
        let derived = MACAddress.docker(for: v4(address))
        #expect(derived.description == mac)
        #expect(!derived.isMulticast)
        #expect(derived.bytes[0] & 0x02 != 0)  // locally administered
    }
}
