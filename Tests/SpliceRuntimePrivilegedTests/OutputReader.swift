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
        // The pending watchdog keeps its closure until the deadline; clearing the box releases what `cancel`
        // captured as soon as we are done.
        let box = Box(cancel)
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { box.take()?() }
        defer { _ = box.take() }
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

    /// Holds a closure until it is taken once.
    private final class Box: Sendable {
        private let closure: Mutex<(@Sendable () -> Void)?>
        init(_ closure: @escaping @Sendable () -> Void) { self.closure = Mutex(closure) }
        func take() -> (@Sendable () -> Void)? {
            closure.withLock { value in
                defer { value = nil }
                return value
            }
        }
    }
}
