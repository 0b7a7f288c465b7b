import CLinuxShims
import Glibc
import SystemKit

/// One client connected to the monitor's attach socket: its socket, what it sent but was not decoded yet, and what
/// the monitor still has to send it.
final class AttachClient {
    let socket: FileDescriptor
    var decoder = AttachMessageDecoder()
    /// Whether hello arrived (before it the client gets nothing).
    var greeted = false
    /// Whether the client said it sends stdin and has not closed it.
    var sendsStdin = false
    private var outgoing: [UInt8] = []
    private var sent = 0

    /// Wraps an accepted, non-blocking socket.
    init(socket: FileDescriptor) { self.socket = socket }

    /// Bytes queued but not sent.
    var backlog: Int { outgoing.count - sent }

    /// Queues `bytes`.
    func queue(_ bytes: [UInt8]) {
        if sent > 0 && sent * 2 >= outgoing.count {
            outgoing.removeFirst(sent)
            sent = 0
        }
        outgoing.append(contentsOf: bytes)
    }

    /// Sends what the socket takes without blocking; false when the client is gone.
    func flush() -> Bool {
        let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)
        while sent < outgoing.count {
            let offset = sent
            let count = outgoing.withUnsafeBytes { raw in
                Glibc.send(socket.rawValue, raw.baseAddress.map { $0 + offset }, raw.count - offset, flags)
            }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                return Errno.current == .tryAgain
            }
            sent += count
        }
        outgoing.removeAll(keepingCapacity: true)
        sent = 0
        return true
    }
}
