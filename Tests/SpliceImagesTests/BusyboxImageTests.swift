import Foundation
import Glibc
import SpliceImages
import TestSupport
import Testing

/// Imports a busybox rootfs built from Debian's busybox-static and unpacks it for the runtime.
@Suite(
    .enabled(
        if: Privileges.canCreateNamespaces && FileManager.default.fileExists(atPath: "/bin/busybox"),
        "needs root (device nodes, ownership) and /bin/busybox (busybox-static)"))
struct BusyboxImageTests {
    @Test func importAndUnpackBusybox() throws {
        let directory = try TemporaryDirectory()
        let rootfs = directory.path + "/rootfs"
        try Shell.sh(
            """
            set -e
            mkdir -p '\(rootfs)/bin' '\(rootfs)/dev' '\(rootfs)/etc' '\(rootfs)/home/user' '\(rootfs)/tmp'
            cp /bin/busybox '\(rootfs)/bin/busybox'
            for tool in sh echo ls cat mkdir rm sleep; do ln -s busybox '\(rootfs)/bin/'$tool; done
            echo 'root:x:0:0:root:/root:/bin/sh' > '\(rootfs)/etc/passwd'
            chown 1000:1000 '\(rootfs)/home/user'
            chmod 1777 '\(rootfs)/tmp'
            ln '\(rootfs)/etc/passwd' '\(rootfs)/etc/passwd.hard'
            """)
        let store = try ImageStore(root: directory.path + "/images")
        let pipe = Pipe()
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-C", rootfs, "-c", "."]
        tar.standardOutput = pipe
        try tar.run()
        let id = try store.importImage(
            from: pipe.fileHandleForReading.fileDescriptor,
            options: ImportOptions(reference: "bb:latest", changes: [#"CMD ["sh"]"#]))
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)

        let rows = try store.images(filters: ImageFilters(references: ["bb"]))
        #expect(rows.map(\.Id) == [id.description])
        #expect((rows.first?.Size ?? 0) > 1_900_000)

        let lowers = try store.lowerDirectories(for: "bb")
        #expect(lowers.count == 1)
        let lower = try #require(lowers.first)
        #expect(try Shell.sh("cmp /bin/busybox '\(lower)/bin/busybox' && echo same") == "same\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: lower + "/bin/sh") == "busybox")
        var info = stat()
        #expect(stat(lower + "/home/user", &info) == 0 && info.st_uid == 1000 && info.st_gid == 1000)
        #expect(stat(lower + "/tmp", &info) == 0 && info.st_mode & 0o7777 == 0o1777)
        var hard = stat()
        #expect(stat(lower + "/etc/passwd.hard", &hard) == 0 && stat(lower + "/etc/passwd", &info) == 0)
        #expect(hard.st_ino == info.st_ino)
        #expect(try run(lower + "/bin/busybox", ["echo", "hello from the layer"]) == "hello from the layer\n")
        #expect(try store.inspect("bb").GraphDriver.Data?["LowerDir"] == lower)

        // A device node in the tar refuses the whole import (issue 12, tar safety), and no image is left.
        try Shell.sh("mknod '\(rootfs)/dev/null' c 1 3 && tar -C '\(rootfs)' -cf '\(directory.path)/dev.tar' .")
        let descriptor = open(directory.path + "/dev.tar", O_RDONLY)
        defer { close(descriptor) }
        let error = try #require(throws: ImageError.self) {
            try store.importImage(from: descriptor, options: ImportOptions(reference: "withdev:latest"))
        }
        #expect(error.message == "refusing layer entry ./dev/null: device nodes are not extracted")
        #expect(try store.images().map(\.Id) == [id.description])
    }
}
