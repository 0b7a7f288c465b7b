import Foundation
import Glibc
import Testing
@testable import SpliceRuntime

@Suite("Unix sockets at long paths")
struct UnixSocketTests {
    @Test("a path longer than sun_path is bound and reached through /proc/self/fd, with mode 0600")
    func longPath() throws {
        let directory = NSTemporaryDirectory() + "splice-sock-\(getpid())/" + String(repeating: "d", count: 120)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "splice-sock-\(getpid())") }
        let path = directory + "/attach.sock"
        #expect(path.utf8.count > 108)
        let listener = try UnixSocket.listen(at: path)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFSOCK && info.st_mode & 0o777 == 0o600)
        let client = try UnixSocket.connect(to: path)
        let accepted = accept(listener.rawValue, nil, nil)
        #expect(accepted >= 0)
        var byte: UInt8 = 42
        #expect(write(client.rawValue, &byte, 1) == 1)
        byte = 0
        #expect(read(accepted, &byte, 1) == 1 && byte == 42)
        close(accepted)
        #expect(throws: (any Error).self) { try UnixSocket.connect(to: directory + "/missing.sock") }
    }
}
