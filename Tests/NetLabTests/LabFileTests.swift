import Foundation
import Testing

@testable import NetLab

/// The lab file: strict parsing, every bad input refused with its line before anything is created, and the
/// shipped labs valid.
@Suite struct LabFileTests {
    static let labs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("netlab/labs").path

    /// Parses and validates `text`, returning the error's message (or nil when the file is accepted).
    func refusal(_ text: String) -> String? {
        do {
            var lab = try LabFile.parse(text)
            try lab.validate()
            return nil
        } catch {
            return error.description
        }
    }

    static let base = """
        name: t
        images:
          bb: busybox
        hosts:
          h1: {}
        networks:
          lan: {subnet: 172.30.5.0/24}
        """

    @Test func unknownKeyNamesKeyLineAndAllowedKeys() throws {
        let message = try #require(refusal(Self.base + "\nnodes:\n  web:\n    image: bb\n    imgae: bb\n"))
        #expect(message.contains("line 11"))
        #expect(message.contains("unknown key 'imgae' in node 'web'"))
        #expect(message.contains("allowed: host, image, cmd, networks"))
        let top = try #require(refusal("name: t\nhostz: {}\n"))
        #expect(
            top == "line 2: unknown key 'hostz' in the top level; allowed: " + LabFile.topKeys.joined(separator: ", "))
    }

    @Test func fileThatDoesNotParse() throws {
        let message = try #require(refusal("name: t\nhosts: [h1\n  nodes: {"))
        #expect(message.contains("is not valid YAML"))
    }

    @Test func missingReferences() throws {
        #expect(
            refusal(Self.base + "\nnodes:\n  web: {host: h9, image: bb}\n")?
                .contains("node 'web': no host named 'h9' (hosts: h1)") == true)
        #expect(
            refusal(Self.base + "\nnodes:\n  web: {image: alpine}\n")?
                .contains("node 'web': no image named 'alpine' in images") == true)
        #expect(
            refusal(Self.base + "\nnodes:\n  web: {image: bb, networks: [wan]}\n")?
                .contains("node 'web': no network named 'wan' (networks: lan)") == true)
        #expect(
            refusal(Self.base + "\nnodes:\n  web: {image: bb}\nlinks:\n  - endpoints: [web:eth1, db:eth1]\n")?
                .contains("no node or host named 'db'") == true)
        #expect(
            refusal(Self.base + "\nnodes:\n  web: {image: bb}\ntests:\n  - reach: {from: web, to: db}\n")?
                .contains("test: no node or host named 'db'") == true)
        #expect(refusal(Self.base + "\nimages:\n  big: missing.tar\n") != nil)
    }

    @Test func addressOutsideItsSubnet() throws {
        let message = try #require(
            refusal(
                Self.base + "\nnodes:\n  web:\n    image: bb\n    networks:\n"
                    + "      lan: {ip: 172.31.5.9}\n"))
        #expect(message == "line 12: node 'web': address 172.31.5.9 is outside network 'lan' (172.30.5.0/24)")
    }

    @Test func twoNodesWithOneAddress() throws {
        let message = try #require(
            refusal(
                Self.base + "\nnodes:\n  web:\n    image: bb\n    networks:\n"
                    + "      lan: {ip: 172.30.5.9}\n  db:\n    image: bb\n    networks:\n      lan: {ip: 172.30.5.9}\n")
        )
        #expect(message.contains("nodes 'web' and 'db' both have address 172.30.5.9 on network 'lan'"))
    }

    @Test func interfaceNameTooLong() throws {
        let message = try #require(
            refusal(
                Self.base + "\nnodes:\n  web: {image: bb}\n  db: {image: bb}\nlinks:\n"
                    + "  - endpoints: [web:eth1, db:averyverylongname0]\n"))
        #expect(
            message.contains(
                "interface 'averyverylongname0': the interface name is 18 bytes long; Linux allows at most 15"))
    }

    @Test func otherBadValues() throws {
        #expect(refusal(Self.base + "\nnodes:\n  a: {image: bb}\n")?.contains("Invalid container name (a)") == true)
        #expect(refusal(Self.base + "\nhosts:\n  h2: {engine: docker}\n") != nil)
        #expect(
            refusal("name: t\nhosts:\n  h1: {uplink-ip: 10.1.0.1/24}\n")?.contains("outside the underlay subnet")
                == true)
        #expect(
            refusal("name: t\nnetworks:\n  a: {subnet: 10.1.0.0/24}\n  b: {subnet: 10.1.0.128/25}\n")?
                .contains("overlaps network 'a'") == true)
        // Two tenants' overlay networks may share a subnet; an overlay and a bridge network may not.
        #expect(
            refusal("name: t\nstore: {kind: etcd}\nnetworks:\n  a: {driver: overlay, subnet: 10.1.0.0/24}\n"
                + "  b: {driver: overlay, subnet: 10.1.0.0/24}\n") == nil)
        #expect(
            refusal("name: t\nstore: {kind: etcd}\nnetworks:\n  a: {driver: overlay, subnet: 10.1.0.0/24}\n"
                + "  b: {subnet: 10.1.0.0/24}\n")?.contains("overlaps network 'a'") == true)
        #expect(
            refusal(
                Self.base + "\nnodes:\n  web: {image: bb}\n  db: {image: bb}\nlinks:\n"
                    + "  - endpoints: [web:eth1, db:eth1]\n    rate: fast\n")?.contains("rate 'fast'") == true)
        #expect(
            refusal(
                Self.base + "\nnodes:\n  web: {image: bb}\n  db: {image: bb}\nlinks:\n"
                    + "  - endpoints: [web:eth1, db:eth1]\n  - endpoints: [web:eth1, db:eth2]\n")?
                .contains("interface web:eth1 is already in use") == true)
    }

    @Test func poolsFillInUplinksAndSubnets() throws {
        var lab = try LabFile.parse(
            "name: t\nhosts:\n  h1: {}\n  h2: {uplink-ip: 10.99.0.1/16}\nnetworks:\n  n1: {}\n"
                + "  n2: {subnet: 172.30.1.0/24}\n")
        try lab.validate()
        #expect(lab.hosts.map { $0.uplinkAddress?.description } == ["10.99.0.2/16", "10.99.0.1/16"])
        #expect(lab.networks.map { $0.subnet?.description } == ["172.30.2.0/24", "172.30.1.0/24"])
        #expect(lab.switchAddress?.description == "10.99.255.254/16")
    }

    @Test func delayParsesAndIsLeftToUpsNetemProbe() throws {
        var delayed = try LabFile.parse(
            Self.base + "\nnodes:\n  web: {image: bb}\n  db: {image: bb}\nlinks:\n"
                + "  - endpoints: [web:eth1, db:eth1]\n    delay: 10ms\n")
        try delayed.validate()
        #expect(delayed.links.first?.delay == "10ms")
    }

    @Test func storeTakesAddressesBelowTheSwitchAndBecomesEveryHostsClusterStore() throws {
        var lab = try LabFile.parse(
            "name: t\nstore: {kind: etcd, lease-ttl: 5}\nhosts:\n  h1: {}\n  h2: {cluster-store: none}\n"
                + "  h3: {engine: none}\n  h4: {cluster-store: etcd}\nunderlay: {subnet: 10.98.0.0/24}\n")
        try lab.validate()
        let store = try #require(lab.store)
        #expect(store.addresses.map(\.description) == ["10.98.0.253/24"])
        #expect(store.url == "etcd://10.98.0.253:2379")
        #expect(lab.switchAddress?.description == "10.98.0.254/24")
        #expect(lab.hosts.map(\.clusterStore) == ["etcd://10.98.0.253:2379", nil, nil, "etcd://10.98.0.253:2379"])
        let taken = refusal("name: t\nstore: {kind: etcd}\nunderlay: {subnet: 10.98.0.0/24}\n"
            + "hosts:\n  h1: {uplink-ip: 10.98.0.253/24}\n")
        #expect(taken?.contains("uplink-ip 10.98.0.253/24 is taken or reserved") == true, "\(taken ?? "accepted")")
    }

    @Test func storeAndOverlayMistakesAreNamed() throws {
        let noStore = refusal(Self.base + "\n  ov: {driver: overlay}\nnodes:\n  web: {image: bb, networks: [ov]}\n")
        #expect(
            noStore?.contains("network 'ov': the overlay driver needs a cluster store on host 'h1' (node 'web')")
                == true, "\(noStore ?? "accepted")")
        #expect(
            refusal("name: t\nhosts:\n  h1: {cluster-store: etcd}\n")?
                .contains("cluster-store etcd names the lab's store, but the lab has none") == true)
        #expect(
            refusal("name: t\nstore: {kind: zookeeper}\n")?.contains("store kind must be etcd, not 'zookeeper'")
                == true)
        #expect(
            refusal("name: t\nstore: {kind: etcd, members: 2}\n")?.contains("store members must be 1, or 3") == true)
        var three = try LabFile.parse("name: t\nstore: {kind: etcd, members: 3}\nunderlay: {subnet: 10.9.0.0/24}\n")
        try three.validate()
        #expect(three.store?.url == "etcd://10.9.0.253:2379,10.9.0.252:2379,10.9.0.251:2379")
        #expect(
            refusal("name: t\nstore: {kind: etcd}\nhosts: {h1: {}}\ntests:\n  - steps: [stop-etcd: etcd2]\n")?
                .contains("step: no store member 'etcd2' (members: etcd1, or all)") == true)
        #expect(
            refusal("name: t\nhosts: {h1: {}}\ntests:\n  - steps: [start-etcd: all]\n")?
                .contains("step: the lab has no store") == true)
        #expect(
            refusal("name: t\nhosts: {h1: {}}\ntests:\n  - fdb: {host: h1, mac: 02:42:0a:00:00:02, dst: h9}\n")?
                .contains("test: no host named 'h9'") == true)
    }

    static let routedBase = """
        name: t
        images: {bb: busybox}
        store: {kind: etcd}
        hosts: {h1: {}, h2: {}, h3: {}}
        underlay: {subnet: 10.95.0.0/24}

        """

    @Test func routedNetworksTakeABlockWithAPartPerStoreHost() throws {
        var lab = try LabFile.parse(
            Self.routedBase + "networks:\n  n1: {}\n  rt: {driver: routed}\n  n3: {}\n"
                + "  rt2: {driver: routed, host-prefix: 26}\n")
        try lab.validate()
        #expect(
            lab.networks.map { $0.subnet?.description }
                == ["172.30.1.0/24", "172.30.4.0/22", "172.30.8.0/24", "172.30.9.0/24"])
        #expect(lab.definition(of: lab.networks[3])["host-prefix"] == "26")
        let dot = LabGraph(lab: try LabFile.load(path: Self.labs + "/routed-three-hosts.yaml")).dot()
        #expect(dot.contains("label=\"rt (routed)\\n10.61.0.0/22\""), "\(dot)")
    }

    @Test func routedNetworkMistakesAreNamed() throws {
        let node = "nodes:\n  aa: {host: h1, image: bb, networks: [rt]}\n"
        let noStore = refusal("name: t\nhosts: {h1: {}}\nnetworks:\n  rt: {driver: routed, subnet: 10.61.0.0/16}\n")
        #expect(
            noStore == "line 4: network 'rt': the routed driver needs a cluster store (each host leases its part of "
                + "the subnet from it); add store: {kind: etcd} to the lab", "\(noStore ?? "accepted")")
        let offStore = refusal(
            "name: t\nimages: {bb: busybox}\nstore: {kind: etcd}\nhosts: {h1: {cluster-store: none}}\n"
                + "networks:\n  rt: {driver: routed, subnet: 10.61.0.0/16}\n" + node)
        #expect(
            offStore?.contains("network 'rt': the routed driver needs a cluster store on host 'h1' (node 'aa')")
                == true, "\(offStore ?? "accepted")")
        let small = refusal(Self.routedBase + "networks:\n  rt: {driver: routed, subnet: 10.61.0.0/23}\n")
        #expect(
            small?.contains(
                "network 'rt': subnet 10.61.0.0/23 holds 2 per-host subnets of /24, fewer than the 3 hosts that "
                    + "lease one") == true, "\(small ?? "accepted")")
        #expect(
            refusal(Self.routedBase + "networks:\n  rt: {driver: routed, subnet: 10.61.0.0/24}\n")?
                .contains("holds 0 per-host subnets of /24") == true)
        let fixed = refusal(
            Self.routedBase + "networks:\n  rt: {driver: routed, subnet: 10.61.0.0/16}\n"
                + "nodes:\n  aa:\n    host: h1\n    image: bb\n    networks:\n      rt: {ip: 10.61.0.5}\n")
        #expect(
            fixed?.contains("node 'aa': no fixed ip on routed network 'rt': each host leases its own part") == true,
            "\(fixed ?? "accepted")")
        #expect(
            refusal(Self.routedBase + "networks:\n  rt: {driver: routed, mtu: 1400}\n")?
                .contains("network 'rt': a routed network takes the underlay's MTU") == true)
        #expect(
            refusal(Self.routedBase + "networks:\n  lan: {host-prefix: 26}\n")?
                .contains("network 'lan': host-prefix is for routed networks") == true)
        #expect(
            refusal(Self.routedBase + "networks:\n  lan: {parent: eth0}\n")?
                .contains("network 'lan': parent is for macvlan networks") == true)
        let twoStores = refusal(
            "name: t\nimages: {bb: busybox}\nstore: {kind: etcd}\n"
                + "hosts: {h1: {}, h2: {cluster-store: \"etcd://10.1.1.1:2379\"}}\n"
                + "networks:\n  rt: {driver: routed, subnet: 10.61.0.0/16}\n" + node
                + "  be: {host: h2, image: bb, networks: [rt]}\n")
        #expect(
            twoStores?.contains("network 'rt': hosts 'h1' and 'h2' use different cluster stores") == true,
            "\(twoStores ?? "accepted")")
    }

    @Test func routeChecksNameNodesAndHosts() throws {
        let lab = Self.routedBase + "networks:\n  rt: {driver: routed}\n"
            + "nodes:\n  aa: {host: h1, image: bb, networks: [rt]}\n"
        #expect(refusal(lab + "tests:\n  - route: {host: h1, to: aa, via: h2}\n") == nil)
        #expect(refusal(lab + "tests:\n  - route: {host: h1, to: 10.0.0.0/8, via: 10.95.0.9}\n") == nil)
        #expect(
            refusal(lab + "tests:\n  - route: {host: h1, to: zz, via: h2}\n")?.contains("test: no node named 'zz'")
                == true)
        #expect(
            refusal(lab + "tests:\n  - route: {host: h1, to: aa, via: h9}\n")?.contains("test: no host named 'h9'")
                == true)
    }

    @Test func macvlanNetworksGetTheSwitchAsGatewayAndARangePerHost() throws {
        let lab = try LabFile.load(path: Self.labs + "/macvlan-uplink.yaml")
        let network = try #require(lab.network("mv"))
        #expect(network.gateway?.description == "10.94.0.254")
        // Clear of the uplinks (.1, .2), gamma's fixed .100 and the switch (.254): the largest free blocks.
        #expect(network.ranges.mapValues(\.description) == ["h1": "10.94.0.32/27", "h2": "10.94.0.64/27"])
        #expect(lab.definition(of: network)["ranges"] == "h1=10.94.0.32/27 h2=10.94.0.64/27")
        #expect(lab.definition(of: network)["parent"] == "eth0")
        let dot = LabGraph(lab: lab).dot()
        #expect(dot.contains("label=\"mv (macvlan on eth0)\\n10.94.0.0/24 range 10.94.0.32/27\""), "\(dot)")
        #expect(dot.contains("net_h2_mv -- underlay [style=dashed, label=\"parent eth0\"]"), "\(dot)")
        var own = try LabFile.parse(
            "name: t\nimages: {bb: busybox}\nhosts: {h1: {}, h2: {}, h3: {engine: none}}\n"
                + "networks:\n  mv: {driver: macvlan, subnet: 172.30.7.0/24}\n"
                + "nodes:\n  aa: {host: h1, image: bb, networks: [mv]}\n  be: {host: h2, image: bb, networks: [mv]}\n")
        try own.validate()
        let other = try #require(own.network("mv"))
        #expect(other.gateway == nil)
        #expect(other.ranges.mapValues(\.description) == ["h1": "172.30.7.64/26", "h2": "172.30.7.128/26"])
    }

    @Test func macvlanMistakesAreNamed() throws {
        let nodes = "nodes:\n  aa: {host: h1, image: bb, networks: [mv]}\n  be: {host: h2, image: bb, networks: [mv]}\n"
        let base = "name: t\nimages: {bb: busybox}\nhosts: {h1: {bridges: [br1]}, h2: {}}\nnetworks:\n"
        let noParent = refusal(base + "  mv: {driver: macvlan, parent: br1}\n" + nodes)
        #expect(
            noParent?.contains("network 'mv': host 'h2' has no interface 'br1' to be the parent (eth0 or one of its "
                + "bridges)") == true, "\(noParent ?? "accepted")")
        let onlyH1 = "nodes:\n  aa: {host: h1, image: bb, networks: [mv]}\n"
        #expect(refusal(base + "  mv: {driver: macvlan, parent: br1}\n" + onlyH1) == nil)
        let twice = refusal(
            base + "  mv: {driver: macvlan}\n  mw: {driver: macvlan}\n" + nodes
                + "  ce: {host: h1, image: bb, networks: [mw]}\n")
        #expect(
            twice?.contains("network 'mw': 'eth0' on host 'h1' is already the parent of macvlan network 'mv'") == true,
            "\(twice ?? "accepted")")
        #expect(
            refusal(base + "  mv: {driver: macvlan, internal: true}\n")?
                .contains("network 'mv': a macvlan network cannot be internal") == true)
        let full = refusal(base + "  mv: {driver: macvlan, subnet: 172.30.7.0/30}\n" + nodes)
        #expect(
            full?.contains("network 'mv': subnet 172.30.7.0/30 has no room for a separate address range on each of "
                + "its 2 hosts") == true, "\(full ?? "accepted")")
        #expect(
            refusal(base + "  mv: {driver: macvlan, parent: \"eth0.this-is-too-long\"}\n" + nodes)?
                .contains("network 'mv': parent 'eth0.this-is-too-long'") == true)
    }

    @Test func aRoutedUnderlayGivesEveryHostASegmentOfItsOwn() throws {
        let lab = try LabFile.load(path: Self.labs + "/overlay-routed-underlay.yaml")
        #expect(lab.hosts.map { $0.uplinkAddress?.description } == ["10.93.0.2/30", "10.93.0.6/30", "10.93.0.10/30"])
        #expect(lab.hosts.compactMap { $0.uplinkAddress.flatMap(LabFile.routerAddress(forUplink:))?.description }
            == ["10.93.0.1/30", "10.93.0.5/30", "10.93.0.9/30"])
        #expect(lab.store?.addresses.map(\.description) == ["10.93.0.253/29"])
        #expect(lab.switchAddress?.description == "10.93.0.254/29")
        let mermaid = LabGraph(lab: lab).mermaid()
        #expect(mermaid.contains("underlay[[\"router: routed underlay 10.93.0.0/24\"]]"), "\(mermaid)")
        #expect(mermaid.contains("host_h2 ---|eth0 10.93.0.6/30| underlay"), "\(mermaid)")
    }

    @Test func whatARoutedUnderlayCannotDoIsNamed() throws {
        let base = "name: t\nimages: {bb: busybox}\nstore: {kind: etcd}\n"
            + "underlay: {kind: routed, subnet: 10.93.0.0/24}\n"
        let hosts = "hosts: {h1: {}, h2: {}}\n"
        let macvlan = refusal(base + hosts + "networks:\n  mv: {driver: macvlan}\n")
        #expect(
            macvlan == "line 7: network 'mv': the macvlan driver needs a shared L2 underlay (its nodes sit on the "
                + "hosts' LAN), and a routed underlay puts each host on a segment of its own; use overlay",
            "\(macvlan ?? "accepted")")
        let routed = refusal(base + hosts + "networks:\n  rt: {driver: routed}\n")
        #expect(
            routed?.contains("network 'rt': the routed driver needs a shared L2 underlay (each host routes the others' "
                + "parts through their uplink addresses, which must be on-link)") == true, "\(routed ?? "accepted")")
        #expect(
            refusal(base + "hosts: {h1: {uplink-ip: 10.93.0.2/30}}\n")?
                .contains("host 'h1': uplink-ip is not taken on a routed underlay") == true)
        #expect(
            refusal(base + "hosts: {router: {}}\n")?
                .contains("host name 'router' is taken by the routed underlay's router namespace") == true)
        let small = refusal(
            "name: t\nunderlay: {kind: routed, subnet: 10.93.0.0/28}\nhosts: {h1: {}, h2: {}, h3: {}}\n")
        #expect(
            small?.contains("the routed underlay subnet 10.93.0.0/28 has no room for a /30 segment per host (3)")
                == true, "\(small ?? "accepted")")
        #expect(refusal(base + hosts + "networks:\n  ov: {driver: overlay}\n") == nil)
    }

    @Test func containerlabFileMapsOntoOneHost() throws {
        let lab = try LabFile.load(path: Self.labs + "/clab-basic.clab.yml")
        #expect(lab.hosts.map(\.name) == ["host"])
        #expect(lab.hosts.first?.bridges == ["br1"])
        #expect(lab.nodes.map(\.name) == ["r1", "r2", "r3"])
        #expect(lab.nodes.allSatisfy { $0.networks.map(\.network) == ["clab"] && $0.capAdd == ["NET_ADMIN"] })
        #expect(lab.links.map(\.name) == ["r1:eth1--r2:eth1", "r1:eth2--host:r1-eth2", "r3:eth1--host:r3-eth1"])
        #expect(lab.links.dropFirst().allSatisfy { $0.bridge == "br1" })
        let refusal = refusal("name: c\ntopology:\n  nodes:\n    r1: {kind: srl, image: x}\n")
        #expect(refusal?.contains("kind 'srl' is not supported") == true)
    }

    static let containerlabFull = """
        name: clabx
        mgmt:
          network: mgmtx
          ipv4-subnet: 172.31.99.0/24
        topology:
          defaults:
            env: {ROLE: default, SHARED: "yes"}
            labels: {lab: x}
          kinds:
            linux:
              image: busybox
              binds: [motd.txt:/etc/motd:ro]
          nodes:
            n1:
              kind: linux
              mgmt-ipv4: 172.31.99.10
              env: {ROLE: router}
              labels: {role: edge}
              cmd: sh -c 'echo "a started" > /tmp/started; exec sleep 1000000'
              exec: ["ip addr add 10.77.0.1/30 dev eth1"]
            n2:
              mgmt-ipv4: 172.31.99.11
              group: spine
              exec: ["ip addr add 10.77.0.2/30 dev eth1"]
            n3:
              network-mode: container:n1
          links:
            - type: veth
              mtu: 1400
              endpoints:
                - {node: n1, interface: eth1}
                - {node: n2, interface: eth1}
        """

    /// containerlab's layering (node over `kinds` over `defaults`, env and labels merged), its map form of `env`,
    /// `binds`, `mgmt` and `mgmt-ipv4`, a quoted `cmd` string split as a shell does, and the extended link form.
    @Test func containerlabDefaultsKindsAndExtendedLinks() throws {
        var lab = try LabFile.parse(Self.containerlabFull, path: "x.clab.yml")
        try lab.validate()
        #expect(lab.networks.map(\.name) == ["mgmtx"])
        #expect(lab.networks.first?.subnet?.description == "172.31.99.0/24")
        let a = try #require(lab.node("n1")), b = try #require(lab.node("n2")), c = try #require(lab.node("n3"))
        #expect(a.env == ["SHARED=yes", "ROLE=router"])
        #expect(b.env == ["ROLE=default", "SHARED=yes"])
        #expect(a.labels == ["lab": "x", "role": "edge"])
        #expect(a.binds == ["motd.txt:/etc/motd:ro"] && b.binds == ["motd.txt:/etc/motd:ro"])
        #expect(a.networks.first?.address?.description == "172.31.99.10")
        #expect(a.cmd == ["sh", "-c", "echo \"a started\" > /tmp/started; exec sleep 1000000"])
        #expect(b.cmd == ["sleep", "1000000"])
        #expect(c.networkMode == "container:n1" && c.networks.isEmpty)
        #expect(lab.links.map(\.name) == ["n1:eth1--n2:eth1"])
        #expect(lab.links.first?.mtu == [1400])

        #expect(refusal("name: c\ntopology:\n  nodes:\n    aa: {kind: linux, image: busybox}\n  links:\n"
                        + "    - {type: macvlan, endpoints: [{node: n1, interface: eth1}]}\n")?
                    .contains("link type 'macvlan' is not supported here (veth is)") == true)
        #expect(refusal("name: c\ntopology:\n  nodes:\n    aa: {kind: linux, image: busybox, cmd: \"sh -c 'x\"}\n")?
                    .contains("'cmd' has an unclosed quote") == true)
        #expect(refusal("name: c\ntopology:\n  nodes:\n    aa: {kind: linux, image: busybox, sysctls: {}}\n")?
                    .contains("sysctls") == true)
    }

    @Test("shell words as containerlab's shlex splits cmd", arguments: [
        ("a b  c", ["a", "b", "c"]), ("sh -c 'x y'", ["sh", "-c", "x y"]), (#"echo "a \"b\"" c"#, ["echo", #"a "b""#, "c"]),
        (#"a\ b"#, ["a b"]), ("''", [""]),
    ])
    func shellWords(text: String, words: [String]) {
        #expect(ShellWords.split(text) == words)
    }

    @Test func everyShippedLabIsValid() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.labs).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
        }
        #expect(files.count >= 6)
        for file in files {
            #expect(try !LabFile.load(path: Self.labs + "/" + file).name.isEmpty, "\(file)")
        }
    }

    @Test func graphsShowHostsAsClustersAndLinksWithImpairments() throws {
        let lab = try LabFile.load(path: Self.labs + "/link-failure.yaml")
        let dot = LabGraph(lab: lab).dot()
        #expect(dot.contains("subgraph cluster_h1"))
        #expect(dot.contains("node_left -- node_right [color=blue, label=\"eth1 - eth1\\nrate 20mbit\"]"))
        #expect(dot.contains("loss 100%"))
        let mermaid = LabGraph(lab: lab).mermaid()
        #expect(mermaid.hasPrefix("flowchart LR"))
        #expect(mermaid.contains("node_lossy1 ===|eth1-eth1 loss 100%| node_lossy2"))
    }
}
