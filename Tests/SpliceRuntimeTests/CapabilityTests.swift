import Testing
@testable import SpliceRuntime

@Suite("Capabilities")
struct CapabilityTests {
    @Test("names parse with or without CAP_, in any case", arguments: ["CAP_NET_ADMIN", "NET_ADMIN", "net_admin", "cap_net_admin"])
    func parsing(name: String) {
        #expect(Capability(name: name) == Capability(rawValue: 12))
        #expect(Capability(name: name)?.name == "CAP_NET_ADMIN")
    }

    @Test("unknown names and ALL are not single capabilities")
    func unknown() {
        #expect(Capability(name: "NET_WIZARD") == nil)
        #expect(Capability(name: "ALL") == nil)
    }

    @Test("Docker's default set has 14 capabilities and no SYS_ADMIN")
    func dockerDefault() throws {
        let set = try CapabilitySet.resolve(add: [], drop: [], privileged: false)
        #expect(set == .dockerDefault)
        #expect(set.members.count == 14)
        #expect(set.mask == 0xa8_0425fb)
        #expect(!set.contains(try #require(Capability(name: "SYS_ADMIN"))))
    }

    @Test("add and drop adjust the default set")
    func addDrop() throws {
        let set = try CapabilitySet.resolve(add: ["NET_ADMIN"], drop: ["cap_mknod", "NET_RAW"], privileged: false)
        #expect(set.contains(try #require(Capability(name: "NET_ADMIN"))))
        #expect(!set.contains(try #require(Capability(name: "MKNOD"))))
        #expect(!set.contains(try #require(Capability(name: "NET_RAW"))))
        #expect(set.members.count == 13)
    }

    @Test("ALL, drop ALL and privileged")
    func all() throws {
        #expect(try CapabilitySet.resolve(add: [], drop: [], privileged: true) == .all)
        #expect(try CapabilitySet.resolve(add: ["ALL"], drop: [], privileged: false) == .all)
        let allButAdmin = try CapabilitySet.resolve(add: ["ALL"], drop: ["SYS_ADMIN"], privileged: false)
        #expect(allButAdmin.members.count == CapabilitySet.all.members.count - 1)
        let onlyChown = try CapabilitySet.resolve(add: ["CHOWN"], drop: ["ALL"], privileged: false)
        #expect(onlyChown.description == "CAP_CHOWN")
        #expect(CapabilitySet.all.members.count == 41)
        // --privileged gets every capability number the kernel has, named here or not (cap_last_cap 42: 0...42).
        let kernel = CapabilitySet.upTo(42)
        #expect(try CapabilitySet.resolve(add: [], drop: [], privileged: true, every: kernel).mask == 0x7ff_ffff_ffff)
        #expect(CapabilitySet.upTo(63).mask == UInt64.max)
    }

    @Test("an added capability wins over the same one dropped")
    func addWins() throws {
        let set = try CapabilitySet.resolve(add: ["KILL"], drop: ["KILL"], privileged: false)
        #expect(set.contains(try #require(Capability(name: "KILL"))))
    }

    @Test("an unknown name is an error")
    func unknownIsError() {
        #expect(throws: RuntimeError.invalidSpec("unknown capability \"NET_WIZARD\"")) {
            try CapabilitySet.resolve(add: ["NET_WIZARD"], drop: [], privileged: false)
        }
    }
}
