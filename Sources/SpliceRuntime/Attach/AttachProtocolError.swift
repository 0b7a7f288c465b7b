/// A violation of the attach protocol (see `AttachMessage`).
public enum AttachProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame that cannot be decoded.
    case malformed(String)
    /// The peer answered with something other than what the protocol expects at this point.
    case unexpected(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "attach protocol: malformed frame: \(reason)"
        case .unexpected(let reason): "attach protocol: unexpected \(reason)"
        }
    }
}
