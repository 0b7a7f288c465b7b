/// One message of the attach protocol between a container's monitor and its clients, over `attach.sock`.
///
/// Every message is a frame: a 1-byte type, a 4-byte big-endian payload length, then the payload.
///
/// Client → monitor:
/// - `0x01` hello, payload 1 byte of flags (bit 0: replay the output kept since start, bit 1: this client sends
///   stdin). Must come first; the monitor sends nothing before it.
/// - `0x02` stdin data, payload the bytes (ignored unless the container has `openStdin`).
/// - `0x03` stdin close (with `stdinOnce`, from the first client that said it sends stdin: the container's stdin
///   ends: its pipe closes, or with a TTY the terminal's EOF character, ^D, is written).
/// - `0x04` resize, payload rows and columns as 2-byte big-endian numbers (`TIOCSWINSZ` on the terminal).
///
/// Monitor → client:
/// - `0x10` welcome, the answer to hello, payload 1 byte of flags (bit 0: TTY, bit 1: stdin is open).
/// - `0x11` output, payload 1 byte stream (1 stdout, 2 stderr; with a TTY always 1) then the bytes.
/// - `0x12` end: the container's output has ended; the monitor closes the connection after it.
///
/// The monitor keeps the last 1 MiB of output (whole frames, oldest dropped) for hello with replay. It never
/// blocks on a client: a client whose unsent output exceeds `AttachMessage.clientBacklogLimit` is disconnected
/// (its output is not silently thinned out, so what a client receives is always a contiguous piece).
enum AttachMessage: Equatable, Sendable {
    /// Client → monitor: the first message.
    case hello(replay: Bool, stdin: Bool)
    /// Client → monitor: bytes for the container's stdin.
    case stdin([UInt8])
    /// Client → monitor: this client's stdin ended.
    case closeStdin
    /// Client → monitor: new terminal size.
    case resize(TerminalSize)
    /// Monitor → client: the answer to hello.
    case welcome(tty: Bool, openStdin: Bool)
    /// Monitor → client: a piece of output.
    case output(AttachFrame)
    /// Monitor → client: the output has ended.
    case end

    /// The size of a frame header: type and length.
    static let headerSize = 5
    /// The largest payload a decoder accepts.
    static let maximumPayload = 1 << 20
    /// How much output the monitor keeps for replay.
    static let replayLimit = 1 << 20
    /// How much unsent output a client may have before the monitor disconnects it (replay plus 3 MiB).
    static let clientBacklogLimit = 4 << 20

    /// The frame's type byte.
    var type: UInt8 {
        switch self {
        case .hello: 0x01
        case .stdin: 0x02
        case .closeStdin: 0x03
        case .resize: 0x04
        case .welcome: 0x10
        case .output: 0x11
        case .end: 0x12
        }
    }

    /// The encoded frame.
    func encoded() -> [UInt8] {
        let payload: [UInt8]
        switch self {
        case .hello(let replay, let stdin): payload = [(replay ? 1 : 0) | (stdin ? 2 : 0)]
        case .stdin(let bytes): payload = bytes
        case .closeStdin, .end: payload = []
        case .resize(let size):
            payload = [UInt8(size.rows >> 8), UInt8(size.rows & 0xff), UInt8(size.columns >> 8),
                       UInt8(size.columns & 0xff)]
        case .welcome(let tty, let openStdin): payload = [(tty ? 1 : 0) | (openStdin ? 2 : 0)]
        case .output(let frame): payload = [frame.stream.rawValue] + frame.bytes
        }
        let length = UInt32(payload.count)
        return [type, UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff),
                UInt8(length & 0xff)] + payload
    }

    /// Decodes one frame's payload of type `type`; throws on an unknown type or a malformed payload.
    static func decode(type: UInt8, payload: ArraySlice<UInt8>) throws(AttachProtocolError) -> AttachMessage {
        let bytes = Array(payload)
        switch type {
        case 0x01:
            guard bytes.count == 1 else { throw .malformed("hello payload of \(bytes.count) bytes") }
            return .hello(replay: bytes[0] & 1 != 0, stdin: bytes[0] & 2 != 0)
        case 0x02: return .stdin(bytes)
        case 0x03: return .closeStdin
        case 0x04:
            guard bytes.count == 4 else { throw .malformed("resize payload of \(bytes.count) bytes") }
            return .resize(TerminalSize(rows: UInt16(bytes[0]) << 8 | UInt16(bytes[1]),
                                        columns: UInt16(bytes[2]) << 8 | UInt16(bytes[3])))
        case 0x10:
            guard bytes.count == 1 else { throw .malformed("welcome payload of \(bytes.count) bytes") }
            return .welcome(tty: bytes[0] & 1 != 0, openStdin: bytes[0] & 2 != 0)
        case 0x11:
            guard let first = bytes.first, let stream = AttachFrame.Stream(rawValue: first) else {
                throw .malformed("output frame without a valid stream")
            }
            return .output(AttachFrame(stream: stream, bytes: Array(bytes.dropFirst())))
        case 0x12: return .end
        default: throw .malformed("unknown frame type \(type)")
        }
    }
}
