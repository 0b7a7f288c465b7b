import Firewall
import SystemKit
import Testing

/// Models Splice refuses before anything reaches the kernel, each with a message that names the problem.
@Suite("Model validation")
struct ValidationTests {
    private func refusal(_ model: FirewallModel) -> String? {
        do {
            try model.validate()
            return nil
        } catch {
            #expect(error.kind == .invalidModel)
            return error.message
        }
    }

    private func network(_ name: String, _ bridge: String, _ subnet: String, ports: [String] = []) -> NetworkRules {
        NetworkRules(name: name, bridge: bridge, subnet: Samples.subnet(subnet), ports: ports)
    }

    /// The samples are valid, and so is the empty model.
    @Test func samplesAreValid() throws {
        try Samples.both.validate()
        try FirewallModel.empty.validate()
    }

    /// Names and bridges are unique, subnets disjoint.
    @Test func networksMustBeDistinct() {
        let a = network("a", "br-a", "10.0.0.0/24")
        #expect(
            refusal(FirewallModel(networks: [a, network("a", "br-b", "10.1.0.0/24")]))
                == "network name \"a\" is used twice")
        #expect(
            refusal(FirewallModel(networks: [a, network("b", "br-a", "10.1.0.0/24")]))
                == "networks \"a\" and \"b\" share bridge br-a")
        #expect(
            refusal(FirewallModel(networks: [a, network("b", "br-b", "10.0.0.128/25")]))
                == "subnet 10.0.0.128/25 of network \"b\" overlaps 10.0.0.0/24 of \"a\"")
        #expect(refusal(FirewallModel(networks: [network("", "br-a", "10.0.0.0/24")])) == "network 1 has an empty name")
    }

    /// Bridge and port names must be interface names that cannot break out of an nft string or act as wildcards.
    @Test func interfaceNamesAreChecked() {
        for bad in ["", "br\"x", "br*", "has space", "sixteen-chars-xx", "a/b", "..", "br\\x"] {
            let message = refusal(FirewallModel(networks: [network("a", bad, "10.0.0.0/24")]))
            #expect(message?.contains("is not a valid interface name") == true, "\(bad)")
        }
        let ports = refusal(FirewallModel(networks: [network("a", "br-a", "10.0.0.0/24", ports: ["vb*"])]))
        #expect(
            ports
                == "port of network \"a\" \"vb*\" is not a valid interface name "
                + "(1-15 characters from a-z A-Z 0-9 - _ .)"
        )
        let twice = refusal(
            FirewallModel(networks: [
                network("a", "br-a", "10.0.0.0/24", ports: ["vb1"]),
                network("b", "br-b", "10.1.0.0/24", ports: ["vb1"]),
            ]))
        #expect(twice == "port vb1 belongs to both \"a\" and \"b\"")
        #expect(
            refusal(FirewallModel(networks: [network("a", "br-a", "10.0.0.0/24", ports: ["br-a"])]))
                == "port br-a of network \"a\" is a bridge")
    }

    /// Mappings name a known bridge and an address inside its subnet, with real ports.
    @Test func mappingsMustFitTheirNetwork() {
        var mapping = Samples.webAny
        mapping.bridge = "br-nowhere"
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [mapping]))
                == "mapping 8080->10.10.0.2:80/tcp on br-nowhere names bridge br-nowhere, which no network uses")
        mapping = Samples.webAny
        mapping.containerAddress = IPv4Address(10, 20, 0, 2)
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [mapping]))
                == "mapping 8080->10.20.0.2:80/tcp on br-front: 10.20.0.2 is outside 10.10.0.0/24 of network \"front\"")
        mapping = Samples.webAny
        mapping.hostPort = 0
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [mapping]))
                == "mapping 0->10.10.0.2:80/tcp on br-front: host port 0 is not a port")
        mapping = Samples.webAny
        mapping.containerPort = 0
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [mapping]))
                == "mapping 8080->10.10.0.2:0/tcp on br-front: container port 0 is not a port")
        mapping = Samples.webAny
        mapping.hostAddress = IPv4Address(value: 0)
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [mapping]))
                == "mapping 0.0.0.0:8080->10.10.0.2:80/tcp on br-front: "
                + "publish on every address with hostAddress nil, not 0.0.0.0"
        )
    }

    /// One host port holds one mapping: the same key twice, or every-address beside one address, conflict;
    /// TCP and UDP on one port do not.
    @Test func hostPortsDoNotClash() {
        var other = Samples.webAny
        other.containerPort = 81
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portMappings: [Samples.webAny, other]))
                == "host port 0.0.0.0:8080/tcp is already published by 8080->10.10.0.2:80/tcp on br-front; "
                + "cannot also publish 8080->10.10.0.2:81/tcp on br-front")
        var specific = Samples.webAny
        specific.hostAddress = .loopback
        #expect(refusal(FirewallModel(networks: [Samples.front], portMappings: [Samples.webAny, specific])) != nil)
        #expect(refusal(FirewallModel(networks: [Samples.front], portMappings: [specific, Samples.webAny])) != nil)
        var udp = Samples.webAny
        udp.proto = .udp
        #expect(refusal(FirewallModel(networks: [Samples.front], portMappings: [Samples.webAny, udp])) == nil)
        var elsewhere = specific
        elsewhere.hostAddress = IPv4Address(192, 0, 2, 1)
        #expect(refusal(FirewallModel(networks: [Samples.front], portMappings: [specific, elsewhere])) == nil)
    }

    /// A port range refuses mappings outside it and may not include port 0.
    @Test func portRangeBoundsMappings() {
        let model = FirewallModel(networks: [Samples.front], portMappings: [Samples.webAny], portRange: 30_000...40_000)
        #expect(
            refusal(model)
                == "mapping 8080->10.10.0.2:80/tcp on br-front: host port 8080 is outside the port range 30000-40000")
        #expect(
            refusal(FirewallModel(networks: [Samples.front], portRange: 0...10)) == "port range 0-10 includes port 0")
    }
}
