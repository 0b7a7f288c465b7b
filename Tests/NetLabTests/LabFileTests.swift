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

    @Test func featuresNotBuiltYetParseAndAreNamed() throws {
        let lab = try LabFile.load(path: Self.labs + "/not-yet/macvlan-uplink.yaml")
        let refusal = try #require(lab.unsupportedFeature())
        #expect(
            refusal.description.contains("network 'mv': the macvlan driver is not supported by 'splice lab up' yet"))
        var routed = try LabFile.parse("name: t\nunderlay: {kind: routed}\n")
        try routed.validate()
        #expect(routed.unsupportedFeature()?.description.contains("a routed underlay") == true)
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
        #expect(lab.unsupportedFeature() == nil)
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
            let lab = try LabFile.load(path: Self.labs + "/" + file)
            #expect(lab.unsupportedFeature() == nil, "\(file)")
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
