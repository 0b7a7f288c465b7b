import NetlinkKit
import SplicePipework
import Testing

// MARK: - Fixtures

/// A Docker-style short container id, standing in for `$ID` in pipework's README examples.
private let id = "a1b2c3d4e5f6"

private func net(_ text: String) -> IPNetwork { IPNetwork(text)! }
private func ip(_ text: String) -> IPAddress { IPAddress(text)! }
private func mac(_ text: String) -> MACAddress { MACAddress(text)! }

/// An attach with pipework's defaults (`-i eth1`, nothing else), to be adjusted per case.
private func attach(
    _ host: String, _ guest: GuestReference, _ addressing: Addressing, guestInterface: String = "eth1",
    local: String? = nil, family: AddressFamily? = nil, mac: MACChoice? = nil, vlan: UInt16? = nil,
    direct: Bool = false
) -> PipeworkCommand {
    let reference: HostInterfaceReference =
        host.hasPrefix("mac:") ? .mac(MACAddress(String(host.dropFirst(4)))!) : .name(host)
    return .attach(
        PipeworkAttachment(
            host: reference, guestInterface: guestInterface, localInterface: local, family: family, guest: guest,
            addressing: addressing, mac: mac, vlan: vlan, directPhysical: direct))
}

private func fixed(_ network: String, _ gateway: String? = nil) -> Addressing {
    .static(net(network), gateway: gateway.map(ip))
}

private func dhcp(_ client: String, foreground: Bool = false, _ options: [String] = []) -> Addressing {
    .dhcp(DHCPRequest(client: client, foreground: foreground, options: options))
}

/// A command line, given as one string split on single spaces or as explicit words when one contains a space.
struct ParserCase<Expected: Sendable>: Sendable, CustomTestStringConvertible {
    let arguments: [String]
    let expected: Expected

    init(_ line: String, _ expected: Expected) {
        self.arguments = line.isEmpty ? [] : line.split(separator: " ").map(String.init)
        self.expected = expected
    }

    init(words: [String], _ expected: Expected) {
        self.arguments = words
        self.expected = expected
    }

    var testDescription: String {
        "pipework "
            + arguments.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }
            .joined(separator: " ")
    }
}

/// The message and the argument a rejected command line must report.
struct ParserRejection: Sendable {
    let message: String
    let argument: String?

    init(_ message: String, _ argument: String?) {
        self.message = message
        self.argument = argument
    }
}

private func rejected(_ line: String, _ message: String, argument: String?) -> ParserCase<ParserRejection> {
    ParserCase(line, ParserRejection(message, argument))
}

private func rejected(words: [String], _ message: String, argument: String?) -> ParserCase<ParserRejection> {
    ParserCase(words: words, ParserRejection(message, argument))
}

// MARK: - Accepted

@Suite struct PipeworkParserTests {
    /// The examples of pipework's README and of the issue, exactly as users type them.
    static let classic: [ParserCase<PipeworkCommand>] = [
        .init(
            "br1 -i eth1 web 192.168.1.5/24@192.168.1.1",
            attach("br1", .name("web"), fixed("192.168.1.5/24", "192.168.1.1"))),
        .init(
            "br1 \(id) 192.168.4.25/20@192.168.4.1",
            attach("br1", .name(id), fixed("192.168.4.25/20", "192.168.4.1"))),
        .init("eth2 \(id) 50.19.169.157/32", attach("eth2", .name(id), fixed("50.19.169.157/32"))),
        .init("br1 \(id) 0/0", attach("br1", .name(id), .none)),
        .init("eth1 \(id) dhcp", attach("eth1", .name(id), dhcp("dhcp"))),
        .init(
            "br0 \(id) dhcp fa:de:b0:99:52:1c",
            attach("br0", .name(id), dhcp("dhcp"), mac: .address(mac("fa:de:b0:99:52:1c")))),
        .init(
            "eth0 \(id) 192.168.1.2/24 26:2e:71:98:60:8f",
            attach("eth0", .name(id), fixed("192.168.1.2/24"), mac: .address(mac("26:2e:71:98:60:8f")))),
        .init(
            "eth0 web 10.0.0.2/24@10.0.0.1 U:web@10",
            attach("eth0", .name("web"), fixed("10.0.0.2/24", "10.0.0.1"), mac: .derived("web"), vlan: 10)),
        .init(
            "br0 -a 6 web 2001:db8::5/64@2001:db8::1",
            attach("br0", .name("web"), fixed("2001:db8::5/64", "2001:db8::1"), family: .inet6)),
        .init("--wait", .wait(interface: "eth1")),
        .init("--wait -i eth2", .wait(interface: "eth2")),
        .init(
            "route web add 10.0.0.0/8 via 192.168.1.254",
            .passthrough(tool: .route, guest: .name("web"), arguments: ["add", "10.0.0.0/8", "via", "192.168.1.254"])),
        .init("tc web qdisc show", .passthrough(tool: .tc, guest: .name("web"), arguments: ["qdisc", "show"])),
    ]

    @Test(arguments: classic)
    func classicForms(_ example: ParserCase<PipeworkCommand>) throws {
        #expect(try PipeworkParser.parse(example.arguments) == example.expected)
    }

    /// Every DHCP spelling, with and without `:OPTS`.
    static let dhcpForms: [ParserCase<PipeworkCommand>] = [
        .init(
            words: ["br0", "web", "udhcpc:-x hostname:web"],
            attach("br0", .name("web"), dhcp("udhcpc", ["-x", "hostname:web"]))),
        .init("br0 web udhcpc", attach("br0", .name("web"), dhcp("udhcpc"))),
        .init("br0 web udhcpc-f", attach("br0", .name("web"), dhcp("udhcpc-f", foreground: true))),
        .init(
            words: ["br0", "web", "udhcpc:-f -x hostname:web"],
            attach("br0", .name("web"), dhcp("udhcpc", foreground: true, ["-f", "-x", "hostname:web"]))),
        .init(
            words: ["br0", "web", "udhcpc-f:-x  hostname:web"],
            attach("br0", .name("web"), dhcp("udhcpc-f", foreground: true, ["-x", "hostname:web"]))),
        .init("br0 web dhclient", attach("br0", .name("web"), dhcp("dhclient"))),
        .init("br0 web dhclient-f", attach("br0", .name("web"), dhcp("dhclient-f", foreground: true))),
        .init("br0 web dhcpcd", attach("br0", .name("web"), dhcp("dhcpcd"))),
        .init("br0 web dhcpcd:-4", attach("br0", .name("web"), dhcp("dhcpcd", ["-4"]))),
        .init("br0 web dhcp:", attach("br0", .name("web"), dhcp("dhcp"))),
        .init("br0 web dhcp:-t@5", attach("br0", .name("web"), dhcp("dhcp", ["-t@5"]))),
        .init("eth0 web dhcp @10", attach("eth0", .name("web"), dhcp("dhcp"), vlan: 10)),
    ]

    @Test(arguments: dhcpForms)
    func dhcpSpellings(_ example: ParserCase<PipeworkCommand>) throws {
        #expect(try PipeworkParser.parse(example.arguments) == example.expected)
    }

    /// Options in any order and place, guest kinds, MAC and VLAN forms, the host named by MAC, `--direct-phys`.
    static let attachForms: [ParserCase<PipeworkCommand>] = [
        .init(
            "br1 web 10.0.0.5/24 -i eth3 -l vethweb",
            attach("br1", .name("web"), fixed("10.0.0.5/24"), guestInterface: "eth3", local: "vethweb")),
        .init(
            "-l vethweb -i eth3 br1 web 10.0.0.5/24",
            attach("br1", .name("web"), fixed("10.0.0.5/24"), guestInterface: "eth3", local: "vethweb")),
        .init(
            "br1 -i eth3 web -a 4 10.0.0.5/24@10.0.0.1",
            attach("br1", .name("web"), fixed("10.0.0.5/24", "10.0.0.1"), guestInterface: "eth3", family: .inet)),
        .init("-a 6 br0 web fd00::5/64", attach("br0", .name("web"), fixed("fd00::5/64"), family: .inet6)),
        .init("br0 web fd00::5/64", attach("br0", .name("web"), fixed("fd00::5/64"))),
        .init("br0 web fd00::5/128@fe80::1", attach("br0", .name("web"), fixed("fd00::5/128", "fe80::1"))),
        .init("br0 -a 4 web 0/0", attach("br0", .name("web"), .none, family: .inet)),
        .init("br0 -a 6 web dhcp", attach("br0", .name("web"), dhcp("dhcp"), family: .inet6)),
        .init(
            "eth2 web 50.19.169.157/32@50.19.169.1",
            attach("eth2", .name("web"), fixed("50.19.169.157/32", "50.19.169.1"))
        ),
        .init("br1 web 10.0.0.5/0", attach("br1", .name("web"), fixed("10.0.0.5/0"))),
        .init("br1 pid:4242 10.0.0.5/24", attach("br1", .pid(4242), fixed("10.0.0.5/24"))),
        .init("br1 4242 10.0.0.5/24", attach("br1", .pid(4242), fixed("10.0.0.5/24"))),
        .init("br1 pid:2147483647 10.0.0.5/24", attach("br1", .pid(Int32.max), fixed("10.0.0.5/24"))),
        .init("br1 /proc/4242/ns/net 10.0.0.5/24", attach("br1", .path("/proc/4242/ns/net"), fixed("10.0.0.5/24"))),
        .init("br1 /run/netns/blue 0/0", attach("br1", .path("/run/netns/blue"), .none)),
        .init("br1 blue-ns 0/0", attach("br1", .name("blue-ns"), .none)),
        .init("eth0 web 10.0.0.5/24 @42", attach("eth0", .name("web"), fixed("10.0.0.5/24"), vlan: 42)),
        .init("eth0 web 10.0.0.5/24 @1", attach("eth0", .name("web"), fixed("10.0.0.5/24"), vlan: 1)),
        .init(
            "eth0 web 10.0.0.5/24 02:00:00:00:00:01@4094",
            attach("eth0", .name("web"), fixed("10.0.0.5/24"), mac: .address(mac("02:00:00:00:00:01")), vlan: 4094)),
        .init("eth0 web 10.0.0.5/24 U:web", attach("eth0", .name("web"), fixed("10.0.0.5/24"), mac: .derived("web"))),
        .init(
            "eth0 web 10.0.0.5/24 U:a@b@10",
            attach("eth0", .name("web"), fixed("10.0.0.5/24"), mac: .derived("a@b"), vlan: 10)),
        .init(
            "eth0 web 10.0.0.5/24 FA:DE:B0:99:52:1C",
            attach("eth0", .name("web"), fixed("10.0.0.5/24"), mac: .address(mac("fa:de:b0:99:52:1c")))),
        .init(
            "mac:02:42:ac:11:00:02 web 10.0.0.5/24", attach("mac:02:42:ac:11:00:02", .name("web"), fixed("10.0.0.5/24"))
        ),
        .init("--direct-phys eth2 web 10.0.0.5/24", attach("eth2", .name("web"), fixed("10.0.0.5/24"), direct: true)),
        .init(
            "eth2 -i eth9 web 10.0.0.5/24 --direct-phys",
            attach("eth2", .name("web"), fixed("10.0.0.5/24"), guestInterface: "eth9", direct: true)),
        .init(
            "--direct-phys mac:aa:bb:cc:dd:ee:01 web dhcp 02:00:00:00:00:07",
            attach(
                "mac:aa:bb:cc:dd:ee:01", .name("web"), dhcp("dhcp"), mac: .address(mac("02:00:00:00:00:07")),
                direct: true)),
        .init(
            "-i eth2 -- br1 web 10.0.0.5/24",
            attach("br1", .name("web"), fixed("10.0.0.5/24"), guestInterface: "eth2")),
        .init("br1 -l abcdefghijklmno web 0/0", attach("br1", .name("web"), .none, local: "abcdefghijklmno")),
    ]

    @Test(arguments: attachForms)
    func attachVariants(_ example: ParserCase<PipeworkCommand>) throws {
        #expect(try PipeworkParser.parse(example.arguments) == example.expected)
    }

    /// `--wait`, `--detach`, `--list`, `--cleanup`, `--batch`, `--help`, and the passthrough commands.
    static let otherCommands: [ParserCase<PipeworkCommand>] = [
        .init("-i eth2 --wait", .wait(interface: "eth2")),
        .init("--detach web -i eth1", .detach(guest: .name("web"), interface: "eth1")),
        .init("--detach -i eth2 pid:42", .detach(guest: .pid(42), interface: "eth2")),
        .init("-i eth2 --detach /run/netns/blue", .detach(guest: .path("/run/netns/blue"), interface: "eth2")),
        .init("--list", .list),
        .init("--cleanup", .cleanup),
        .init("--batch /etc/splice/pipework.conf", .batch(path: "/etc/splice/pipework.conf")),
        .init("--batch -", .batch(path: "-")),
        .init("--batch=/tmp/attach.conf", .batch(path: "/tmp/attach.conf")),
        .init("--help", .help),
        .init("-h", .help),
        .init("br1 web --help", .help),
        .init("-h -x --bogus", .help),
        .init(
            "rule 1234 add from 10.0.0.0/8 table 100",
            .passthrough(tool: .rule, guest: .pid(1234), arguments: ["add", "from", "10.0.0.0/8", "table", "100"])),
        .init("route web", .passthrough(tool: .route, guest: .name("web"), arguments: [])),
        .init(
            "route /run/netns/blue -6 show --help -i x",
            .passthrough(
                tool: .route, guest: .path("/run/netns/blue"), arguments: ["-6", "show", "--help", "-i", "x"])),
        .init(
            "tc pid:7 qdisc add dev eth1 root netem delay 10ms",
            .passthrough(
                tool: .tc, guest: .pid(7), arguments: ["qdisc", "add", "dev", "eth1", "root", "netem", "delay", "10ms"])
        ),
    ]

    @Test(arguments: otherCommands)
    func commands(_ example: ParserCase<PipeworkCommand>) throws {
        #expect(try PipeworkParser.parse(example.arguments) == example.expected)
    }

    @Test func batchPathKeepsSpacesFromEqualsForm() throws {
        #expect(try PipeworkParser.parse(["--batch=/tmp/attach list"]) == .batch(path: "/tmp/attach list"))
    }
}

// MARK: - Rejected

extension PipeworkParserTests {
    static let missing: [ParserCase<ParserRejection>] = [
        rejected("", "missing HOSTIF, GUEST and ADDR", argument: nil),
        rejected("br1", "missing GUEST and ADDR after HOSTIF \"br1\"", argument: nil),
        rejected("br1 web", "missing ADDR after GUEST \"web\"", argument: nil),
        rejected("br1 -i eth1 web", "missing ADDR after GUEST \"web\"", argument: nil),
        rejected(
            "br1 192.168.1.5/24", "missing GUEST between HOSTIF \"br1\" and ADDR \"192.168.1.5/24\"", argument: nil),
        rejected("br1 dhcp", "missing GUEST between HOSTIF \"br1\" and ADDR \"dhcp\"", argument: nil),
        rejected("route", "missing GUEST: pipework route GUEST ARGS...", argument: nil),
        rejected("tc -s web", "pipework tc needs GUEST before its arguments, got \"-s\"", argument: "-s"),
        rejected(
            "--detach web", "--detach needs -i GUESTIF: the interface to remove from web", argument: "--detach"),
        rejected("--detach -i eth1", "--detach needs GUEST: pipework --detach GUEST -i GUESTIF", argument: nil),
        rejected(
            "--batch", "option --batch needs a value: the batch file, or - for standard input (--batch FILE)",
            argument: "--batch"),
        rejected("--batch=", "--batch needs a FILE, or - for standard input", argument: "--batch"),
        rejected(
            "br1 web 10.0.0.5/24 -i", "option -i needs a value: the interface name inside the guest (-i GUESTIF)",
            argument: "-i"),
        rejected(
            "br1 -i -l veth0 web 10.0.0.5/24",
            "option -i needs a value: the interface name inside the guest (-i GUESTIF)", argument: "-i"),
        rejected(
            "br1 web 10.0.0.5/24 -l", "option -l needs a value: the host-side interface name (-l LOCALIF)",
            argument: "-l"),
        rejected("br1 -a", "option -a needs a value: the address family (-a 4 or -a 6)", argument: "-a"),
    ]

    static let badAddresses: [ParserCase<ParserRejection>] = [
        rejected(
            "br1 web 10.0.0.5", "\"10.0.0.5\" has no prefix length; did you mean 10.0.0.5/24?", argument: "10.0.0.5"),
        rejected(
            "br1 web 10.0.0.5@10.0.0.1",
            "\"10.0.0.5@10.0.0.1\" has no prefix length; did you mean 10.0.0.5/24@10.0.0.1?",
            argument: "10.0.0.5@10.0.0.1"),
        rejected(
            "br1 web 2001:db8::5", "\"2001:db8::5\" has no prefix length; did you mean 2001:db8::5/64?",
            argument: "2001:db8::5"),
        rejected(
            "br1 web 10.0.0.5/33", "prefix length 33 in ADDR \"10.0.0.5/33\" is too long: IPv4 allows at most 32",
            argument: "10.0.0.5/33"),
        rejected(
            "br1 web 2001:db8::5/129",
            "prefix length 129 in ADDR \"2001:db8::5/129\" is too long: IPv6 allows at most 128",
            argument: "2001:db8::5/129"),
        rejected(
            "br1 web 10.0.0.5/99999999999999999999",
            "prefix length 99999999999999999999 in ADDR \"10.0.0.5/99999999999999999999\" is too long: "
                + "IPv4 allows at most 32", argument: "10.0.0.5/99999999999999999999"),
        rejected(
            "br1 web 10.0.0.5/abc", "prefix length \"abc\" in ADDR \"10.0.0.5/abc\" is not a number",
            argument: "10.0.0.5/abc"),
        rejected(
            "br1 web 10.0.0.5/-1", "prefix length \"-1\" in ADDR \"10.0.0.5/-1\" is not a number",
            argument: "10.0.0.5/-1"),
        rejected(
            "br1 web 10.0.0.5/", "prefix length \"\" in ADDR \"10.0.0.5/\" is not a number", argument: "10.0.0.5/"),
        rejected(
            "br1 web 10.0.0.5/24/8", "ADDR \"10.0.0.5/24/8\" has more than one '/'", argument: "10.0.0.5/24/8"),
        rejected(
            "br1 web 10.0.0.300/24", "\"10.0.0.300\" in ADDR \"10.0.0.300/24\" is not a valid IPv4 or IPv6 address",
            argument: "10.0.0.300/24"),
        rejected(
            "br1 web 2001:db8:::5/64",
            "\"2001:db8:::5\" in ADDR \"2001:db8:::5/64\" is not a valid IPv4 or IPv6 address",
            argument: "2001:db8:::5/64"),
        rejected(
            "br1 web /24", "\"\" in ADDR \"/24\" is not a valid IPv4 or IPv6 address", argument: "/24"),
        rejected(
            "br1 web 10.0.0.5/24@2001:db8::1",
            "gateway 2001:db8::1 in ADDR \"10.0.0.5/24@2001:db8::1\" is IPv6, but the address is IPv4",
            argument: "10.0.0.5/24@2001:db8::1"),
        rejected(
            "br1 web 2001:db8::5/64@10.0.0.1",
            "gateway 10.0.0.1 in ADDR \"2001:db8::5/64@10.0.0.1\" is IPv4, but the address is IPv6",
            argument: "2001:db8::5/64@10.0.0.1"),
        rejected(
            "br1 web 10.0.0.5/24@10.0.0", "gateway \"10.0.0\" in ADDR \"10.0.0.5/24@10.0.0\" is not a valid IP address",
            argument: "10.0.0.5/24@10.0.0"),
        rejected(
            "br1 web 10.0.0.5/24@10.0.0.1/24",
            "gateway \"10.0.0.1/24\" in ADDR \"10.0.0.5/24@10.0.0.1/24\" is not a valid IP address "
                + "(a gateway takes no prefix length)", argument: "10.0.0.5/24@10.0.0.1/24"),
        rejected(
            "br1 web 10.0.0.5/24@", "ADDR \"10.0.0.5/24@\" has an empty gateway after '@'", argument: "10.0.0.5/24@"),
        rejected(
            "br1 web 10.0.0.5/24@10.0.0.1@10.0.0.2",
            "ADDR \"10.0.0.5/24@10.0.0.1@10.0.0.2\" has more than one '@' (expected ADDRESS/LEN[@GATEWAY])",
            argument: "10.0.0.5/24@10.0.0.1@10.0.0.2"),
        rejected(
            "br1 web 0/0@10.0.0.1", "ADDR \"0/0@10.0.0.1\": 0/0 means no address, so it takes no gateway",
            argument: "0/0@10.0.0.1"),
        rejected(
            "br1 web 0.0.0.0/0",
            "ADDR \"0.0.0.0/0\" is the unspecified address, which no interface can have; "
                + "write 0/0 for an interface without an address", argument: "0.0.0.0/0"),
        rejected(
            "br1 web ::/64",
            "ADDR \"::/64\" is the unspecified address, which no interface can have; "
                + "write 0/0 for an interface without an address", argument: "::/64"),
        rejected(
            "br1 -a 4 web 2001:db8::5/64", "ADDR \"2001:db8::5/64\" is an IPv6 address, but -a 4 asks for IPv4",
            argument: "2001:db8::5/64"),
        rejected(
            "br1 web -a 6 10.0.0.5/24@10.0.0.1",
            "ADDR \"10.0.0.5/24@10.0.0.1\" is an IPv4 address, but -a 6 asks for IPv6",
            argument: "10.0.0.5/24@10.0.0.1"),
        rejected(
            "br1 -a 6 web 2001:db8::5/64@10.0.0.1",
            "gateway 10.0.0.1 in ADDR \"2001:db8::5/64@10.0.0.1\" is IPv4, but the address is IPv6",
            argument: "2001:db8::5/64@10.0.0.1"),
        rejected("br1 -a 5 web 10.0.0.5/24", "-a takes 4 or 6, not \"5\"", argument: "5"),
        rejected("br1 -a inet6 web 10.0.0.5/24", "-a takes 4 or 6, not \"inet6\"", argument: "inet6"),
        rejected(
            "br1 web dhcpx",
            "unknown DHCP client \"dhcpx\" in ADDR \"dhcpx\"; use one of dhcp, udhcpc, udhcpc-f, dhclient, "
                + "dhclient-f, dhcpcd", argument: "dhcpx"),
        rejected(
            "br1 web DHCP",
            "unknown DHCP client \"DHCP\" in ADDR \"DHCP\"; use one of dhcp, udhcpc, udhcpc-f, dhclient, "
                + "dhclient-f, dhcpcd", argument: "DHCP"),
        rejected(
            "br1 web dhcpcd-f:-4",
            "unknown DHCP client \"dhcpcd-f\" in ADDR \"dhcpcd-f:-4\"; use one of dhcp, udhcpc, udhcpc-f, "
                + "dhclient, dhclient-f, dhcpcd", argument: "dhcpcd-f:-4"),
        rejected(
            "br1 web dhcp@10.0.0.1", "ADDR \"dhcp@10.0.0.1\": DHCP supplies the gateway, so dhcp takes none",
            argument: "dhcp@10.0.0.1"),
        rejected(
            "br1 web fa:de:b0:99:52:1c",
            "ADDR \"fa:de:b0:99:52:1c\" looks like a MAC address; ADDR comes first: GUEST ADDR [MAC][@VLAN]",
            argument: "fa:de:b0:99:52:1c"),
        rejected(
            "br1 web banana",
            "ADDR \"banana\" is not an address; expected A.B.C.D/LEN[@GATEWAY], IPV6/LEN[@GATEWAY], 0/0, "
                + "or a DHCP form (dhcp, udhcpc, udhcpc-f, dhclient, dhclient-f, dhcpcd)", argument: "banana"),
    ]

    static let badNames: [ParserCase<ParserRejection>] = [
        rejected(words: ["", "web", "10.0.0.5/24"], "HOSTIF is empty", argument: ""),
        rejected(
            "averyveryverylongname web 10.0.0.5/24",
            "HOSTIF \"averyveryverylongname\" is 21 bytes long; Linux allows at most 15",
            argument: "averyveryverylongname"),
        rejected(
            "brü123456789012 web 10.0.0.5/24", "HOSTIF \"brü123456789012\" is 16 bytes long; Linux allows at most 15",
            argument: "brü123456789012"),
        rejected(
            "eth0:1 web 10.0.0.5/24",
            "HOSTIF \"eth0:1\" contains ':', which interface names cannot "
                + "(to name a host interface by its address, write mac:HOSTMAC)", argument: "eth0:1"),
        rejected(
            "br/1 web 10.0.0.5/24", "HOSTIF \"br/1\" contains '/', which interface names cannot", argument: "br/1"),
        rejected(words: ["br 1", "web", "10.0.0.5/24"], "HOSTIF \"br 1\" contains whitespace", argument: "br 1"),
        rejected(words: ["br1", "-i", "", "web", "10.0.0.5/24"], "-i interface name is empty", argument: ""),
        rejected(
            "br1 -i abcdefghijklmnop web 10.0.0.5/24",
            "-i interface name \"abcdefghijklmnop\" is 16 bytes long; Linux allows at most 15",
            argument: "abcdefghijklmnop"),
        rejected(
            "br1 -i eth1/2 web 10.0.0.5/24", "-i interface name \"eth1/2\" contains '/', which interface names cannot",
            argument: "eth1/2"),
        rejected(
            "br1 -i eth:1 web 10.0.0.5/24", "-i interface name \"eth:1\" contains ':', which interface names cannot",
            argument: "eth:1"),
        rejected(
            words: ["br1", "-i", "eth\t1", "web", "10.0.0.5/24"], "-i interface name \"eth\t1\" contains whitespace",
            argument: "eth\t1"),
        rejected(
            words: ["br1", "-l", "veth web", "web", "10.0.0.5/24"],
            "-l interface name \"veth web\" contains whitespace", argument: "veth web"),
        rejected("br1 -l .. web 10.0.0.5/24", "-l interface name \"..\" is not a valid interface name", argument: ".."),
        rejected(
            "--wait -i eth1/2", "-i interface name \"eth1/2\" contains '/', which interface names cannot",
            argument: "eth1/2"),
        rejected(
            "--detach web -i averyveryverylongname",
            "-i interface name \"averyveryverylongname\" is 21 bytes long; Linux allows at most 15",
            argument: "averyveryverylongname"),
        rejected(words: ["br1", "", "10.0.0.5/24"], "GUEST is empty", argument: ""),
        rejected("br1 pid:0 10.0.0.5/24", "GUEST \"pid:0\": a PID must be a positive number", argument: "pid:0"),
        rejected("br1 0 10.0.0.5/24", "GUEST \"0\": a PID must be a positive number", argument: "0"),
        rejected("br1 pid:-5 10.0.0.5/24", "GUEST \"pid:-5\": a PID must be a positive number", argument: "pid:-5"),
        rejected("br1 pid:abc 10.0.0.5/24", "\"abc\" in GUEST \"pid:abc\" is not a PID number", argument: "pid:abc"),
        rejected("br1 pid:12x 10.0.0.5/24", "\"12x\" in GUEST \"pid:12x\" is not a PID number", argument: "pid:12x"),
        rejected("br1 pid:+5 10.0.0.5/24", "\"+5\" in GUEST \"pid:+5\" is not a PID number", argument: "pid:+5"),
        rejected("br1 pid: 10.0.0.5/24", "\"pid:\" needs a PID after pid:", argument: "pid:"),
        rejected(
            "br1 99999999999 10.0.0.5/24",
            "GUEST \"99999999999\" is read as a PID but is too large for one; name a container by its name or id",
            argument: "99999999999"),
        rejected("route pid:0 show", "GUEST \"pid:0\": a PID must be a positive number", argument: "pid:0"),
        rejected(
            "--detach pid:x -i eth1", "\"x\" in GUEST \"pid:x\" is not a PID number", argument: "pid:x"),
    ]

    static let badMACsAndVLANs: [ParserCase<ParserRejection>] = [
        rejected(
            "eth0 web 10.0.0.5/24 aa:bb:cc:dd:ee",
            "\"aa:bb:cc:dd:ee\" is not a MAC address (expected aa:bb:cc:dd:ee:ff or U:STRING)",
            argument: "aa:bb:cc:dd:ee"),
        rejected(
            "eth0 web 10.0.0.5/24 gg:bb:cc:dd:ee:ff@10",
            "\"gg:bb:cc:dd:ee:ff\" is not a MAC address (expected aa:bb:cc:dd:ee:ff or U:STRING)",
            argument: "gg:bb:cc:dd:ee:ff@10"),
        rejected(
            "eth0 web 10.0.0.5/24 u:web",
            "\"u:web\" is not a MAC address (expected aa:bb:cc:dd:ee:ff or U:STRING); did you mean U:web?",
            argument: "u:web"),
        rejected(
            "eth0 web 10.0.0.5/24 01:00:5e:00:00:01",
            "MAC address 01:00:5e:00:00:01 in \"01:00:5e:00:00:01\" is a multicast address (the low bit of its "
                + "first byte is set); no interface can use such an address", argument: "01:00:5e:00:00:01"),
        rejected(
            "eth0 web 10.0.0.5/24 ff:ff:ff:ff:ff:ff@10",
            "MAC address ff:ff:ff:ff:ff:ff in \"ff:ff:ff:ff:ff:ff@10\" is a multicast address (the low bit of its "
                + "first byte is set); no interface can use such an address", argument: "ff:ff:ff:ff:ff:ff@10"),
        rejected(
            "eth0 web 10.0.0.5/24 00:00:00:00:00:00",
            "MAC address 00:00:00:00:00:00 in \"00:00:00:00:00:00\" is all zeros; no interface can use it",
            argument: "00:00:00:00:00:00"),
        rejected(
            "mac:01:00:5e:00:00:01 web 10.0.0.5/24",
            "MAC address 01:00:5e:00:00:01 in \"mac:01:00:5e:00:00:01\" is a multicast address (the low bit of its "
                + "first byte is set); no host interface has such an address", argument: "mac:01:00:5e:00:00:01"),
        rejected(
            "mac:zz:bb:cc:dd:ee:ff web 10.0.0.5/24",
            "\"zz:bb:cc:dd:ee:ff\" in HOSTIF \"mac:zz:bb:cc:dd:ee:ff\" is not a MAC address "
                + "(expected mac:aa:bb:cc:dd:ee:ff)", argument: "mac:zz:bb:cc:dd:ee:ff"),
        rejected(
            "eth0 web 10.0.0.5/24 U:", "\"U:\" needs a string after U: to derive the MAC from", argument: "U:"),
        rejected(
            "eth0 web 10.0.0.5/24 U:@10", "\"U:@10\" needs a string after U: to derive the MAC from",
            argument: "U:@10"),
        rejected(
            words: ["eth0", "web", "10.0.0.5/24", ""],
            "the MAC argument is empty (expected MAC, U:STRING and/or @VLAN)", argument: ""),
        rejected(
            "eth0 web 10.0.0.5/24 U:web@abc", "VLAN \"abc\" in \"U:web@abc\" is not a number", argument: "U:web@abc"),
        rejected("eth0 web 10.0.0.5/24 @", "VLAN \"\" in \"@\" is not a number", argument: "@"),
        rejected("eth0 web 10.0.0.5/24 @-3", "VLAN \"-3\" in \"@-3\" is not a number", argument: "@-3"),
        rejected("eth0 web 10.0.0.5/24 @0", "VLAN 0 in \"@0\" is outside 1 to 4094", argument: "@0"),
        rejected("eth0 web 10.0.0.5/24 @4095", "VLAN 4095 in \"@4095\" is outside 1 to 4094", argument: "@4095"),
        rejected("eth0 web 10.0.0.5/24 @99999", "VLAN 99999 in \"@99999\" is outside 1 to 4094", argument: "@99999"),
        rejected(
            "--direct-phys eth2 web 10.0.0.5/24 @10",
            "VLAN 10 cannot be used with --direct-phys: the interface itself moves into the guest, "
                + "so there is nothing to tag", argument: "@10"),
        rejected(
            "eth2 web 10.0.0.5/24 U:web@10 --direct-phys",
            "VLAN 10 cannot be used with --direct-phys: the interface itself moves into the guest, "
                + "so there is nothing to tag", argument: "U:web@10"),
        rejected(
            "--direct-phys eth2 -l vethx web 10.0.0.5/24",
            "-l vethx cannot be used with --direct-phys: there is no host-side interface, "
                + "the interface itself moves into the guest", argument: "vethx"),
    ]

    static let badOptions: [ParserCase<ParserRejection>] = [
        rejected("-x br1 web 10.0.0.5/24", "unknown option \"-x\"", argument: "-x"),
        rejected("br1 web 10.0.0.5/24 --vlan=10", "unknown option \"--vlan=10\"", argument: "--vlan=10"),
        rejected("br1 -i=eth1 web 10.0.0.5/24", "unknown option \"-i=eth1\"", argument: "-i=eth1"),
        rejected("br1 web -5 10.0.0.5/24", "unknown option \"-5\"", argument: "-5"),
        rejected(
            "br1 web 10.0.0.5/24 02:00:00:00:00:01 extra",
            "MAC[@VLAN] is the last argument; unexpected argument \"extra\"", argument: "extra"),
        rejected(
            "br1 web 10.0.0.5/24 @10 02:00:00:00:00:01",
            "MAC[@VLAN] is the last argument; unexpected argument \"02:00:00:00:00:01\"",
            argument: "02:00:00:00:00:01"),
        rejected(
            "-i eth1 -i eth2 br1 web 10.0.0.5/24", "option -i given twice (\"eth1\" and \"eth2\")", argument: "-i"),
        rejected(
            "--batch a --batch=b", "option --batch given twice (\"a\" and \"b\")", argument: "--batch=b"),
        rejected("--wait br1", "--wait takes only -i; unexpected argument \"br1\"", argument: "br1"),
        rejected(
            "--wait br1 web 10.0.0.5/24", "--wait takes only -i; unexpected argument \"br1\"", argument: "br1"),
        rejected("--wait -a 4", "option -a does not apply to --wait", argument: "-a"),
        rejected("--wait -l veth0", "option -l does not apply to --wait", argument: "-l"),
        rejected("--direct-phys --wait", "option --direct-phys does not apply to --wait", argument: "--direct-phys"),
        rejected("--wait --list", "--list cannot be combined with --wait", argument: "--list"),
        rejected("--batch f --detach web -i eth1", "--detach cannot be combined with --batch", argument: "--detach"),
        rejected("--list --batch f", "--batch cannot be combined with --list", argument: "--batch"),
        rejected("--wait=1", "--wait takes no value (got \"1\")", argument: "--wait=1"),
        rejected(
            "--direct-phys=yes eth2 web 0/0", "--direct-phys takes no value (got \"yes\")",
            argument: "--direct-phys=yes"),
        rejected("--list br1", "--list takes no arguments; unexpected argument \"br1\"", argument: "br1"),
        rejected("--list -i eth1", "option -i does not apply to --list", argument: "-i"),
        rejected("--cleanup br1", "--cleanup takes no arguments; unexpected argument \"br1\"", argument: "br1"),
        rejected("--cleanup --list", "--list cannot be combined with --cleanup", argument: "--list"),
        rejected("--batch f extra", "--batch takes only FILE; unexpected argument \"extra\"", argument: "extra"),
        rejected("--batch f -a 4", "option -a does not apply to --batch", argument: "-a"),
        rejected(
            "--detach web extra -i eth1", "--detach takes one GUEST; unexpected argument \"extra\"", argument: "extra"),
        rejected("--detach web -i eth1 -l veth0", "option -l does not apply to --detach", argument: "-l"),
    ]

    @Test(arguments: missing + badAddresses + badNames + badMACsAndVLANs + badOptions)
    func rejects(_ example: ParserCase<ParserRejection>) {
        let error = #expect(throws: PipeworkUsageError.self) { try PipeworkParser.parse(example.arguments) }
        #expect(error?.message == example.expected.message)
        #expect(error?.argument == example.expected.argument)
    }

    @Test func errorDescriptionIsItsMessage() {
        let error = PipeworkUsageError("unknown option \"-x\"", argument: "-x")
        #expect(error.description == error.message)
        #expect("\(error)" == "unknown option \"-x\"")
    }
}

// MARK: - Batch lines

extension PipeworkParserTests {
    @Test(arguments: ["", "   ", "\t", "\r", "# a comment", "   # indented comment", "#!/usr/local/bin/pipework"])
    func batchLinesWithoutAnAttach(_ line: String) throws {
        #expect(try PipeworkParser.parseBatchLine(line) == nil)
    }

    static let batchLines: [(String, PipeworkAttachment)] = [
        (
            "br1 -i eth1 web 192.168.1.5/24@192.168.1.1",
            PipeworkAttachment(
                host: .name("br1"), guest: .name("web"), addressing: fixed("192.168.1.5/24", "192.168.1.1"))
        ),
        (
            "  br1 web 192.168.1.5/24   # the web server",
            PipeworkAttachment(host: .name("br1"), guest: .name("web"), addressing: fixed("192.168.1.5/24"))
        ),
        (
            "br1 web 192.168.1.5/24\r",
            PipeworkAttachment(host: .name("br1"), guest: .name("web"), addressing: fixed("192.168.1.5/24"))
        ),
        (
            "br0 web 'udhcpc:-x hostname:web'",
            PipeworkAttachment(
                host: .name("br0"), guest: .name("web"), addressing: dhcp("udhcpc", ["-x", "hostname:web"]))
        ),
        (
            #"br0 web "udhcpc-f:-x hostname:\"web\"""#,
            PipeworkAttachment(
                host: .name("br0"), guest: .name("web"),
                addressing: dhcp("udhcpc-f", foreground: true, ["-x", #"hostname:"web""#]))
        ),
        (
            #"br0 my\ guest 0/0 U:a#b"#,
            PipeworkAttachment(
                host: .name("br0"), guest: .name("my guest"), addressing: .none, mac: .derived("a#b"))
        ),
        (
            // What classic `pipework --save` wrote: an empty MAC leaves a bare @VLAN.
            "eth0 -i eth1 \(id) 10.0.0.5/24 @10",
            PipeworkAttachment(host: .name("eth0"), guest: .name(id), addressing: fixed("10.0.0.5/24"), vlan: 10)
        ),
        (
            "--direct-phys eth2\t-i eth9 pid:77 dhcp",
            PipeworkAttachment(
                host: .name("eth2"), guestInterface: "eth9", guest: .pid(77), addressing: dhcp("dhcp"),
                directPhysical: true)
        ),
    ]

    @Test(arguments: batchLines)
    func batchLineAttaches(_ line: String, _ expected: PipeworkAttachment) throws {
        #expect(try PipeworkParser.parseBatchLine(line) == expected)
    }

    static let badBatchLines: [(String, ParserRejection)] = [
        (
            "route web add default via 10.0.0.1",
            ParserRejection("a batch line attaches one interface; \"route\" commands are not allowed here", "route")
        ),
        (
            "--wait -i eth1",
            ParserRejection("a batch line attaches one interface; --wait is not allowed here", "--wait")
        ),
        ("--list", ParserRejection("a batch line attaches one interface; --list is not allowed here", "--list")),
        (
            "--batch=other.conf",
            ParserRejection("a batch line attaches one interface; --batch is not allowed here", "--batch=other.conf")
        ),
        (
            "br1 web 10.0.0.5/24 --help",
            ParserRejection("a batch line attaches one interface; --help is not allowed here", "--help")
        ),
        (
            "--detach web -i eth1",
            ParserRejection("a batch line attaches one interface; --detach is not allowed here", "--detach")
        ),
        ("br1 web", ParserRejection("missing ADDR after GUEST \"web\"", nil)),
        (
            "br1 web 10.0.0.5 # forgot the length",
            ParserRejection("\"10.0.0.5\" has no prefix length; did you mean 10.0.0.5/24?", "10.0.0.5")
        ),
        (
            "br0 web 'udhcpc:-x hostname:web",
            ParserRejection(
                "batch line \"br0 web 'udhcpc:-x hostname:web\" has an unterminated quote",
                "br0 web 'udhcpc:-x hostname:web")
        ),
        (
            #"br0 web 0/0 \"#,
            ParserRejection(#"batch line "br0 web 0/0 \" ends with a lone backslash"#, #"br0 web 0/0 \"#)
        ),
    ]

    @Test(arguments: badBatchLines)
    func batchLineRejects(_ line: String, _ expected: ParserRejection) {
        let error = #expect(throws: PipeworkUsageError.self) { try PipeworkParser.parseBatchLine(line) }
        #expect(error?.message == expected.message)
        #expect(error?.argument == expected.argument)
    }
}

// MARK: - Usage

extension PipeworkParserTests {
    @Test(arguments: [
        "HOSTIF|mac:HOSTMAC", "-i GUESTIF", "-l LOCALIF", "-a 4|6", "GUEST ADDR [MAC|U:STRING][@VLAN]",
        "pipework --wait [-i GUESTIF]", "pipework --detach GUEST -i GUESTIF", "pipework --list",
        "pipework --batch FILE|-", "pipework route|rule|tc GUEST ARGS...", "--direct-phys", "0/0", "udhcpc-f",
        "dhcpcd", "dhclient", "1 to 4094", "-h, --help",
    ])
    func usageDescribes(_ fragment: String) {
        #expect(PipeworkParser.usage.contains(fragment))
    }

    /// `print` adds the final newline; no usage line is wider than a classic terminal.
    @Test func usageShape() {
        #expect(!PipeworkParser.usage.hasSuffix("\n"))
        let widest = PipeworkParser.usage.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest <= 110)
    }

    /// Each example the usage text shows parses.
    @Test func usageExamplesParse() throws {
        let examples = PipeworkParser.usage.split(separator: "\n")
            .drop(while: { $0 != "Examples:" }).dropFirst()
            .map { $0.split(separator: " ").map(String.init) }
        #expect(examples.count == 5)
        for example in examples {
            #expect(example.first == "pipework")
            #expect(throws: Never.self) { try PipeworkParser.parse(Array(example.dropFirst())) }
        }
    }
}
