import Foundation
import Glibc
import TestSupport
import Testing

/// `spliced --userns-remap default` with the real docker CLI: container root is the first subordinate id of
/// `dockremap` on the host, a volume's files belong to it, `--userns=host` gives the host's root, and what dockerd
/// refuses under a remap is refused with its words.
///
/// The daemon creates `dockremap` (`useradd -r`) and its 65536-id ranges (`usermod -v/-w`) when the host has none,
/// as dockerd does, so these tests may change `/etc/passwd`, `/etc/group`, `/etc/subuid` and `/etc/subgid`. A test
/// that found no `dockremap` before starting its daemon removes it afterwards with `userdel` (which also removes its
/// subordinate ranges); an existing `dockremap` and its ranges are used as they are and left alone.
@Suite("User namespaces (--userns-remap) against spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"),
       .enabled(if: UserNamespaceProbe.kernelAllowsUserNamespaces,
                "the kernel allows no user namespaces (/proc/sys/user/max_user_namespaces is 0)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd"),
                "needs useradd and usermod (Debian's passwd) to create dockremap"))
struct UserNamespaceTests {
    /// What the host's files say about `dockremap`, read as a user would: the first subordinate uid and gid.
    struct Remap {
        var user: String
        var rootUID: UInt32
        var rootGID: UInt32

        /// The first `dockremap:START:COUNT` line of `/etc/subuid` and of `/etc/subgid`.
        static func read() throws -> Remap {
            func first(_ path: String) throws -> UInt32 {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("dockremap:") }, "\(text)")
                return try #require(UInt32(line.split(separator: ":")[1]), "\(line)")
            }
            return Remap(user: "dockremap", rootUID: try first("/etc/subuid"), rootGID: try first("/etc/subgid"))
        }
    }

    /// Whether `/etc/passwd` has a `dockremap` entry.
    static func dockremapExists() -> Bool {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
        return passwd.split(separator: "\n").contains { $0.hasPrefix("dockremap:") }
    }

    /// Runs `body` against a lab started with `--userns-remap default` and the remap the daemon resolved; removes
    /// `dockremap` afterwards when this test's daemon created it.
    func withRemapLab(_ tag: String, _ body: (DaemonLab, Remap) throws -> Void) throws {
        let existed = Self.dockremapExists()
        defer {
            if !existed && Self.dockremapExists() { _ = try? runStatus("/usr/sbin/userdel", ["dockremap"]) }
        }
        try runLab(tag, body)
    }

    private func runLab(_ tag: String, _ body: (DaemonLab, Remap) throws -> Void) throws {
        let lab = try DaemonLab(tag, daemonArguments: ["--userns-remap", "default"])
        // The daemon made (or found) the user and its ranges; read them as the daemon does.
        let remap = try Remap.read()
        try body(lab, remap)
    }

    /// The `Uid:` (or `Gid:`) line of `/proc/PID/status` of container `name`'s pid 1.
    func hostIDs(_ lab: DaemonLab, _ name: String, _ key: String) throws -> String {
        let pid = try lab.docker(["inspect", "-f", "{{.State.Pid}}", name]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(key + ":") }, "\(status)")
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().joined(separator: " ")
    }

    @Test func containerRootIsTheSubordinateBase() throws {
        try withRemapLab("usr") { lab, remap in
            #expect(remap.user == "dockremap")
            let base = remap.rootUID
            #expect(base >= 100_000, "dockerd's ranges start at 100000: \(remap)")
            let info = try lab.docker(["info", "-f", "{{json .SecurityOptions}}"])
            #expect(info.stdout.contains("\"name=userns\""), "\(info.stdout)\(info.stderr)")

            let id = try lab.docker(["run", "--rm", "--net=none", "bb", "id"])
            #expect(id.status == 0 && id.stdout.hasPrefix("uid=0 gid=0"), "\(id.stderr)\n\(lab.daemonLog())")

            // The image's files (idmapped layers or a shifted copy, as the kernel allows) and the container's
            // /etc files belong to its root.
            let files = try lab.docker(["run", "--rm", "--net=none", "bb", "sh", "-c",
                                        "echo '10.9.9.9 extra' >> /etc/hosts && ls -ln /bin/busybox /etc/hosts"])
            #expect(files.status == 0, "\(files.stderr)\n\(lab.daemonLog())")
            let owners = files.stdout.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).prefix(2).joined(separator: " ")
            }
            #expect(owners == ["0 0", "0 0"], "\(files.stdout)")

            let started = try lab.docker(["run", "-d", "--name", "remapped", "bb", "sleep", "300"])
            #expect(started.status == 0, "\(started.stderr)\n\(lab.daemonLog())")
            #expect(try hostIDs(lab, "remapped", "Uid") == "\(base) \(base) \(base) \(base)")
            #expect(try hostIDs(lab, "remapped", "Gid") == Array(repeating: "\(remap.rootGID)", count: 4)
                .joined(separator: " "))
            let uidMap = try lab.docker(["exec", "remapped", "cat", "/proc/self/uid_map"])
            let fields = uidMap.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
            #expect(fields.prefix(2) == ["0", "\(base)"], "\(uidMap.stdout)\(uidMap.stderr)")
            let execID = try lab.docker(["exec", "remapped", "id", "-u"])
            #expect(execID.stdout == "0\n", "\(execID.stderr)")
            let mode = try lab.docker(["inspect", "-f", "{{.HostConfig.UsernsMode}}", "remapped"])
            #expect(mode.stdout == "\n", "\(mode.stderr)")
        }
    }

    @Test func volumeFilesBelongToTheRemappedRoot() throws {
        try withRemapLab("usv") { lab, remap in
            let made = try lab.docker(["run", "--rm", "--net=none", "-v", "uvol:/data", "bb", "sh", "-c",
                                       "touch /data/made && mkdir /data/dir && ls -ln /data"])
            #expect(made.status == 0, "\(made.stderr)\n\(lab.daemonLog())")
            #expect(made.stdout.contains(" 0        0 "), "inside, root owns them: \(made.stdout)")
            for name in ["made", "dir"] {
                var info = stat()
                #expect(stat(lab.graph + "/volumes/uvol/_data/" + name, &info) == 0)
                #expect(info.st_uid == remap.rootUID && info.st_gid == remap.rootGID, "\(name): \(info.st_uid)")
            }
            // A missing bind source is created for the remapped root, as dockerd does.
            let bound = try lab.docker(["run", "--rm", "--net=none", "-v", lab.directory + "/made/sub:/b", "bb",
                                        "touch", "/b/file"])
            #expect(bound.status == 0, "\(bound.stderr)")
            for path in ["/made", "/made/sub", "/made/sub/file"] {
                var info = stat()
                #expect(stat(lab.directory + path, &info) == 0)
                #expect(info.st_uid == remap.rootUID, "\(path): \(info.st_uid)")
            }
            // The container's own layer too.
            let layer = try lab.docker(["run", "--name", "layer", "--net=none", "bb", "touch", "/written"])
            #expect(layer.status == 0, "\(layer.stderr)")
            let id = try lab.docker(["inspect", "-f", "{{.Id}}", "layer"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var info = stat()
            #expect(stat(lab.graph + "/containers/\(id)/upper/written", &info) == 0)
            #expect(info.st_uid == remap.rootUID, "\(info.st_uid)")
        }
    }

    @Test func usernsHostGivesTheHostRoot() throws {
        try withRemapLab("ush") { lab, _ in
            let started = try lab.docker(["run", "-d", "--name", "hostns", "--userns=host", "bb", "sleep", "300"])
            #expect(started.status == 0, "\(started.stderr)\n\(lab.daemonLog())")
            #expect(try hostIDs(lab, "hostns", "Uid") == "0 0 0 0")
            let mode = try lab.docker(["inspect", "-f", "{{.HostConfig.UsernsMode}}", "hostns"])
            #expect(mode.stdout == "host\n", "\(mode.stderr)")
            // What a remap refuses, --userns=host allows.
            let privileged = try lab.docker(["run", "--rm", "--net=none", "--userns=host", "--privileged", "bb",
                                             "cat", "/proc/self/uid_map"])
            #expect(privileged.status == 0, "\(privileged.stderr)")
            #expect(privileged.stdout.split(separator: " ", omittingEmptySubsequences: true).prefix(3)
                == ["0", "0", "4294967295\n"], "\(privileged.stdout)")
        }
    }

    @Test func remapRefusesWhatDockerdRefuses() throws {
        try withRemapLab("usf") { lab, _ in
            let cases: [([String], String)] = [
                (["--privileged"], "privileged mode is incompatible with user namespaces.  You must run the container"
                    + " in the host namespace when running privileged mode"),
                (["--net=host"], "cannot share the host's network namespace when user namespaces are enabled"),
                (["--pid=host"], "cannot share the host PID namespace when user namespaces are enabled"),
            ]
            for (flags, message) in cases {
                let result = try lab.docker(["run", "--rm"] + flags + ["bb", "true"])
                #expect(result.status == 125, "\(flags): \(result.stdout)")
                #expect(result.stderr.contains("Error response from daemon: " + message), "\(result.stderr)")
            }
            let listed = try lab.docker(["ps", "-aq"])
            #expect(listed.stdout.isEmpty, "a refused create leaves no container: \(listed.stdout)")
        }
    }
}

/// What the suite needs from the kernel, outside the suite's type (its traits cannot refer to it).
enum UserNamespaceProbe {
    /// `/proc/sys/user/max_user_namespaces` is above 0.
    static let kernelAllowsUserNamespaces: Bool = {
        let text = (try? String(contentsOfFile: "/proc/sys/user/max_user_namespaces", encoding: .utf8)) ?? "0"
        return (Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0
    }()
}
