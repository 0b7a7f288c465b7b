import Firewall
import Testing

/// Read-back decoding, fed libnftables' real JSON output (see Fixtures.swift).
@Suite("Read-back decoding")
struct StateDecodingTests {
    private static let all = Fixtures.overview + Fixtures.inetTable + Fixtures.bridgeTable + Fixtures.natTable

    /// Splice's three tables are found; the foreign `ip filter` is not one of them.
    @Test func tables() throws {
        let state = try FirewallState(decodingJSON: Self.all)
        // In the order `list tables` printed them.
        #expect(state.tables == [
            FirewallState.Table(family: .inet, name: "splice"), FirewallState.Table(family: .bridge, name: "splice"),
            FirewallState.Table(family: .ip, name: "splice-nat"),
        ])
        #expect(Set(state.tables) == Set(FirewallState.spliceTables))
        #expect(!state.hasTable(.ip, "filter"))
        #expect(!state.isEmpty)
    }

    /// Chains come with hook, priority, policy and the number of rules the table listing showed.
    @Test func chains() throws {
        let state = try FirewallState(decodingJSON: Self.all)
        #expect(state.chains.count == 7)
        let forward = try #require(state.chain(.inet, "splice", "forward"))
        #expect(
            forward
                == FirewallState.Chain(
                    family: .inet, table: "splice", name: "forward", type: "filter", hook: "forward", priority: 0,
                    policy: "accept", ruleCount: 8))
        #expect(state.chain(.inet, "splice", "prerouting")?.priority == -90)
        #expect(state.chain(.bridge, "splice", "forward")?.ruleCount == 3)
        #expect(state.chain(.bridge, "splice", "forward")?.priority == -200)
        #expect(state.chain(.ip, "splice-nat", "published")?.hook == nil)
        #expect(state.chain(.ip, "splice-nat", "published")?.ruleCount == 5)
        #expect(state.chain(.ip, "splice-nat", "output")?.priority == -100)
        #expect(state.chain(.ip, "splice-nat", "postrouting")?.ruleCount == 4)
    }

    /// The four maps decode back into the mappings that were published, bridge included (from the element comment).
    @Test func mappings() throws {
        let state = try FirewallState(decodingJSON: Self.all)
        #expect(Set(state.portMappings) == Set(Samples.both.portMappings))
        #expect(state.portMappings.count == 4)
        let tcpPorts = try #require(state.set(.ip, "splice-nat", "tcp-ports"))
        #expect(tcpPorts.keyType == "ipv4_addr . inet_service")
        #expect(tcpPorts.valueType == "ipv4_addr . inet_service")
        #expect(tcpPorts.elementCount == 1)
        #expect(state.set(.ip, "splice-nat", "udp-any-ports")?.keyType == "inet_service")
        #expect(state.sets.count == 5)
    }

    /// The bridge table's isolation set decodes to port names.
    @Test func isolatedPorts() throws {
        let state = try FirewallState(decodingJSON: Self.all)
        #expect(state.isolatedPorts == ["vb-back1", "vb-back2"])
        let set = try #require(state.set(.bridge, "splice", "isolated-ports"))
        #expect(!set.isMap)
        #expect(set.keyType == "ifname")
    }

    /// A foreign forward chain with policy drop is reported, other foreign chains are not.
    @Test func foreignDropChains() throws {
        let state = try FirewallState(decodingJSON: Fixtures.overview, legacyTables: ["ip filter"])
        #expect(
            state.forwardDropChains == [
                FirewallState.Chain(
                    family: .ip, table: "filter", name: "FORWARD", type: "filter", hook: "forward", priority: 0,
                    policy: "drop")
            ])
        #expect(state.legacyTables == ["ip filter"])
        // `list chains` alone gives the chains but no rules.
        #expect(state.chains.count == 7)
        #expect(state.chains.allSatisfy { $0.ruleCount == 0 })
        #expect(state.portMappings.isEmpty)
    }

    /// An empty ruleset is an empty state.
    @Test func emptyRuleset() throws {
        let empty = #"{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}"#
        let state = try FirewallState(decodingJSON: empty + "\n" + empty)
        #expect(state == FirewallState())
        #expect(state.isEmpty)
    }

    /// Broken or unexpected JSON is a malformed read-back, never a crash.
    @Test func malformed() {
        #expect(
            throws: FirewallError(
                kind: .malformedReadBack, operation: "read back",
                message: "libnftables JSON is malformed at byte 13: unexpected end of input")
        ) {
            try FirewallState(decodingJSON: #"{"nftables": "#)
        }
        #expect(
            throws: FirewallError(
                kind: .malformedReadBack, operation: "read back",
                message: "libnftables JSON: a document has no \"nftables\" array")
        ) {
            try FirewallState(decodingJSON: "[]")
        }
        let badElement =
            #"{"nftables": [{"map": {"family": "ip", "name": "tcp-any-ports", "table": "splice-nat", "#
            + #""type": "inet_service", "map": "ipv4_addr . inet_service", "elem": [[8080, "oops"]]}}]}"#
        #expect(throws: FirewallError.self) { try FirewallState(decodingJSON: badElement) }
        let badFamily = #"{"nftables": [{"table": {"family": "decnet", "name": "x"}}]}"#
        #expect(throws: FirewallError.self) { try FirewallState(decodingJSON: badFamily) }
    }
}
