import Foundation
import Glibc
import TestSupport
import Testing

/// `docker cp` in both directions and `docker export` against a real `spliced`: files and directories, running and
/// stopped containers, and symlinks inside a container that point at the host's paths (they resolve inside the
/// container's root, so the host is neither read nor written).
@Suite("cp and export through spliced", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct ArchiveCommandTests {
    @Test func copyInAndOutOfARunningContainer() throws {
        let lab = try DaemonLab("cp")
        #expect(try lab.docker(["run", "-d", "--name", "box", "--net=none", "bb", "sleep", "600"]).status == 0)
        let setup = try lab.docker(["exec", "box", "sh", "-c", "mkdir /newdir && echo data > /newdir/file.txt"])
        #expect(setup.status == 0)

        let upload = lab.directory + "/upload.txt"
        try "to-container\n".write(toFile: upload, atomically: true, encoding: .utf8)
        let renamed = try lab.docker(["cp", upload, "box:/tmp/renamed.txt"])
        #expect(renamed.status == 0, "\(renamed.stderr)")
        #expect(try lab.docker(["exec", "box", "cat", "/tmp/renamed.txt"]).stdout == "to-container\n")
        #expect(try lab.docker(["cp", upload, "box:/newdir"]).status == 0)
        #expect(try lab.docker(["exec", "box", "cat", "/newdir/upload.txt"]).stdout == "to-container\n")

        let tree = lab.directory + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
        try "deep\n".write(toFile: tree + "/sub/deep.txt", atomically: true, encoding: .utf8)
        #expect(try lab.docker(["cp", tree, "box:/tree-copy"]).status == 0)
        #expect(try lab.docker(["exec", "box", "cat", "/tree-copy/sub/deep.txt"]).stdout == "deep\n")

        let out = lab.directory + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let file = try lab.docker(["cp", "box:/newdir/file.txt", out + "/copied.txt"])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(try String(contentsOfFile: out + "/copied.txt", encoding: .utf8) == "data\n")
        #expect(try lab.docker(["cp", "box:/newdir", out + "/newdir-copy"]).status == 0)
        #expect(try String(contentsOfFile: out + "/newdir-copy/file.txt", encoding: .utf8) == "data\n")
        #expect(try String(contentsOfFile: out + "/newdir-copy/upload.txt", encoding: .utf8) == "to-container\n")

        let missing = try lab.docker(["cp", "box:/nonexistent", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Could not find the file /nonexistent in container box"), "\(missing.stderr)")

        let streamed = try lab.docker(["cp", "box:/newdir/file.txt", "-"])
        #expect(streamed.status == 0)
        #expect(streamed.stdout.hasPrefix("file.txt"), "a tar whose entry is the base name")

        let until = String(time(nil) + 1)
        let events = try lab.docker(["events", "--since", "1", "--until", until, "--filter", "container=box",
                                     "--format", "{{.Action}}"]).stdout.split(separator: "\n").map(String.init)
        #expect(events.contains("extract-to-dir") && events.contains("archive-path"), "\(events)")
    }

    @Test func copyInAndOutOfAStoppedContainer() throws {
        let lab = try DaemonLab("cpstop")
        #expect(try lab.docker(["create", "--name", "idle", "--net=none", "bb", "cat", "/etc/greeting"]).status == 0)
        let greeting = lab.directory + "/greeting"
        try "hello from cp\n".write(toFile: greeting, atomically: true, encoding: .utf8)
        let copied = try lab.docker(["cp", greeting, "idle:/etc/greeting"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let run = try lab.docker(["start", "-a", "idle"])
        #expect(run.stdout == "hello from cp\n", "\(run.stderr)")
        let out = lab.directory + "/back"
        #expect(try lab.docker(["cp", "idle:/etc/greeting", out]).status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "hello from cp\n")
        #expect(try lab.docker(["cp", "idle:/bin/busybox", lab.directory + "/busybox-copy"]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: "/bin/busybox", andPath: lab.directory + "/busybox-copy"))
    }

    /// A container points symlinks at a host directory (absolute, and through `..`): `cp` out of them finds no file,
    /// and `cp` into them never writes the host's directory (CVE-2018-15664, CVE-2019-14271 classes).
    @Test func symlinksInTheContainerStayInsideIt() throws {
        let lab = try DaemonLab("cpsym")
        let hostDirectory = lab.directory + "/host-secret"
        try FileManager.default.createDirectory(atPath: hostDirectory, withIntermediateDirectories: true)
        try "secret\n".write(toFile: hostDirectory + "/secret.txt", atomically: true, encoding: .utf8)
        #expect(try lab.docker(["run", "-d", "--name", "evil", "--net=none", "bb", "sleep", "600"]).status == 0)
        let links = "ln -s \(hostDirectory) /tmp/abs && ln -s ../../../../../../..\(hostDirectory) /tmp/rel"
            + " && ln -s / /tmp/root"
        #expect(try lab.docker(["exec", "evil", "sh", "-c", links]).status == 0)
        let out = lab.directory + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let sources = ["evil:/tmp/abs/secret.txt", "evil:/tmp/rel/secret.txt",
                       "evil:/tmp/root\(hostDirectory)/secret.txt"]
        for source in sources {
            let result = try lab.docker(["cp", source, out + "/stolen"])
            #expect(result.status != 0, "\(source) was copied")
            #expect(!FileManager.default.fileExists(atPath: out + "/stolen"))
        }
        let payload = lab.directory + "/payload.txt"
        try "payload\n".write(toFile: payload, atomically: true, encoding: .utf8)
        for target in ["evil:/tmp/abs/", "evil:/tmp/rel/payload.txt", "evil:/tmp/root\(hostDirectory)/payload.txt"] {
            _ = try lab.docker(["cp", payload, target])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostDirectory) == ["secret.txt"])
        // Through the root link a copy lands in the container's own tree.
        #expect(try lab.docker(["cp", payload, "evil:/tmp/root/payload.txt"]).status == 0)
        #expect(try lab.docker(["exec", "evil", "cat", "/payload.txt"]).stdout == "payload\n")
    }

    @Test func exportIsTheContainersFilesystem() throws {
        let lab = try DaemonLab("export")
        #expect(try lab.docker(["run", "--name", "made", "--net=none", "bb", "sh", "-c",
                                "echo made > /made.txt && rm /bin/sleep"]).status == 0)
        let tarball = lab.directory + "/export.tar"
        let exported = try lab.docker(["export", "made", "-o", tarball])
        #expect(exported.status == 0, "\(exported.stderr)")
        let listing = try run("/bin/tar", ["-tf", tarball])
        let names = Set(listing.split(separator: "\n").map(String.init))
        #expect(names.contains("made.txt"))
        #expect(names.contains("bin/busybox"))
        #expect(!names.contains("bin/sleep"), "a deleted file is not exported")
        #expect(!names.contains { $0.hasPrefix("proc/") && $0.count > 5 }, "nothing mounted is exported")
        let content = try run("/bin/tar", ["-xOf", tarball, "made.txt"])
        #expect(content == "made\n")
    }
}

/// The same commands through Splice's own client: `splice cp` (files, directories, `-` tars, `-L`), `export -o`,
/// `save -o`, `load -i`, `history` and `image prune`.
@Suite("splice cp, export, save, load, history and image prune", .serialized,
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"),
       .enabled(if: DaemonLab.docker != nil, "the docker CLI is not installed (/usr/local/bin/docker or docker.io)"),
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/busybox"),
                "needs /bin/busybox from Debian's busybox-static"))
struct SpliceArchiveCommandTests {
    @Test func spliceCopiesAndArchives() throws {
        let lab = try DaemonLab("splicecp")
        #expect(try lab.splice(["run", "-d", "--name", "box", "--net=none", "bb", "sleep", "600"]).status == 0)
        let tree = lab.directory + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
        try "deep\n".write(toFile: tree + "/sub/deep.txt", atomically: true, encoding: .utf8)
        let copied = try lab.splice(["cp", tree, "box:/tree"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(try lab.splice(["exec", "box", "cat", "/tree/sub/deep.txt"]).stdout == "deep\n")
        #expect(try lab.splice(["exec", "box", "ln", "-s", "/tree/sub", "/link"]).status == 0)

        let out = lab.directory + "/out"
        let back = try lab.splice(["cp", "box:/tree", out])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try String(contentsOfFile: out + "/sub/deep.txt", encoding: .utf8) == "deep\n")
        #expect(try lab.splice(["cp", "-L", "box:/link", lab.directory + "/followed"]).status == 0)
        #expect(try String(contentsOfFile: lab.directory + "/followed/deep.txt", encoding: .utf8) == "deep\n")
        #expect(try lab.splice(["cp", "box:/link", lab.directory + "/kept"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: lab.directory + "/kept") == "/tree/sub")

        let tarball = lab.directory + "/in.tar"
        try run("/bin/tar", ["-C", tree, "-cf", tarball, "sub"])
        let piped = try runStatus("/bin/sh", ["-c", "SPLICE_HOST=unix://\(lab.socket) "
            + "'\(DaemonLab.binary("splice", environment: "SPLICE_BIN"))' cp - box:/tmp < '\(tarball)'"])
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(try lab.splice(["exec", "box", "cat", "/tmp/sub/deep.txt"]).stdout == "deep\n")
        let streamed = try lab.splice(["cp", "box:/tmp/sub/deep.txt", "-"])
        #expect(streamed.stdout.hasPrefix("deep.txt"))

        let missing = try lab.splice(["cp", "box:/nowhere", out])
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error response from daemon: Could not find the file /nowhere in container box\n")

        let exported = lab.directory + "/export.tar"
        #expect(try lab.splice(["export", "-o", exported, "box"]).status == 0)
        #expect(try run("/bin/tar", ["-tf", exported]).contains("tree/sub/deep.txt"))
    }

    @Test func spliceSavesLoadsAndPrunes() throws {
        let lab = try DaemonLab("splicesave")
        let id = try lab.splice(["images", "--no-trunc", "-q", "bb"]).stdout
        let saved = lab.directory + "/bb.tar"
        #expect(try lab.splice(["save", "-o", saved, "bb"]).status == 0)
        #expect(try lab.splice(["rmi", "bb"]).status == 0)
        let loaded = try lab.splice(["load", "-i", saved])
        #expect(loaded.stdout == "Loaded image: bb:latest\n", "\(loaded.stderr)")
        #expect(try lab.splice(["images", "--no-trunc", "-q", "bb"]).stdout == id)
        let history = try lab.splice(["history", "bb"])
        #expect(history.stdout.hasPrefix("IMAGE          CREATED"), "\(history.stdout)")
        #expect(history.stdout.contains("Imported from -"))
        #expect(try lab.splice(["import", saved]).status == 0, "a save tar imports as a plain rootfs, dangling")
        let pruned = try lab.splice(["image", "prune", "-f"])
        #expect(pruned.stdout.hasPrefix("Deleted Images:\ndeleted: sha256:"), "\(pruned.stdout)\(pruned.stderr)")
        #expect(try lab.splice(["images", "-q"]).stdout == String(id.dropFirst("sha256:".count).prefix(12)) + "\n")
    }
}

extension UserNamespaceTests {
    /// `docker cp` into a remapped container: what the CLI's tar gives to root belongs to the container's root (the
    /// subordinate base on the host); a stopped one is copied into when its layers are shifted copies, and refused
    /// with a clear error when they are idmapped (that shift exists only inside the container's own mounts).
    @Test func copyIntoARemappedContainer() throws {
        try withRemapLab("usrcp") { lab, _ in
            let payload = lab.directory + "/payload.txt"
            try "payload\n".write(toFile: payload, atomically: true, encoding: .utf8)
            #expect(try lab.docker(["run", "-d", "--name", "live", "--net=none", "bb", "sleep", "300"]).status == 0)
            let copied = try lab.docker(["cp", payload, "live:/tmp/payload.txt"])
            #expect(copied.status == 0, "\(copied.stderr)\n\(lab.daemonLog())")
            let listed = try lab.docker(["exec", "live", "ls", "-ln", "/tmp/payload.txt"]).stdout
            #expect(listed.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).prefix(2)
                .joined(separator: " ") == "0 0", "\(listed)")
            let back = lab.directory + "/back.txt"
            #expect(try lab.docker(["cp", "live:/tmp/payload.txt", back]).status == 0)
            #expect(try String(contentsOfFile: back, encoding: .utf8) == "payload\n")

            #expect(try lab.docker(["create", "--name", "idle", "--net=none", "bb", "ls", "-ln", "/etc/payload.txt"])
                .status == 0)
            let stopped = try lab.docker(["cp", payload, "idle:/etc/payload.txt"])
            if stopped.status == 0 {
                let run = try lab.docker(["start", "-a", "idle"]).stdout
                #expect(run.split(separator: " ", omittingEmptySubsequences: true).dropFirst(2).prefix(2)
                    .joined(separator: " ") == "0 0", "\(run)")
            } else {
                let refusal = "copying into a stopped user-namespaced container is not supported yet"
                #expect(stopped.stderr.contains(refusal), "\(stopped.stderr)")
            }
        }
    }
}
