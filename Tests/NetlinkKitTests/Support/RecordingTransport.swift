import CLinuxShims
import Synchronization
import SystemKit

@testable import NetlinkKit

/// A `NetlinkTransport` that records every datagram sent and answers from a script instead of the kernel.
/// `respond` sees each request message and returns the datagrams the "kernel" sends back; by default every
/// request gets an ACK. A receive with nothing queued fails with EAGAIN instead of blocking.
final class RecordingTransport: NetlinkTransport {
    typealias Responder = @Sendable (NetlinkMessage) -> [[UInt8]]

    let portID: UInt32
    private let state: Mutex<State>

    private struct State {
        var sent: [[UInt8]] = []
        var queue: [[UInt8]] = []
        var respond: Responder
    }

    init(portID: UInt32 = 4242, respond: @escaping Responder = { [Reply.ack(to: $0)] }) {
        self.portID = portID
        state = Mutex(State(respond: respond))
    }

    /// Every datagram sent so far.
    var sent: [[UInt8]] { state.withLock { $0.sent } }

    /// The messages of every datagram sent so far.
    var sentMessages: [NetlinkMessage] { sent.flatMap { (try? NetlinkMessage.split($0)) ?? [] } }

    /// Replaces the script for later requests.
    func respond(with respond: @escaping Responder) { state.withLock { $0.respond = respond } }

    /// Queues datagrams to be received before any scripted answer.
    func enqueue(_ datagrams: [[UInt8]]) { state.withLock { $0.queue += datagrams } }

    func send(_ datagram: [UInt8]) throws(NetlinkError) {
        let requests: [NetlinkMessage]
        do { requests = try NetlinkMessage.split(datagram) } catch { throw error }
        state.withLock { state in
            state.sent.append(datagram)
            for request in requests { state.queue += state.respond(request) }
        }
    }

    func receive() throws(NetlinkError) -> [UInt8] {
        let next: [UInt8]? = state.withLock { state in state.queue.isEmpty ? nil : state.queue.removeFirst() }
        guard let next else { throw .system(SystemError("recv(mock)", errno: .tryAgain)) }
        return next
    }
}

/// Builders for the kernel's side of an exchange.
enum Reply {
    /// `NLMSG_ERROR` with error 0, as the kernel acknowledges a request (`NETLINK_CAP_ACK`: header only).
    static func ack(to request: NetlinkMessage, portID: UInt32 = 4242) -> [UInt8] {
        error(0, to: request, portID: portID)
    }

    /// `NLMSG_ERROR` with `-errno`; with `message`, extended-ACK TLVs follow, after the whole original request
    /// or, when `capped`, after its header only.
    static func error(_ errno: Int32, to request: NetlinkMessage, message: String? = nil, capped: Bool = true,
                      portID: UInt32 = 4242) -> [UInt8]
    {
        var payload: [UInt8] = []
        payload.appendLittleEndian(-errno)
        let original = request.encoded()
        payload += capped || errno == 0 ? Array(original[0..<NetlinkMessage.headerSize]) : original
        var flags: UInt16 = 0
        if capped && errno != 0 { flags |= UInt16(NLM_F_CAPPED) }
        if let message {
            var writer = AttributeWriter()
            writer.append(UInt16(NLMSGERR_ATTR_MSG.rawValue), string: message)
            payload += writer.bytes
            flags |= UInt16(NLM_F_ACK_TLVS)
        }
        return NetlinkMessage(type: UInt16(NLMSG_ERROR), flags: flags, sequence: request.sequence, portID: portID,
                              payload: payload).encoded()
    }

    /// `NLMSG_DONE` ending a dump, with `status` (0, or a negative errno) as its payload.
    static func done(to request: NetlinkMessage, flags: UInt16 = UInt16(NLM_F_MULTI), status: Int32 = 0,
                     portID: UInt32 = 4242) -> [UInt8]
    {
        var payload: [UInt8] = []
        payload.appendLittleEndian(status)
        return NetlinkMessage(type: UInt16(NLMSG_DONE), flags: flags, sequence: request.sequence, portID: portID,
                              payload: payload).encoded()
    }

    /// One datagram holding `messages`, restamped with the request's sequence number and the port id.
    static func datagram(_ messages: [NetlinkMessage], answering request: NetlinkMessage, portID: UInt32 = 4242)
        -> [UInt8]
    {
        messages.flatMap { $0.restamped(sequence: request.sequence, portID: portID).encoded() }
    }
}
