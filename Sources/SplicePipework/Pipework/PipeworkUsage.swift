/// A command line `pipework` cannot accept, with a message that names the bad argument.
public struct PipeworkUsageError: Error, Equatable, CustomStringConvertible {
    /// What is wrong, naming the argument and, where one helps, how to fix it.
    public let message: String
    /// The argument at fault exactly as given, or nil when something is missing rather than wrong.
    public let argument: String?

    public init(_ message: String, argument: String? = nil) {
        self.message = message
        self.argument = argument
    }

    public var description: String { message }
}

extension PipeworkParser {
    /// The text `pipework --help` prints.
    public static let usage: String = """
        Usage:
          pipework [--direct-phys] HOSTIF|mac:HOSTMAC [-i GUESTIF] [-l LOCALIF] [-a 4|6]
                   GUEST ADDR [MAC|U:STRING][@VLAN]
          pipework --wait [-i GUESTIF]
          pipework --detach GUEST -i GUESTIF
          pipework --list
          pipework --cleanup
          pipework --batch FILE|-
          pipework route|rule|tc GUEST ARGS...
          pipework --help

        Attach a new interface to GUEST, connected to HOSTIF on the host:
          HOSTIF            a bridge (joined with a veth pair) or a physical interface (shared with macvlan);
                            mac:HOSTMAC names the host interface by its hardware address
          GUEST             a container name or id, an `ip netns` name, a PID (N or pid:N),
                            or the path of a namespace file (/proc/N/ns/net, /run/netns/NAME)
          ADDR              A.B.C.D/LEN[@GATEWAY]   IPv4 address, prefix length, optional default gateway
                            IPV6/LEN[@GATEWAY]      IPv6 address, prefix length, optional default gateway
                            0/0                     connect the interface but give it no address
                            dhcp[:OPTS]             get the address by DHCP; udhcpc, udhcpc-f, dhclient,
                                                    dhclient-f and dhcpcd are accepted spellings; OPTS are
                                                    client options split on spaces (-f keeps the lease renewed)
          MAC               the guest interface's address, aa:bb:cc:dd:ee:ff, or U:STRING for a stable
                            address derived from STRING
          @VLAN             an 802.1Q tag, 1 to 4094; may stand alone as the last argument

        Options (in any order; long ones also as --option=value):
          -i GUESTIF        the interface name inside the guest (default eth1)
          -l LOCALIF        the host-side veth name (default: chosen by Splice)
          -a 4|6            require ADDR and its gateway to be IPv4 or IPv6
          --direct-phys     move HOSTIF itself into the guest instead of sharing it
          --wait            inside a guest: wait until GUESTIF exists and has carrier
          --detach          remove the interface GUESTIF that an attach gave GUEST
          --list            show the interfaces Splice attached
          --cleanup         remove the half-made veths of attaches cut by a kill (every attach does it first)
          --batch FILE      one attach per line (same grammar, without `pipework`; # starts a comment);
                            - reads standard input
          -h, --help        show this text

        route, rule and tc run `ip route`, `ip rule` or `tc` inside GUEST with ARGS unchanged.

        Examples:
          pipework br1 -i eth1 web 192.168.1.5/24@192.168.1.1
          pipework br0 -a 6 web 2001:db8::5/64@2001:db8::1
          pipework eth1 web dhcp fa:de:b0:99:52:1c
          pipework eth0 web 10.0.0.2/24@10.0.0.1 U:web@10
          pipework route web add 10.0.0.0/8 via 192.168.1.254
        """
}
