import Foundation
import SpliceRuntime
import Testing
@testable import SpliceEngine
import struct EngineErrors.EngineError

/// `/etc/passwd`/`/etc/group` lookup, resolv.conf choice, hosts lines and legacy link variables.
@Suite("Users, resolv.conf, hosts and links")
struct ContainerEtcTests {
    static let passwd = """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/bin/false
        www:x:33:33:www:/var/www:/bin/false
        # a comment
        broken line
        nobody:x:65534:65534:nobody:/nonexistent:/bin/false

        """
    static let group = """
        root:x:0:
        www:x:33:
        audio:x:29:www,daemon
        video:x:44:www
        nogroup:x:65534:

        """

    @Test func usersAndGroupsResolveAsRuncDoes() throws {
        let database = UserDatabase(passwd: Self.passwd, group: Self.group)
        let nobody = try database.resolve("nobody")
        #expect(nobody.uid == 65534 && nobody.gid == 65534 && nobody.home == "/nonexistent")
        let www = try database.resolve("www")
        #expect(www.uid == 33 && www.gid == 33 && www.additionalGroups == [29, 44])
        let withGroup = try database.resolve("www:audio")
        #expect(withGroup.gid == 29 && withGroup.additionalGroups.isEmpty)
        let numeric = try database.resolve("1000:1000")
        #expect(numeric.uid == 1000 && numeric.gid == 1000 && numeric.home == nil)
        #expect(try database.resolve("1000").gid == 0)
        #expect(try database.resolve("33").gid == 33)
        #expect(try database.resolve("").uid == 0)
        #expect(try database.resolve("root", groupAdd: ["video", "500"]).additionalGroups == [44, 500])
        let noUser = "unable to find user ghost: no matching entries in passwd file"
        #expect(throws: EngineError(.invalidArgument, noUser)) {
            try database.resolve("ghost")
        }
        let noGroup = "unable to find group ghosts: no matching entries in group file"
        #expect(throws: EngineError(.invalidArgument, noGroup)) {
            try database.resolve("www:ghosts")
        }
        #expect(throws: EngineError.self) { try UserDatabase(passwd: "", group: "").resolve("nobody") }
    }

    @Test func passwdIsReadFromTheUpperDirectoryThenTheLayers() throws {
        let directory = try TemporaryDirectory("users")
        let upper = directory.path + "/upper", top = directory.path + "/top", base = directory.path + "/base"
        for layer in [upper, top, base] {
            try FileManager.default.createDirectory(atPath: layer + "/etc", withIntermediateDirectories: true)
        }
        try Data("root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n".utf8)
            .write(to: URL(fileURLWithPath: base + "/etc/passwd"))
        try Data("app:x:42:42\n".utf8).write(to: URL(fileURLWithPath: base + "/etc/group"))
        #expect(try UserDatabase.read(layers: [upper, top, base]).resolve("nobody").uid == 65534)
        try Data("nobody:x:99:99::/:/bin/false\n".utf8).write(to: URL(fileURLWithPath: upper + "/etc/passwd"))
        #expect(try UserDatabase.read(layers: [upper, top, base]).resolve("nobody").uid == 99)
        #expect(try UserDatabase.read(layers: [upper, top, base]).resolve("nobody:app").gid == 42)
        try FileManager.default.removeItem(atPath: upper + "/etc/passwd")
        try Data().write(to: URL(fileURLWithPath: top + "/etc/.wh.passwd"))
        #expect(throws: EngineError.self) { try UserDatabase.read(layers: [upper, top, base]).resolve("nobody") }
    }

    @Test func resolvConfComesFromTheRequestTheDaemonOrTheHost() {
        let host = "# generated\nnameserver 127.0.0.53\nnameserver 192.0.2.1\nsearch lan corp\noptions edns0\n"
        var request = ContainerCreateOptions(image: "bb")
        let fromHost = ContainerEngine.resolvConf(request: request, daemonDNS: [], daemonSearch: [],
                                                  hostResolvConf: host, hostNetwork: false)
        #expect(fromHost == DNSConfig(nameservers: ["192.0.2.1"], searches: ["lan", "corp"], options: ["edns0"]))
        let hostMode = ContainerEngine.resolvConf(request: request, daemonDNS: [], daemonSearch: [],
                                                  hostResolvConf: host, hostNetwork: true)
        #expect(hostMode.nameservers == ["127.0.0.53", "192.0.2.1"])
        let onlyLoopback = ContainerEngine.resolvConf(request: request, daemonDNS: [], daemonSearch: [],
                                                      hostResolvConf: "nameserver 127.0.0.1\n", hostNetwork: false)
        #expect(onlyLoopback.nameservers == ["8.8.8.8", "8.8.4.4"])
        let daemon = ContainerEngine.resolvConf(request: request, daemonDNS: ["10.1.1.1"], daemonSearch: ["d.test"],
                                                hostResolvConf: host, hostNetwork: false)
        #expect(daemon.nameservers == ["10.1.1.1"] && daemon.searches == ["d.test"])
        request.dns = ["10.0.0.2"]
        request.dnsSearch = ["example.test"]
        request.dnsOptions = ["ndots:2"]
        let requested = ContainerEngine.resolvConf(request: request, daemonDNS: ["10.1.1.1"], daemonSearch: [],
                                                   hostResolvConf: host, hostNetwork: false)
        #expect(EtcFiles.resolvConf(requested) == "nameserver 10.0.0.2\nsearch example.test\noptions ndots:2\n")
    }

    @Test func hostsLines() throws {
        let entries = [try CreateValidation.extraHost("myalias:127.0.0.1", gateway: nil),
                       HostsEntry(address: "172.17.0.3", names: ["web", "abcdef012345", "cap_ports"])]
        let text = EtcFiles.hosts(entries)
        #expect(text.hasPrefix("127.0.0.1\tlocalhost\n"))
        #expect(text.hasSuffix("127.0.0.1\tmyalias\n172.17.0.3\tweb abcdef012345 cap_ports\n"))
    }

    @Test func legacyLinkVariables() {
        let env = ContainerEngine.linkEnvironment(
            alias: "web-1", parent: "client", address: "172.17.0.3", ports: ["8080/tcp", "8081/udp"],
            targetEnv: ["PATH=/bin", "HOME=/root", "GREETING=hi=there"])
        #expect(env == [
            "WEB_1_NAME=/client/web-1",
            "WEB_1_PORT=tcp://172.17.0.3:8080",
            "WEB_1_PORT_8080_TCP=tcp://172.17.0.3:8080", "WEB_1_PORT_8080_TCP_ADDR=172.17.0.3",
            "WEB_1_PORT_8080_TCP_PORT=8080", "WEB_1_PORT_8080_TCP_PROTO=tcp",
            "WEB_1_PORT_8081_UDP=udp://172.17.0.3:8081", "WEB_1_PORT_8081_UDP_ADDR=172.17.0.3",
            "WEB_1_PORT_8081_UDP_PORT=8081", "WEB_1_PORT_8081_UDP_PROTO=udp",
            "WEB_1_ENV_GREETING=hi=there",
        ])
        var request = ContainerCreateOptions(image: "bb")
        request.exposedPorts = ["9090/tcp"]
        request.portBindings = ["127.0.0.1:18080:8080", "18081:8081/udp"]
        #expect(ContainerEngine.exposedPorts(of: request) == ["8080/tcp", "8081/udp", "9090/tcp"])
    }
}
