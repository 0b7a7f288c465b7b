import CLinuxShims
import Synchronization
import SystemKit

/// A route netlink socket: sends requests, checks every reply's sequence number and port id, and turns
/// `NLMSG_ERROR` into `NetlinkError.kernel` with the extended-ACK text.
public final class NetlinkSocket: Sendable {
    /// The datagram carrier.
    public let transport: any NetlinkTransport
    private let sequence: Mutex<UInt32>

    /// Wraps a transport; sequence numbers start at 1.
    public init(transport: any NetlinkTransport) {
        self.transport = transport
        sequence = Mutex(0)
    }

    /// Opens a socket in the calling thread's network namespace.
    public convenience init() throws(NetlinkError) {
        self.init(transport: try KernelTransport())
    }

    /// Opens a socket bound to `namespace`, entering it on a dedicated thread.
    public static func open(in namespace: NetworkNamespace) throws(NetlinkError) -> NetlinkSocket {
        do {
            return try namespace.perform { () throws(NetlinkError) in try NetlinkSocket() }
        } catch {
            switch error {
            case .enter(let system): throw .system(system)
            case .body(let netlink): throw netlink
            }
        }
    }

    /// Sends a request with `NLM_F_ACK` and waits for the kernel's acknowledgement.
    /// `operation` names the request in errors, e.g. `create veth "vsp1"`.
    public func execute(_ type: UInt16, flags: UInt16 = 0, payload: [UInt8], operation: String)
        throws(NetlinkError)
    {
        _ = try exchange(type, flags: flags | UInt16(NLM_F_ACK), payload: payload, operation: operation)
    }

    /// Sends a `GET` request and returns the single reply message.
    public func query(_ type: UInt16, payload: [UInt8], operation: String) throws(NetlinkError) -> NetlinkMessage {
        let replies = try exchange(type, flags: 0, payload: payload, operation: operation)
        guard let reply = replies.first else {
            throw .malformed(reason: "no reply to \(operation)", offset: 0)
        }
        return reply
    }

    /// Sends a dump request (`NLM_F_DUMP`) and collects every reply message until `NLMSG_DONE`.
    public func dump(_ type: UInt16, payload: [UInt8], operation: String) throws(NetlinkError) -> [NetlinkMessage] {
        try exchange(type, flags: UInt16(NLM_F_DUMP), payload: payload, operation: operation)
    }

    /// How often a dump the kernel marks interrupted (a concurrent change, `NLM_F_DUMP_INTR`) is asked again: a
    /// dump only reads, so asking again is safe, and another process changing links (a parallel `pipework`, a
    /// daemon) is a normal event, not an error for the caller.
    static let dumpAttempts = 10

    private func exchange(_ type: UInt16, flags: UInt16, payload: [UInt8], operation: String)
        throws(NetlinkError) -> [NetlinkMessage]
    {
        var attempt = 1
        while true {
            do {
                return try exchangeOnce(type, flags: flags, payload: payload, operation: operation)
            } catch .dumpInterrupted where attempt < Self.dumpAttempts {
                attempt += 1
            }
        }
    }

    private func exchangeOnce(_ type: UInt16, flags: UInt16, payload: [UInt8], operation: String)
        throws(NetlinkError) -> [NetlinkMessage]
    {
        try sequence.withLock { (counter: inout UInt32) throws(NetlinkError) -> [NetlinkMessage] in
            counter &+= 1
            let seq = counter
            let request = NetlinkMessage(type: type, flags: UInt16(NLM_F_REQUEST) | flags, sequence: seq,
                                         portID: 0, payload: payload)
            try transport.send(request.encoded())
            return try collectReplies(to: seq, flags: flags, operation: operation)
        }
    }

    private func collectReplies(to seq: UInt32, flags: UInt16, operation: String) throws(NetlinkError)
        -> [NetlinkMessage]
    {
        let isDump = flags & UInt16(NLM_F_DUMP) == UInt16(NLM_F_DUMP)
        let wantsAck = flags & UInt16(NLM_F_ACK) != 0
        var replies: [NetlinkMessage] = []
        var interrupted = false
        while true {
            for message in try NetlinkMessage.split(try transport.receive()) {
                if message.sequence != seq || (message.portID != transport.portID && message.portID != 0) {
                    // A stale reply to an earlier, abandoned request: skip it, but never accept it.
                    if message.sequence < seq { continue }
                    throw .sequenceMismatch(expected: seq, received: message.sequence)
                }
                if message.flags & UInt16(NLM_F_DUMP_INTR) != 0 { interrupted = true }
                switch Int32(message.type) {
                case NLMSG_ERROR:
                    try Self.checkAcknowledgement(message, operation: operation)
                    return replies
                case NLMSG_DONE:
                    try Self.checkDumpStatus(message, operation: operation)
                    if interrupted { throw .dumpInterrupted }
                    return replies
                case NLMSG_NOOP:
                    continue
                default:
                    replies.append(message)
                    if !isDump && !wantsAck { return replies }
                }
            }
        }
    }

    /// Checks the status `NLMSG_DONE` carries: a dump that failed half-way ends with a negative errno (and, with
    /// extended ACKs, the message TLVs right after it) instead of an `NLMSG_ERROR`.
    static func checkDumpStatus(_ message: NetlinkMessage, operation: String) throws(NetlinkError) {
        let payload = message.payload
        guard payload.count >= 4 else { return }
        let code = payload.readLittleEndian(Int32.self, at: 0)
        if code >= 0 { return }
        var text: String?
        if message.flags & UInt16(NLM_F_ACK_TLVS) != 0, let tlvs = try? Attributes(payload, from: 4) {
            text = tlvs.string(UInt16(NLMSGERR_ATTR_MSG.rawValue))
        }
        throw .kernel(errno: Errno(rawValue: -code), operation: operation, message: text)
    }

    /// Decodes an `NLMSG_ERROR` payload: error 0 is an ACK, anything else throws with the extended-ACK text.
    static func checkAcknowledgement(_ message: NetlinkMessage, operation: String) throws(NetlinkError) {
        let payload = message.payload
        guard payload.count >= 4 else { throw .malformed(reason: "short NLMSG_ERROR", offset: 0) }
        let code = payload.readLittleEndian(Int32.self, at: 0)
        if code == 0 { return }
        var text: String?
        if message.flags & UInt16(NLM_F_ACK_TLVS) != 0, payload.count >= 4 + NetlinkMessage.headerSize {
            let originalLength = Int(payload.readLittleEndian(UInt32.self, at: 4))
            let capped = message.flags & UInt16(NLM_F_CAPPED) != 0
            let tlvOffset = 4 + (capped ? NetlinkMessage.headerSize : alignedLength(originalLength))
            if tlvOffset <= payload.count, let tlvs = try? Attributes(payload, from: tlvOffset) {
                text = tlvs.string(UInt16(NLMSGERR_ATTR_MSG.rawValue))
            }
        }
        throw .kernel(errno: Errno(rawValue: -code), operation: operation, message: text)
    }
}
