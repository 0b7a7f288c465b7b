import Foundation
import Glibc
import TestSupport
import Testing

/// `docker tag`, `history` and `rmi` against a real `spliced`: names move, an image a container uses is kept
/// with Docker's conflict, and the last name deletes it.
@Suite("tag, history and rmi through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct ImageCommandTests {
    @Test func tagHistoryAndRemove() throws {
        let lab = try DaemonLab("images")
        #expect(try lab.docker(["tag", "bb", "bb:two"]).status == 0)
        let names = try lab.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).stdout
        #expect(Set(names.split(separator: "\n")) == ["bb:latest", "bb:two"], "\(names)")
        let history = try lab.docker(["history", "--format", "{{.Comment}}", "bb"])
        #expect(history.stdout.contains("Imported from"), "\(history.stdout)\(history.stderr)")
        #expect(try lab.docker(["run", "--name", "user", "--net=none", "bb", "true"]).status == 0)
        #expect(try lab.docker(["rmi", "bb:two"]).stdout == "Untagged: bb:two\n")
        let refused = try lab.docker(["rmi", "bb"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("conflict: unable to remove repository reference \"bb:latest\" (must force)"),
                "\(refused.stderr)")
        #expect(try lab.docker(["rm", "user"]).status == 0)
        let removed = try lab.docker(["rmi", "bb"])
        #expect(removed.stdout.hasPrefix("Untagged: bb:latest\nDeleted: sha256:"), "\(removed.stdout)\(removed.stderr)")
        #expect(try lab.docker(["images", "-q"]).stdout.isEmpty)
        let missing = try lab.docker(["rmi", "bb"])
        #expect(missing.stderr.contains("No such image"), "\(missing.stderr)")
    }
}
