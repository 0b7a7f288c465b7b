import Foundation
import SpliceRuntime
import Synchronization

/// Reads frames from an attach connection or an exec until some text shows up, the output ends, or a timeout
/// cancels the read (so a hung container fails the test instead of hanging it).
enum OutputReader {
    /// Accumulates output from `read` until it contains `expected` (returns early) or ends; after `timeout` seconds
    /// `cancel` runs (it must make `read` return nil or throw).
    static func collect(
        until expected: String? = nil, timeout: Double = 10, read: () throws -> AttachFrame?,
        cancel: @escaping @Sendable () -> Void
    ) -> (text: String, streams: Set<AttachFrame.Stream>) {
        let done = Mutex(false)
        let watchdog = DispatchWorkItem {
            if done.withLock({ !$0 }) { cancel() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer {
            done.withLock { $0 = true }
            watchdog.cancel()
        }
        var bytes: [UInt8] = []
        var streams: Set<AttachFrame.Stream> = []
        while let frame = try? read() {
            bytes += frame.bytes
            streams.insert(frame.stream)
            if let expected, String(decoding: bytes, as: UTF8.self).contains(expected) { break }
        }
        return (String(decoding: bytes, as: UTF8.self), streams)
    }

    /// Collects from `connection`, closing it on timeout.
    static func collect(_ connection: AttachConnection, until expected: String? = nil, timeout: Double = 10) -> String {
        collect(until: expected, timeout: timeout, read: connection.read, cancel: { connection.close() }).text
    }
}
