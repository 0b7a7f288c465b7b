import NetlinkKit
import SpliceNet
import Testing

private func ip(_ text: String) -> IPAddress { IPAddress(text)! }

/// A `-p` value and the spec it must parse to.
struct PortSpecCase: Sendable, CustomTestStringConvertible {
    let text: String
    let expected: PortSpec
    var testDescription: String { "-p \(text)" }

    init(_ text: String, _ expected: PortSpec) {
        self.text = text
        self.expected = expected
    }
}

/// A rejected `-p` value, the error and the exact message.
struct PortSpecRejection: Sendable, CustomTestStringConvertible {
    let text: String
    let error: PortSpecError
    let message: String
    var testDescription: String { "-p \(text.isEmpty ? "''" : text)" }

    init(_ text: String, _ error: PortSpecError, _ message: String) {
        self.text = text
        self.error = error
        self.message = message
    }
}

@Suite struct PortSpecParserTests {
    @Test(arguments: [
        PortSpecCase("80", PortSpec(containerPorts: 80...80)),
        PortSpecCase("80/udp", PortSpec(containerPorts: 80...80, proto: .udp)),
        PortSpecCase("53/UDP", PortSpec(containerPorts: 53...53, proto: .udp)),
        PortSpecCase("8080:80", PortSpec(hostPorts: 8080...8080, containerPorts: 80...80)),
        PortSpecCase("8080:80/tcp", PortSpec(hostPorts: 8080...8080, containerPorts: 80...80, proto: .tcp)),
        PortSpecCase("5353:53/udp", PortSpec(hostPorts: 5353...5353, containerPorts: 53...53, proto: .udp)),
        PortSpecCase(
            "127.0.0.1:8080:80", PortSpec(hostIP: ip("127.0.0.1"), hostPorts: 8080...8080, containerPorts: 80...80)),
        PortSpecCase("127.0.0.1::80", PortSpec(hostIP: ip("127.0.0.1"), containerPorts: 80...80)),
        PortSpecCase("0.0.0.0::53/udp", PortSpec(hostIP: ip("0.0.0.0"), containerPorts: 53...53, proto: .udp)),
        PortSpecCase("8000-8100:8000-8100", PortSpec(hostPorts: 8000...8100, containerPorts: 8000...8100)),
        PortSpecCase(
            "10.0.0.5:8000-8001:80-81",
            PortSpec(hostIP: ip("10.0.0.5"), hostPorts: 8000...8001, containerPorts: 80...81)),
        PortSpecCase("8000-8010:80", PortSpec(hostPorts: 8000...8010, containerPorts: 80...80)),
        PortSpecCase("80-81", PortSpec(containerPorts: 80...81)),
        PortSpecCase("127.0.0.1::80-82/udp", PortSpec(hostIP: ip("127.0.0.1"), containerPorts: 80...82, proto: .udp)),
        PortSpecCase("[::1]:8080:80", PortSpec(hostIP: ip("::1"), hostPorts: 8080...8080, containerPorts: 80...80)),
        PortSpecCase("[::1]::80/udp", PortSpec(hostIP: ip("::1"), containerPorts: 80...80, proto: .udp)),
        PortSpecCase(
            "[2001:db8::7]:9000-9001:90-91",
            PortSpec(hostIP: ip("2001:db8::7"), hostPorts: 9000...9001, containerPorts: 90...91)),
        PortSpecCase("1:65535", PortSpec(hostPorts: 1...1, containerPorts: 65535...65535)),
        PortSpecCase("08080:080", PortSpec(hostPorts: 8080...8080, containerPorts: 80...80)),
        PortSpecCase("80-80", PortSpec(containerPorts: 80...80)),
    ])
    func validForms(_ example: PortSpecCase) throws {
        #expect(try PortSpecParser.parse(example.text) == example.expected)
    }

    @Test(arguments: [
        ("80", "80/tcp"),
        ("8080:80/udp", "8080:80/udp"),
        ("127.0.0.1::80", "127.0.0.1::80/tcp"),
        ("[::1]:8080:80", "[::1]:8080:80/tcp"),
        ("8000-8010:80", "8000-8010:80/tcp"),
        ("1.2.3.4:8000-8001:80-81/udp", "1.2.3.4:8000-8001:80-81/udp"),
    ])
    func canonicalDescription(text: String, canonical: String) throws {
        let spec = try PortSpecParser.parse(text)
        #expect(spec.description == canonical)
        #expect(try PortSpecParser.parse(spec.description) == spec)
    }

    @Test(arguments: [
        PortSpecRejection(
            "", .malformed("", reason: "it is empty"), "invalid port specification \"\": it is empty"),
        PortSpecRejection(
            "0", .portOutOfRange("0", port: "0"), "invalid port specification \"0\": port 0 is out of range (1-65535)"),
        PortSpecRejection(
            "8080:0", .portOutOfRange("8080:0", port: "0"),
            "invalid port specification \"8080:0\": port 0 is out of range (1-65535)"),
        PortSpecRejection(
            "65536:80", .portOutOfRange("65536:80", port: "65536"),
            "invalid port specification \"65536:80\": port 65536 is out of range (1-65535)"),
        PortSpecRejection(
            "99999999999999999999999", .portOutOfRange("99999999999999999999999", port: "99999999999999999999999"),
            "invalid port specification \"99999999999999999999999\": port 99999999999999999999999 is out of range "
                + "(1-65535)"),
        PortSpecRejection(
            "80-65536", .portOutOfRange("80-65536", port: "65536"),
            "invalid port specification \"80-65536\": port 65536 is out of range (1-65535)"),
        PortSpecRejection(
            "90-80", .reversedRange("90-80", range: "90-80"),
            "invalid port specification \"90-80\": range 90-80 ends before it starts"),
        PortSpecRejection(
            "8090-8080:80", .reversedRange("8090-8080:80", range: "8090-8080"),
            "invalid port specification \"8090-8080:80\": range 8090-8080 ends before it starts"),
        PortSpecRejection(
            "8000-8002:80-81", .mismatchedRanges("8000-8002:80-81", hostPorts: "8000-8002", containerPorts: "80-81"),
            "invalid port specification \"8000-8002:80-81\": host ports 8000-8002 and container ports 80-81 are ranges "
                + "of different lengths"),
        PortSpecRejection(
            "8000:80-81", .mismatchedRanges("8000:80-81", hostPorts: "8000", containerPorts: "80-81"),
            "invalid port specification \"8000:80-81\": host ports 8000 and container ports 80-81 are ranges of "
                + "different lengths"),
        PortSpecRejection(
            "300.1.1.1:80:80", .invalidHostIP("300.1.1.1:80:80", ip: "300.1.1.1"),
            "invalid port specification \"300.1.1.1:80:80\": \"300.1.1.1\" is not an IP address"),
        PortSpecRejection(
            "localhost:80:80", .invalidHostIP("localhost:80:80", ip: "localhost"),
            "invalid port specification \"localhost:80:80\": \"localhost\" is not an IP address"),
        PortSpecRejection(
            "[::zz]:80:80", .invalidHostIP("[::zz]:80:80", ip: "::zz"),
            "invalid port specification \"[::zz]:80:80\": \"::zz\" is not an IP address"),
        PortSpecRejection(
            "80/sctp", .unsupportedProtocol("80/sctp", protocol: "sctp"),
            "invalid port specification \"80/sctp\": protocol \"sctp\" is not supported (only tcp and udp are)"),
        PortSpecRejection(
            "80/tcp/udp", .unsupportedProtocol("80/tcp/udp", protocol: "tcp/udp"),
            "invalid port specification \"80/tcp/udp\": protocol \"tcp/udp\" is not supported (only tcp and udp are)"),
        PortSpecRejection(
            "80/", .malformed("80/", reason: "empty protocol after \"/\""),
            "invalid port specification \"80/\": empty protocol after \"/\""),
        PortSpecRejection(
            "8080:", .malformed("8080:", reason: "empty container port"),
            "invalid port specification \"8080:\": empty container port"),
        PortSpecRejection(
            "/tcp", .malformed("/tcp", reason: "empty container port"),
            "invalid port specification \"/tcp\": empty container port"),
        PortSpecRejection(
            ":80", .malformed(":80", reason: "empty host port (write just 80 for a dynamic host port)"),
            "invalid port specification \":80\": empty host port (write just 80 for a dynamic host port)"),
        PortSpecRejection(
            "::80", .malformed("::80", reason: "empty host IP (leave out \"IP:\" to publish on every interface)"),
            "invalid port specification \"::80\": empty host IP (leave out \"IP:\" to publish on every interface)"),
        PortSpecRejection(
            "1.2.3.4:80:80:80",
            .malformed(
                "1.2.3.4:80:80:80", reason: "too many colons (write an IPv6 host IP in brackets, as [::1]:8080:80)"),
            "invalid port specification \"1.2.3.4:80:80:80\": too many colons (write an IPv6 host IP in brackets, as "
                + "[::1]:8080:80)"),
        PortSpecRejection(
            "::1:8080:80",
            .malformed(
                "::1:8080:80", reason: "too many colons (write an IPv6 host IP in brackets, as [::1]:8080:80)"),
            "invalid port specification \"::1:8080:80\": too many colons (write an IPv6 host IP in brackets, as "
                + "[::1]:8080:80)"),
        PortSpecRejection(
            "[::1]:80:80:80", .malformed("[::1]:80:80:80", reason: "too many colons"),
            "invalid port specification \"[::1]:80:80:80\": too many colons"),
        PortSpecRejection(
            "[::1]:80",
            .malformed(
                "[::1]:80", reason: "a host IP needs a host port field (write [::1]::80 for a dynamic one)"),
            "invalid port specification \"[::1]:80\": a host IP needs a host port field (write [::1]::80 for a "
                + "dynamic one)"),
        PortSpecRejection(
            "[::1:80:80", .malformed("[::1:80:80", reason: "\"[\" without a closing \"]\" around the host IP"),
            "invalid port specification \"[::1:80:80\": \"[\" without a closing \"]\" around the host IP"),
        PortSpecRejection(
            "[::1]8080:80",
            .malformed(
                "[::1]8080:80", reason: "expected \":HOST_PORT:CONTAINER_PORT\" after the bracketed host IP"),
            "invalid port specification \"[::1]8080:80\": expected \":HOST_PORT:CONTAINER_PORT\" after the bracketed "
                + "host IP"),
        PortSpecRejection(
            "http", .invalidPort("http", port: "http"),
            "invalid port specification \"http\": \"http\" is not a port number or range (such as 80 or 8000-8100)"),
        PortSpecRejection(
            "8080:eighty", .invalidPort("8080:eighty", port: "eighty"),
            "invalid port specification \"8080:eighty\": \"eighty\" is not a port number or range (such as 80 or "
                + "8000-8100)"),
        PortSpecRejection(
            "+80", .invalidPort("+80", port: "+80"),
            "invalid port specification \"+80\": \"+80\" is not a port number or range (such as 80 or 8000-8100)"),
        PortSpecRejection(
            " 80", .invalidPort(" 80", port: " 80"),
            "invalid port specification \" 80\": \" 80\" is not a port number or range (such as 80 or 8000-8100)"),
        PortSpecRejection(
            "80-", .invalidPort("80-", port: "80-"),
            "invalid port specification \"80-\": \"80-\" is not a port number or range (such as 80 or 8000-8100)"),
        PortSpecRejection(
            "-80", .invalidPort("-80", port: "-80"),
            "invalid port specification \"-80\": \"-80\" is not a port number or range (such as 80 or 8000-8100)"),
        PortSpecRejection(
            "80-90-100", .invalidPort("80-90-100", port: "80-90-100"),
            "invalid port specification \"80-90-100\": \"80-90-100\" is not a port number or range (such as 80 or "
                + "8000-8100)"),
        PortSpecRejection(
            "８０", .invalidPort("８０", port: "８０"),
            "invalid port specification \"８０\": \"８０\" is not a port number or range (such as 80 or 8000-8100)"),
    ])
    func rejections(_ rejection: PortSpecRejection) {
        let error = #expect(throws: rejection.error) { try PortSpecParser.parse(rejection.text) }
        #expect(error?.description == rejection.message)
    }
}

@Suite struct PortSpecExposedTests {
    @Test func publishAllMakesDynamicSpecs() throws {
        let specs = try PortSpecParser.exposed(["80/tcp", "53/udp", "443", "80/tcp", "7000-7001/tcp"])
        #expect(
            specs == [
                PortSpec(containerPorts: 80...80, proto: .tcp),
                PortSpec(containerPorts: 53...53, proto: .udp),
                PortSpec(containerPorts: 443...443, proto: .tcp),
                PortSpec(containerPorts: 7000...7001, proto: .tcp),
            ])
        #expect(specs.allSatisfy { $0.hostIP == nil && $0.hostPorts == nil })
        #expect(try PortSpecParser.exposed([]) == [])
    }

    @Test func exposedPortsMustBeContainerPorts() {
        let error = #expect(throws: PortSpecError.notAContainerPort("8080:80")) {
            try PortSpecParser.exposed(["80/tcp", "8080:80"])
        }
        #expect(error?.description == "invalid exposed port \"8080:80\": expected PORT[/PROTOCOL] such as 80/tcp")
        #expect(throws: PortSpecError.unsupportedProtocol("132/sctp", protocol: "sctp")) {
            try PortSpecParser.exposed(["132/sctp"])
        }
    }
}
