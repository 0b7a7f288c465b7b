import Foundation
import Glibc
import Testing
import TestSupport

/// `spliced` with its state directory (`-g`) on a small tmpfs that the test fills: operations fail with Docker's
/// "no space left on device" naming what was being written, nothing is leaked (addresses, containers), and once
/// space is freed the same operations work.
@Suite("a full disk loses nothing", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct FullDiskTests {
    /// A lab whose graph is a 32 MiB tmpfs (room for the busybox image and a few containers).
    static func lab(_ tag: String) throws -> DaemonLab {
        try DaemonLab(tag) { _ in
            let graph = NSTemporaryDirectory() + "splice-daemon-\(getpid())-\(tag)/graph"
            try FileManager.default.createDirectory(atPath: graph, withIntermediateDirectories: true)
            try run("/bin/mount", ["-t", "tmpfs", "-o", "size=32m,mode=0700", "tmpfs", graph])
        }
    }

    /// Fills the graph's file system to the last block with `filler-*` files (again after something freed space).
    static func fill(_ lab: DaemonLab, _ round: Int = 1) throws {
        _ = try runStatus("/bin/dd", ["if=/dev/zero", "of=\(lab.graph)/filler-\(round)-large", "bs=1M"])
        _ = try runStatus("/bin/dd", ["if=/dev/zero", "of=\(lab.graph)/filler-\(round)-small", "bs=4k"])
        var info = statvfs()
        try #require(statvfs(lab.graph, &info) == 0)
        try #require(info.f_bavail == 0, "the graph still has \(info.f_bavail) free blocks")
    }

    /// Removes the filler files.
    static func free(_ lab: DaemonLab) throws {
        for entry in try FileManager.default.contentsOfDirectory(atPath: lab.graph) where entry.hasPrefix("filler-") {
            try FileManager.default.removeItem(atPath: lab.graph + "/" + entry)
        }
    }

    /// The container's IPv4 address on eth0, as `ip -o -4 addr` shows it.
    static let showAddress = ["sh", "-c", "ip -o -4 addr show eth0 | awk '{print $4}'"]

    @Test("run, run --rm and create fail with ENOSPC on a full disk, exec and rm work, nothing leaks, all works after")
    func fullDisk() throws {
        let lab = try Self.lab("disk")
        let first = try lab.docker(["run", "--rm", "bb"] + Self.showAddress)
        try #require(first.status == 0, "\(first.stderr)\n\(lab.daemonLog())")
        let firstAddress = first.stdout
        let keep = try lab.docker(["run", "-d", "--name", "keep", "bb", "sleep", "600"])
        try #require(keep.status == 0, "\(keep.stderr)")

        let later = try lab.docker(["create", "--rm", "--name", "rm-later", "bb", "true"])
        try #require(later.status == 0, "\(later.stderr)")

        try Self.fill(lab)
        // A `--rm` container whose start fails on the full disk is removed, not left Created.
        let start = try lab.docker(["start", "rm-later"])
        #expect(start.status != 0 && start.stderr.contains("no space left on device"), "\(start.stderr)")
        // Its removal freed a little space: fill that too, so that each create below meets a full disk.
        try Self.fill(lab, 2)
        for arguments in [["run", "--rm", "bb", "true"], ["run", "-d", "bb", "sleep", "600"],
                          ["create", "bb", "true"], ["run", "--rm", "--name", "doomed", "bb", "true"]] {
            let result = try lab.docker(arguments)
            // The CLI's status for a refused `run` is 125, for a refused `create` 1.
            #expect(result.status == (arguments[0] == "run" ? 125 : 1),
                    "\(arguments): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("no space left on device"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(lab.graph), "the error names what was written: \(result.stderr)")
        }
        // Image changes: a tag and an import.
        for arguments in [["tag", "bb", "bb:full"], ["import", lab.directory + "/bb.tar", "bb:imported"]] {
            let result = try lab.docker(arguments)
            #expect(result.status != 0 && result.stderr.contains("no space left on device"),
                    "\(arguments): \(result.stderr)")
        }
        let network = try lab.docker(["network", "create", "fullnet"])
        #expect(network.status != 0 && network.stderr.contains("no space left on device"), "\(network.stderr)")
        // exec needs no disk: it runs, or says the disk is full.
        let exec = try lab.docker(["exec", "keep", "echo", "exec-ok"])
        #expect(exec.status == 0 && exec.stdout == "exec-ok\n"
                    || exec.stderr.contains("no space left on device"), "\(exec.stdout)\(exec.stderr)")
        #expect(!exec.stderr.contains("Operation canceled"), "\(exec.stderr)")
        // Nothing stray: only `keep`, no Created leftover of a failed run (named or not).
        let listed = try lab.docker(["ps", "-a", "--format", "{{.Names}} {{.State}}"])
        #expect(listed.stdout == "keep running\n", "\(listed.stdout)\(listed.stderr)")
        // Removal needs no space, and gives the address back although the disk is full.
        let removed = try lab.docker(["rm", "-f", "keep"])
        #expect(removed.status == 0, "\(removed.stderr)")
        let none = try lab.docker(["ps", "-aq"])
        #expect(none.stdout.isEmpty, "\(none.stdout)")

        try Self.free(lab)
        // Nothing leaked: a fresh run gets the first address again, and exec works.
        let fresh = try lab.docker(["run", "--rm", "--name", "doomed", "bb"] + Self.showAddress)
        #expect(fresh.status == 0 && fresh.stdout == firstAddress, "\(fresh.stdout)\(fresh.stderr)")
        let again = try lab.docker(["run", "-d", "--name", "again", "bb", "sleep", "600"])
        #expect(again.status == 0, "\(again.stderr)")
        let exec2 = try lab.docker(["exec", "again", "echo", "exec-ok"])
        #expect(exec2.status == 0 && exec2.stdout == "exec-ok\n", "\(exec2.stderr)")
        #expect(try lab.docker(["rm", "-f", "again"]).status == 0)
        let images = try lab.docker(["images", "--format", "{{.Repository}}:{{.Tag}}"])
        #expect(images.stdout == "bb:latest\n", "\(images.stdout)")
        #expect(try lab.docker(["tag", "bb", "bb:full"]).status == 0)
        let networks = try lab.docker(["network", "ls", "--format", "{{.Name}}"])
        #expect(!networks.stdout.contains("fullnet"), "\(networks.stdout)")
        let made = try lab.docker(["network", "create", "fullnet"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try lab.docker(["network", "rm", "fullnet"]).status == 0)
        let created = try lab.docker(["create", "--name", "later", "bb", "true"])
        #expect(created.status == 0, "\(created.stderr)")
        let after = try lab.docker(["ps", "-a", "--format", "{{.Names}} {{.State}}"])
        #expect(after.stdout == "later created\n", "\(after.stdout)\(after.stderr)")
    }
}
