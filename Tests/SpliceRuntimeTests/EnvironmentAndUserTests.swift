import Testing
@testable import SpliceRuntime

@Suite("Environment and user")
struct EnvironmentAndUserTests {
    @Test("users: uid, uid:gid, root, empty", arguments: [
        ("", 0, 0), ("root", 0, 0), ("1000", 1000, 1000), ("1000:100", 1000, 100), ("0:5", 0, 5), ("65534:root", 65534, 0),
    ] as [(String, UInt32, UInt32)])
    func users(text: String, uid: UInt32, gid: UInt32) throws {
        #expect(try ContainerUser.parse(text) == ContainerUser(uid: uid, gid: gid))
    }

    @Test("names other than root are not resolved yet; malformed users are rejected")
    func badUsers() {
        #expect(throws: RuntimeError.self) { try ContainerUser.parse("nobody") }
        #expect(throws: RuntimeError.self) { try ContainerUser.parse("1:2:3") }
        #expect(throws: RuntimeError.self) { try ContainerUser.parse("1:staff") }
    }

    @Test("defaults fill PATH, HOSTNAME and HOME; later entries replace earlier ones in place")
    func defaults() throws {
        let environment = try ContainerEnvironment(["A=1", "B=x=y", "A=2", "UNSET"], hostname: "web",
                                                   user: ContainerUser(uid: 0, gid: 0))
        #expect(environment.entries == ["A=2", "B=x=y", "PATH=\(ContainerEnvironment.defaultPath)", "HOSTNAME=web", "HOME=/root"])
        let user = try ContainerEnvironment(["PATH=/bin", "HOME=/home/u"], hostname: "", user: ContainerUser(uid: 5, gid: 5))
        #expect(user.entries == ["PATH=/bin", "HOME=/home/u"])
    }

    @Test("an entry without a name is rejected")
    func badEntry() {
        #expect(throws: RuntimeError.self) {
            try ContainerEnvironment(["=x"], hostname: "", user: ContainerUser(uid: 0, gid: 0))
        }
    }

    @Test("PATH lookup candidates")
    func candidates() throws {
        let environment = try ContainerEnvironment(["PATH=/usr/bin:/bin/:"], hostname: "", user: ContainerUser(uid: 0, gid: 0))
        #expect(environment.executableCandidates(for: "sh") == ["/usr/bin/sh", "/bin/sh", "sh"])
        #expect(environment.executableCandidates(for: "./run") == ["./run"])
        #expect(environment.executableCandidates(for: "/bin/echo") == ["/bin/echo"])
    }
}
