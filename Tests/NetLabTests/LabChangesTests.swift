import Testing

@testable import NetLab

/// What a second `up` of an edited file removes, recreates and adds, worked out from the state file's recorded
/// definitions before anything is touched; and the leave and rejoin steps as the file declares them.
@Suite struct LabChangesTests {
    static let before = """
        name: d
        images: {bb: busybox}
        hosts: {h1: {}, h2: {}}
        networks:
          lan: {subnet: 172.30.7.0/24}
        nodes:
          keep: {host: h1, image: bb, networks: [lan]}
          change: {host: h1, image: bb, networks: {lan: {ip: 172.30.7.20}}}
          side: {host: h1, image: bb, network-mode: "container:change"}
          gone: {host: h1, image: bb, networks: [lan]}
          far: {host: h2, image: bb, networks: [lan]}
        links:
          - endpoints: [keep:eth1, change:eth1]
          - endpoints: [keep:eth2, h1:k2]
        """

    /// The lab file's text parsed and validated.
    static func lab(_ text: String) throws -> LabFile {
        var lab = try LabFile.parse(text)
        try lab.validate()
        return lab
    }

    /// The state `up` records for `lab`: every object with its definition.
    static func state(of lab: LabFile) -> LabState {
        var state = LabState(name: lab.name, file: "d.yaml", switchNamespace: "sl-d", switchAddress: "")
        state.definition = lab.labDefinition
        for host in lab.hosts {
            state.hosts.append(
                LabState.Host(
                    name: host.name, namespace: "sl-d-\(host.name)", uplink: "", engine: true, directory: "/tmp",
                    definition: lab.definition(of: host)))
        }
        for network in lab.networks {
            let hosts = lab.nodes.filter { $0.networks.contains { $0.network == network.name } }.map(\.host)
            state.networks.append(
                LabState.Network(
                    name: network.name, subnet: network.subnet?.description ?? "",
                    hosts: lab.hosts.map(\.name).filter(hosts.contains), definition: lab.definition(of: network)))
        }
        for node in lab.nodes {
            state.nodes.append(
                LabState.Node(
                    name: node.name, host: node.host, image: node.image, definition: lab.definition(of: node)))
        }
        for link in lab.links {
            state.links.append(LabState.Link(name: link.name, impairments: "", definition: lab.definition(of: link)))
        }
        return state
    }

    @Test func anUnchangedFileChangesNothing() throws {
        let lab = try Self.lab(Self.before)
        let changes = try LabChanges(state: Self.state(of: lab), lab: lab)
        #expect(changes.removesNothing)
        #expect(changes.lines == [])
    }

    @Test func editedFileRemovesRecreatesAndAddsWhatDiffers() throws {
        let edited = """
            name: d
            images: {bb: busybox}
            hosts: {h1: {}}
            networks:
              lan: {subnet: 172.30.7.0/24}
            nodes:
              keep: {host: h1, image: bb, networks: [lan]}
              change: {host: h1, image: bb, networks: {lan: {ip: 172.30.7.21}}}
              side: {host: h1, image: bb, network-mode: "container:change"}
              fresh: {host: h1, image: bb, networks: [lan]}
            links:
              - endpoints: [keep:eth1, change:eth1]
              - endpoints: [keep:eth2, h1:k2]
            """
        let changes = try LabChanges(state: Self.state(of: try Self.lab(Self.before)), lab: try Self.lab(edited))
        #expect(
            changes.lines == [
                "recreate link keep:eth1--change:eth1: change is recreated",
                "recreate node change: networks lan ip 172.30.7.20 -> lan ip 172.30.7.21",
                "remove node gone (not in the file)",
                "remove node far (not in the file)",
                "recreate node side: it shares change's namespace",
                "remove host h2 (not in the file)",
                "add node fresh",
            ])
    }

    @Test func aChangedNetworkRecreatesItsNodesAndAChangedHostEverythingOnIt() throws {
        let edited = Self.before
            .replacingOccurrences(of: "172.30.7.0/24", with: "172.30.8.0/24")
            .replacingOccurrences(of: "172.30.7.20", with: "172.30.8.20")
            .replacingOccurrences(of: "h2: {}", with: "h2: {uplink-ip: 10.99.0.77/16}")
        let changes = try LabChanges(state: Self.state(of: try Self.lab(Self.before)), lab: try Self.lab(edited))
        #expect(changes.networks.map(\.name) == ["lan"])
        #expect(changes.hosts.map(\.name) == ["h2"])
        #expect(changes.hosts.first?.reason == "uplink-ip 10.99.0.2/16 -> 10.99.0.77/16")
        #expect(Set(changes.nodes.map(\.name)) == ["keep", "change", "side", "gone", "far"])
        #expect(changes.nodes.first { $0.name == "far" }?.reason == "host h2 is recreated")
        #expect(changes.nodes.first { $0.name == "keep" }?.reason == "network lan is recreated")
        #expect(changes.links.map(\.name) == ["keep:eth1--change:eth1", "keep:eth2--h1:k2"])
    }

    @Test func aNodeMovedOffAHostTakesTheBridgeNetworkOffThatHost() throws {
        let edited = Self.before.replacingOccurrences(of: "far: {host: h2", with: "far: {host: h1")
        let changes = try LabChanges(state: Self.state(of: try Self.lab(Self.before)), lab: try Self.lab(edited))
        #expect(changes.nodes.map(\.name) == ["far"])
        #expect(changes.networkHosts.map { "\($0.network)@\($0.host)" } == ["lan@h2"])
    }

    @Test func aMacvlanNetworkOnANewHostIsRecreatedWithItsRanges() throws {
        let before = """
            name: m
            images: {bb: busybox}
            hosts: {h1: {}, h2: {}, h3: {}}
            underlay: {subnet: 10.94.0.0/24}
            networks:
              mv: {driver: macvlan, subnet: 10.94.0.0/24}
            nodes:
              aa: {host: h1, image: bb, networks: [mv]}
              be: {host: h2, image: bb, networks: [mv]}
            """
        let unchanged = try LabChanges(state: Self.state(of: try Self.lab(before)), lab: try Self.lab(before))
        #expect(unchanged.lines.isEmpty)
        let edited = before + "\n  ce: {host: h3, image: bb, networks: [mv]}\n"
        let changes = try LabChanges(state: Self.state(of: try Self.lab(before)), lab: try Self.lab(edited))
        #expect(changes.networks.map(\.name) == ["mv"])
        #expect(
            changes.networks.first?.reason
                == "ranges h1=10.94.0.64/26 h2=10.94.0.128/26 -> h1=10.94.0.32/27 h2=10.94.0.64/27 h3=10.94.0.96/27",
            "\(changes.lines)")
        #expect(Set(changes.nodes.map(\.name)) == ["aa", "be"])
        let moved = before.replacingOccurrences(of: "be: {host: h2", with: "be: {host: h1")
        let off = try LabChanges(state: Self.state(of: try Self.lab(before)), lab: try Self.lab(moved))
        // h1 alone keeps the network: its range grows, so the network is made again (and leaves h2).
        #expect(off.networks.map(\.name) == ["mv"])
        #expect(off.networks.first?.reason.hasPrefix("ranges h1=10.94.0.64/26 h2=10.94.0.128/26 -> h1=") == true)
    }

    @Test func aChangedUnderlayOrStoreIsRefusedBeforeAnythingChanges() throws {
        let edited = Self.before.replacingOccurrences(of: "hosts: {h1: {}, h2: {}}", with: """
            hosts: {h1: {}, h2: {}}
            underlay: {subnet: 10.97.0.0/24}
            """)
        #expect {
            try LabChanges(state: Self.state(of: try Self.lab(Self.before)), lab: try Self.lab(edited))
        } throws: { error in
            "\(error)".contains("lab d is up with another underlay or store (underlay subnet 10.99.0.0/16 -> "
                + "10.97.0.0/24); 'splice lab up' does not change those on a running lab")
        }
    }

    @Test func stateWithoutDefinitionsCountsAsUnchanged() throws {
        let lab = try Self.lab(Self.before)
        var state = Self.state(of: lab)
        state.definition = nil
        for index in state.nodes.indices { state.nodes[index].definition = nil }
        let edited = Self.before.replacingOccurrences(of: "172.30.7.20", with: "172.30.7.21")
        let changes = try LabChanges(state: state, lab: try Self.lab(edited))
        #expect(changes.removesNothing)
    }

    @Test func leaveAndRejoinStepsNeedAHostWithAClusterStore() throws {
        let overlay = """
            name: o
            images: {bb: busybox}
            store: {kind: etcd}
            hosts: {h1: {}, h2: {}, bare: {engine: none}}
            tests:
              - steps:
                  - leave-host: h2
                  - rejoin-host: h2
            """
        let kind = try #require(try Self.lab(overlay).tests.first).kind
        let steps: [StepSpec] = if case .steps(let steps) = kind { steps } else { [] }
        let names = steps.map { step in
            switch step {
            case .leaveHost(let host): "leave \(host)"
            case .rejoinHost(let host): "rejoin \(host)"
            default: "another step"
            }
        }
        #expect(names == ["leave h2", "rejoin h2"])
        #expect {
            try Self.lab(overlay.replacingOccurrences(of: "leave-host: h2", with: "leave-host: bare"))
        } throws: { error in
            "\(error)".contains("step: host 'bare' has no cluster store to leave or rejoin")
        }
        #expect {
            try Self.lab(overlay.replacingOccurrences(of: "rejoin-host: h2", with: "rejoin-host: h9"))
        } throws: { error in
            "\(error)".contains("test: no host named 'h9'")
        }
    }
}
