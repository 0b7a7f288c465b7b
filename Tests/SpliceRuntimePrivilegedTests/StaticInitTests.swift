import Foundation
import Glibc
import TestSupport
import Testing

/// `splice-init` may be injected into containers whose images have no Swift runtime and often no glibc, so it is
/// linked fully static (scripts/setup.sh) and must run inside a rootfs holding nothing but busybox.
@Suite("static splice-init in a busybox-only rootfs",
       .enabled(if: Privileges.canCreateNamespaces, "\(Privileges.reason)"))
struct StaticInitTests {
    /// `$SPLICE_INIT_STATIC_BIN`, which scripts/test.sh sets to the static release build.
    static let binary = ProcessInfo.processInfo.environment["SPLICE_INIT_STATIC_BIN"] ?? ""

    /// Whether it needs no dynamic loader (`ldd` says "not a dynamic executable").
    static let isStatic: Bool = {
        guard !binary.isEmpty, let result = try? runStatus("/usr/bin/ldd", [binary]) else { return false }
        return (result.stdout + result.stderr).contains("not a dynamic executable")
    }()

    @Test(.enabled(if: isStatic, "SPLICE_INIT_STATIC_BIN does not name a statically linked splice-init (scripts/test.sh sets it to .build/static/splice-init)"))
    func runsWithoutALibraryInSight() throws {
        let root = NSTemporaryDirectory() + "splice-init-rootfs-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for directory in ["bin", "proc"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: root + "/bin/busybox")
        try FileManager.default.copyItem(atPath: Self.binary, toPath: root + "/bin/splice-init")
        // No /lib, /lib64 or /usr in the rootfs; /proc is mounted as in every container (the static Swift runtime
        // reads /proc/self/exe at start). The private mount and pid namespaces die with the command.
        let result = try runStatus("/usr/bin/unshare", ["-m", "-p", "-f", "--mount-proc=\(root)/proc",
                                                        "/usr/sbin/chroot", root, "/bin/splice-init"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("usage: splice-init <state-dir>"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/lib"))
    }
}
