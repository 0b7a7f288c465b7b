import CLinuxShims
import SystemKit
import Testing

@testable import NetlinkKit

/// Parses test literals, failing the test (not crashing) on a typo.
func address(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> IPAddress {
    try #require(IPAddress(text), "bad address literal \(text)", sourceLocation: sourceLocation)
}

func network(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> IPNetwork {
    try #require(IPNetwork(text), "bad network literal \(text)", sourceLocation: sourceLocation)
}

func mac(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> MACAddress {
    try #require(MACAddress(text), "bad MAC literal \(text)", sourceLocation: sourceLocation)
}

/// Netlink header flags as the socket sends them, from `<linux/netlink.h>`.
enum Flags {
    static let request = UInt16(NLM_F_REQUEST)
    static let ack = UInt16(NLM_F_ACK)
    static let dump = UInt16(NLM_F_DUMP)
    static let create = UInt16(NLM_F_CREATE)
    static let exclusive = UInt16(NLM_F_EXCL)
    static let replace = UInt16(NLM_F_REPLACE)
    static let append = UInt16(NLM_F_APPEND)
    static let multi = UInt16(NLM_F_MULTI)
    static let dumpInterrupted = UInt16(NLM_F_DUMP_INTR)

    static let newObject = request | ack | create | exclusive
    static let change = request | ack
}

/// Some namespace handle for encoders that take one. Opening our own `/proc/self/ns/net` needs no privilege,
/// and the encoders only read its descriptor number.
enum TestNamespace {
    static let peer: NetworkNamespace? = try? NetworkNamespace.open(path: "/proc/self/ns/net", label: "peer")

    static func required(sourceLocation: SourceLocation = #_sourceLocation) throws -> NetworkNamespace {
        try #require(peer, "cannot open /proc/self/ns/net", sourceLocation: sourceLocation)
    }
}
