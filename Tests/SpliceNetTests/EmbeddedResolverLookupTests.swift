import NetlinkKit
import Testing

@testable import SpliceNet

/// Name visibility of the embedded DNS: a container resolves the names, short ids, aliases and `<name>.<network>`
/// of the containers sharing a user network with it, with their address on that network, and nothing else.
@Suite struct EmbeddedResolverLookupTests {
    private func member(_ network: String, _ container: String, _ names: [String], _ address: String) throws
        -> EmbeddedResolver.Member
    {
        EmbeddedResolver.Member(network: network, container: container, names: names,
                                address: try #require(IPv4Address(address)))
    }

    private var members: [EmbeddedResolver.Member] {
        get throws {
            [try member("n1", "c1", ["cap-c1", "c496944b3e09", "other"], "172.28.0.2"),
             try member("n2", "c1", ["cap-c1", "c496944b3e09", "web", "www"], "10.231.0.200"),
             try member("n1", "c2", ["probe1", "aaaaaaaaaaaa"], "172.28.0.3"),
             try member("n2", "c3", ["probe2", "bbbbbbbbbbbb"], "10.231.0.5"),
             try member("n3", "c4", ["lonely", "cccccccccccc"], "10.9.0.2")]
        }
    }

    private func answer(_ name: String, from container: String) throws -> String? {
        EmbeddedResolver.lookup(name, from: container, members: try members)?.map(\.description).joined()
    }

    @Test func namesAreScopedPerNetworkWithThatNetworksAddress() throws {
        #expect(try answer("other", from: "c2") == "172.28.0.2")
        #expect(try answer("cap-c1", from: "c2") == "172.28.0.2")
        #expect(try answer("web", from: "c2") == nil)
        #expect(try answer("web", from: "c3") == "10.231.0.200")
        #expect(try answer("cap-c1", from: "c3") == "10.231.0.200")
        #expect(try answer("other", from: "c3") == nil)
    }

    @Test func shortIDsQualifiedNamesAndCaseAreAnswered() throws {
        #expect(try answer("c496944b3e09", from: "c3") == "10.231.0.200")
        #expect(try answer("web.n2", from: "c3") == "10.231.0.200")
        #expect(try answer("WWW", from: "c3") == "10.231.0.200")
        #expect(try answer("web.n1", from: "c3") == nil)
    }

    @Test func networkNamesAndContainersOnNoSharedNetworkAreNotAnswered() throws {
        #expect(try answer("n2", from: "c3") == nil)
        #expect(try answer("lonely", from: "c3") == nil)
        #expect(try answer("probe2", from: "c4") == nil)
        #expect(try answer("cap-c1", from: "unknown") == nil)
    }
}
