import Foundation
import NetlinkKit
import SpliceNet
import SystemKit
import TestSupport
import Testing

/// IPAM on a full disk: the state directory on a small tmpfs that the test fills. Releases still commit (from the
/// store's reserve), so no address stays allocated to a container that is gone; allocations fail with ENOSPC.
@Suite(.enabled(if: geteuid() == 0, "mounts a tmpfs; run as root"))
struct IPAMFullDiskTests {
    @Test func releasesCommitOnAFullDiskAndAllocationsFailWithENOSPC() throws {
        var template = Array("/tmp/splice-ipam-full-XXXXXX".utf8CString)
        let directory = try #require(mkdtemp(&template).map { String(cString: $0) })
        try run("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", directory])
        defer {
            umount2(directory, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: directory)
        }
        let ipam = try IPAM(stateDirectory: directory + "/ipam")
        _ = try ipam.createPool(name: "n1", subnet: IPNetwork("10.77.0.0/24"))
        let first = try ipam.allocate(in: "n1", owner: "c1")
        let second = try ipam.allocate(in: "n1", owner: "c2")
        // Fill the file system to its last block.
        _ = try runStatus("/bin/dd", ["if=/dev/zero", "of=\(directory)/filler", "bs=4k"])
        var info = statvfs()
        try #require(statvfs(directory, &info) == 0 && info.f_bavail == 0)

        let refused = #expect(throws: IPAMError.self) { try ipam.allocate(in: "n1", owner: "c3") }
        #expect(refused == .state(SystemError("write", errno: .noSpace, path: directory + "/ipam/ipam.json")))
        try ipam.release(first, in: "n1")
        try ipam.release(second, in: "n1")
        #expect(try ipam.pool(named: "n1")?.allocations.isEmpty == true)

        // Space again: the reserve is made anew and the first address is free.
        try FileManager.default.removeItem(atPath: directory + "/filler")
        #expect(try ipam.allocate(in: "n1", owner: "c4") == first)
        var reserve = stat()
        #expect(stat(directory + "/ipam/ipam.reserve", &reserve) == 0 && reserve.st_blocks * 512 >= 256 * 1024)
    }
}
