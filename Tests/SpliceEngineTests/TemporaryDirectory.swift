import Foundation

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let path: String
    init(_ tag: String) throws {
        path = NSTemporaryDirectory() + "splice-engine-\(getpid())-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
