import Glibc
import SystemKit

/// One network interface's counters, as /proc/PID/net/dev lists them for the namespace of process PID.
public struct InterfaceCounters: Sendable, Equatable {
    /// The interface's name inside the namespace (`eth0`).
    public var name: String
    /// Bytes received.
    public var receivedBytes: UInt64
    /// Packets received.
    public var receivedPackets: UInt64
    /// Receive errors.
    public var receiveErrors: UInt64
    /// Received packets dropped.
    public var receiveDropped: UInt64
    /// Bytes sent.
    public var sentBytes: UInt64
    /// Packets sent.
    public var sentPackets: UInt64
    /// Send errors.
    public var sendErrors: UInt64
    /// Packets dropped on send.
    public var sendDropped: UInt64

    /// The interfaces of process `pid`'s network namespace but the loopback, as dockerd reports them; nil when
    /// the process is gone. Reads /proc/PID/net/dev (no namespace switch).
    public static func read(pid: Int32) -> [InterfaceCounters]? {
        guard let bytes = try? FileDescriptor.open("/proc/\(pid)/net/dev", O_RDONLY | O_CLOEXEC).readAll() else {
            return nil
        }
        return parse(String(decoding: bytes, as: UTF8.self)).filter { $0.name != "lo" }
    }

    /// Parses /proc/net/dev text: two header lines, then `name: rx(8 fields) tx(8 fields)` per interface.
    public static func parse(_ text: String) -> [InterfaceCounters] {
        text.split(separator: "\n").compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingPrefix(while: { $0 == " " })
            let values = line[line.index(after: colon)...].split(separator: " ").compactMap { UInt64($0) }
            guard !name.isEmpty, values.count >= 12 else { return nil }
            return InterfaceCounters(name: String(name), receivedBytes: values[0], receivedPackets: values[1],
                                     receiveErrors: values[2], receiveDropped: values[3], sentBytes: values[8],
                                     sentPackets: values[9], sendErrors: values[10], sendDropped: values[11])
        }
    }
}
