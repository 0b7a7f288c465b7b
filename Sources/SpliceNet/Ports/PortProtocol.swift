/// The transport protocol of a published port.
public enum PortProtocol: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// TCP.
    case tcp
    /// UDP.
    case udp

    public var description: String { rawValue }
}
