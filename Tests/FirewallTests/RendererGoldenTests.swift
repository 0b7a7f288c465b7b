import Firewall
import Testing

/// The exact nft scripts Splice renders, one per option combination. Each was applied to a scratch namespace by
/// the privileged tests, which also check what the rules do to traffic.
@Suite("Renderer golden scripts")
struct RendererGoldenTests {
    /// An empty model renders only the deletion of Splice's three tables (create-then-delete, so absent tables are
    /// no error).
    @Test func removalOnlyForAnEmptyModel() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice

            """
        #expect(FirewallRenderer.script(for: .empty) == expected)
    }

    /// One network, --ip-masq on, --icc on: no isolation rules, no bridge table, masquerade out of other interfaces.
    @Test func oneNetworkMasqueradeAndInterContainer() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-front" oifname "br-front" accept
            		oifname "br-front" drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname "br-front" masquerade
            		ct status dnat ip saddr 10.10.0.0/24 oifname "br-front" masquerade
            		ip saddr 10.10.0.0/24 oifname != "br-front" masquerade
            	}
            }

            """
        #expect(FirewallRenderer.script(for: FirewallModel(networks: [Samples.front])) == expected)
    }

    /// --ip-masq off, --icc on: the hairpin and localhost masquerades stay (published ports need them), the
    /// outbound one goes.
    @Test func oneNetworkWithoutMasquerade() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-p" oifname "br-p" accept
            		oifname "br-p" drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname "br-p" masquerade
            		ct status dnat ip saddr 10.40.0.0/24 oifname "br-p" masquerade
            	}
            }

            """
        #expect(FirewallRenderer.script(for: FirewallModel(networks: [Samples.plain])) == expected)
    }

    /// --icc off before any port exists: the inet drop, the hairpin mark and an empty isolation set.
    @Test func oneNetworkWithoutInterContainerOrPorts() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-m" oifname "br-m" drop
            		oifname "br-m" drop
            	}

            	chain prerouting {
            		type filter hook prerouting priority dstnat + 10; policy accept;
            		iifname "br-m" ct status dnat meta mark set meta mark | 0x20000000
            	}
            }
            table bridge splice {
            	set isolated-ports {
            		type ifname
            	}

            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		meta mark & 0x20000000 == 0x20000000 meta mark set meta mark & 0xdfffffff accept
            		iifname @isolated-ports ether type { ip, ip6 } drop
            		oifname @isolated-ports ether type { ip, ip6 } drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname "br-m" masquerade
            		ct status dnat ip saddr 10.30.0.0/16 oifname "br-m" masquerade
            		ip saddr 10.30.0.0/16 oifname != "br-m" masquerade
            	}
            }

            """
        #expect(FirewallRenderer.script(for: FirewallModel(networks: [Samples.isolatedNoPorts])) == expected)
    }

    /// --ip-masq off and --icc off with two ports: the ports fill the layer-2 isolation set.
    @Test func oneNetworkWithoutMasqueradeOrInterContainer() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-back" oifname "br-back" drop
            		oifname "br-back" drop
            	}

            	chain prerouting {
            		type filter hook prerouting priority dstnat + 10; policy accept;
            		iifname "br-back" ct status dnat meta mark set meta mark | 0x20000000
            	}
            }
            table bridge splice {
            	set isolated-ports {
            		type ifname
            	}

            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		meta mark & 0x20000000 == 0x20000000 meta mark set meta mark & 0xdfffffff accept
            		iifname @isolated-ports ether type { ip, ip6 } drop
            		oifname @isolated-ports ether type { ip, ip6 } drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname "br-back" masquerade
            		ct status dnat ip saddr 10.20.0.0/24 oifname "br-back" masquerade
            	}
            }
            add element bridge splice isolated-ports { "vb-back1", "vb-back2" }

            """
        #expect(FirewallRenderer.script(for: FirewallModel(networks: [Samples.back])) == expected)
    }

    /// TCP on every host address goes to tcp-any-ports, UDP on one host address to udp-ports; the bridge rides along
    /// as the element comment.
    @Test func mappingsWithAndWithoutHostAddress() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-front" oifname "br-front" accept
            		oifname "br-front" drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname "br-front" masquerade
            		ct status dnat ip saddr 10.10.0.0/24 oifname "br-front" masquerade
            		ip saddr 10.10.0.0/24 oifname != "br-front" masquerade
            	}
            }
            add element ip splice-nat tcp-any-ports { 8080 comment "br-front" : 10.10.0.2 . 80 }
            add element ip splice-nat udp-ports { 192.0.2.1 . 5353 comment "br-front" : 10.10.0.2 . 53 }

            """
        let model = FirewallModel(networks: [Samples.front], portMappings: [Samples.webAny, Samples.dnsSpecific])
        #expect(FirewallRenderer.script(for: model) == expected)
    }

    /// Two networks: each drops traffic towards the other (Docker's ISOLATION chains); all four maps get an element;
    /// the port range short-cuts the lookup.
    @Test func twoNetworksIsolatedWithEveryMapKindAndAPortRange() {
        let expected = """
            table inet splice {}
            delete table inet splice
            table ip splice-nat {}
            delete table ip splice-nat
            table bridge splice {}
            delete table bridge splice
            table inet splice {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		ct state established,related accept
            		ct status dnat accept
            		iifname "br-front" oifname "br-back" drop
            		iifname "br-front" oifname "br-front" accept
            		oifname "br-front" drop
            		iifname "br-back" oifname "br-front" drop
            		iifname "br-back" oifname "br-back" drop
            		oifname "br-back" drop
            	}

            	chain prerouting {
            		type filter hook prerouting priority dstnat + 10; policy accept;
            		iifname "br-back" ct status dnat meta mark set meta mark | 0x20000000
            	}
            }
            table bridge splice {
            	set isolated-ports {
            		type ifname
            	}

            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		meta mark & 0x20000000 == 0x20000000 meta mark set meta mark & 0xdfffffff accept
            		iifname @isolated-ports ether type { ip, ip6 } drop
            		oifname @isolated-ports ether type { ip, ip6 } drop
            	}
            }
            table ip splice-nat {
            	map tcp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map tcp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	map udp-ports {
            		type ipv4_addr . inet_service : ipv4_addr . inet_service
            	}

            	map udp-any-ports {
            		type inet_service : ipv4_addr . inet_service
            	}

            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump published
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump published
            	}

            	chain published {
            		meta l4proto { tcp, udp } th dport != 1024-65535 return
            		dnat ip to ip daddr . tcp dport map @tcp-ports
            		dnat ip to tcp dport map @tcp-any-ports
            		dnat ip to ip daddr . udp dport map @udp-ports
            		dnat ip to udp dport map @udp-any-ports
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ct status dnat ip saddr 127.0.0.0/8 oifname { "br-front", "br-back" } masquerade
            		ct status dnat ip saddr 10.10.0.0/24 oifname "br-front" masquerade
            		ip saddr 10.10.0.0/24 oifname != "br-front" masquerade
            		ct status dnat ip saddr 10.20.0.0/24 oifname "br-back" masquerade
            	}
            }
            add element ip splice-nat tcp-ports { 127.0.0.1 . 9090 comment "br-back" : 10.20.0.3 . 90 }
            add element ip splice-nat tcp-any-ports { 8080 comment "br-front" : 10.10.0.2 . 80 }
            add element ip splice-nat udp-ports { 192.0.2.1 . 5353 comment "br-front" : 10.10.0.2 . 53 }
            add element ip splice-nat udp-any-ports { 6000 comment "br-back" : 10.20.0.3 . 60 }
            add element bridge splice isolated-ports { "vb-back1", "vb-back2" }

            """
        #expect(FirewallRenderer.script(for: Samples.both) == expected)
    }

    /// `publish` adds elements, one command per map, and no rules.
    @Test func publishAddsOnlyElements() {
        let expected = """
            add element ip splice-nat tcp-ports { 127.0.0.1 . 9090 comment "br-back" : 10.20.0.3 . 90 }
            add element ip splice-nat tcp-any-ports { 8080 comment "br-front" : 10.10.0.2 . 80 }
            add element ip splice-nat udp-ports { 192.0.2.1 . 5353 comment "br-front" : 10.10.0.2 . 53 }

            """
        let mappings = [Samples.webAny, Samples.dnsSpecific, Samples.adminLoopback]
        #expect(FirewallRenderer.publishScript(mappings) == expected)
    }

    /// `unpublish` adds each exact element and deletes it in the same transaction: a missing element is no error,
    /// another value on the key fails.
    @Test func unpublishAddsThenDeletes() {
        let expected = """
            add element ip splice-nat tcp-any-ports { 8080 comment "br-front" : 10.10.0.2 . 80 }
            add element ip splice-nat udp-ports { 192.0.2.1 . 5353 comment "br-front" : 10.10.0.2 . 53 }
            delete element ip splice-nat tcp-any-ports { 8080 }
            delete element ip splice-nat udp-ports { 192.0.2.1 . 5353 }

            """
        #expect(FirewallRenderer.unpublishScript([Samples.webAny, Samples.dnsSpecific]) == expected)
    }

    /// `addPorts` adds interface names to the bridge table's set.
    @Test func addPortsFillsTheIsolationSet() {
        let expected = """
            add element bridge splice isolated-ports { "vb1", "vb2" }

            """
        #expect(FirewallRenderer.addPortsScript(["vb1", "vb2"]) == expected)
    }

    /// `removePorts` adds then deletes, so a port already gone is no error.
    @Test func removePortsAddsThenDeletes() {
        let expected = """
            add element bridge splice isolated-ports { "vb1" }
            delete element bridge splice isolated-ports { "vb1" }

            """
        #expect(FirewallRenderer.removePortsScript(["vb1"]) == expected)
    }
}
