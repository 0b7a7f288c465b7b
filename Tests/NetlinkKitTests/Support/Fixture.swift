import CLinuxShims
import Foundation
import Testing

@testable import NetlinkKit

/// A fixture from `Fixtures/` (see its README.md): annotated hex, one field per line, `??` for ignored bytes,
/// `@datagram` lines separating the datagrams of a captured reply.
struct Fixture {
    /// The datagrams in the file; each byte is nil where the fixture says `??`.
    let datagrams: [[UInt8?]]
    let name: String

    /// Loads `Fixtures/<name>.txt`, for example `requests/link-add-bridge`.
    init(_ name: String) throws {
        self.name = name
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil),
                                "the Fixtures resource folder is missing from the test bundle")
        let text = try String(contentsOf: root.appendingPathComponent("\(name).txt"), encoding: .utf8)
        var datagrams: [[UInt8?]] = []
        var current: [UInt8?]?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if line.hasPrefix("@datagram") {
                if let current { datagrams.append(current) }
                current = []
                continue
            }
            for token in line.split(separator: " ") {
                if token == "??" {
                    current = (current ?? []) + [nil]
                } else {
                    let byte = try #require(UInt8(token, radix: 16), "bad hex token '\(token)' in \(name)")
                    current = (current ?? []) + [byte]
                }
            }
        }
        if let current { datagrams.append(current) }
        self.datagrams = datagrams
    }

    /// The single request message of a `requests/` fixture.
    var request: [UInt8?] { datagrams.first ?? [] }

    /// The captured datagrams with no masked bytes (reply fixtures are never masked).
    var replyDatagrams: [[UInt8]] { datagrams.map { $0.map { $0 ?? 0 } } }

    /// Every message of every captured datagram.
    func messages() throws -> [NetlinkMessage] {
        try replyDatagrams.flatMap { try NetlinkMessage.split($0) }
    }
}

/// The size of the family header (`ifinfomsg`, `ifaddrmsg`, `rtmsg`, `ndmsg`) that precedes the attributes.
func familyHeaderSize(forMessageType type: UInt16) -> Int? {
    switch type {
    case MessageType.newLink, MessageType.deleteLink, MessageType.getLink: 16
    case MessageType.newAddress, MessageType.deleteAddress, MessageType.getAddress: 8
    case MessageType.newRoute, MessageType.deleteRoute, MessageType.getRoute: 12
    case MessageType.newNeighbour, MessageType.deleteNeighbour, MessageType.getNeighbour: 12
    default: nil
    }
}

/// Removes top-level attributes of `types` from a (possibly masked) message and fixes `nlmsg_len`.
func removingAttributes(_ types: Set<UInt16>, from message: [UInt8?]) -> [UInt8?] {
    guard !types.isEmpty, message.count >= 16, let low = message[4], let high = message[5],
          let headerSize = familyHeaderSize(forMessageType: UInt16(low) | UInt16(high) << 8)
    else { return message }
    var result = Array(message[0..<(16 + headerSize)])
    var cursor = 16 + headerSize
    while cursor + 4 <= message.count {
        let length = Int(message[cursor] ?? 0) | Int(message[cursor + 1] ?? 0) << 8
        let type = (UInt16(message[cursor + 2] ?? 0) | UInt16(message[cursor + 3] ?? 0) << 8) & 0x3fff
        let padded = max(4, (length + 3) & ~3)
        let end = min(message.count, cursor + padded)
        if !types.contains(type) { result += message[cursor..<end] }
        cursor = end
    }
    let total = UInt32(result.count)
    for index in 0..<4 { result[index] = UInt8(truncatingIfNeeded: total >> (8 * UInt32(index))) }
    return result
}

/// Compares encoded bytes with a request fixture: every byte must match except the fixture's `??` bytes
/// (`nlmsg_seq`, `nlmsg_pid`, namespace descriptors) and top-level attributes of the `ignoring` types that only
/// ip sends (`IFLA_EXT_MASK`).
func expectBytes(_ encoded: [UInt8], match fixtureName: String, ignoring: Set<UInt16> = [],
                 sourceLocation: SourceLocation = #_sourceLocation) throws
{
    let fixture = try Fixture(fixtureName)
    let expected = removingAttributes(ignoring, from: fixture.request)
    let mismatches = zip(expected, encoded).enumerated().filter { _, pair in pair.0 != nil && pair.0 != pair.1 }
    if expected.count == encoded.count && mismatches.isEmpty { return }
    var report = "\(fixtureName): \(encoded.count) bytes encoded, \(expected.count) expected"
    if let first = mismatches.first { report += "; first difference at byte \(first.offset)" }
    report += "\n expected: " + expected.map { $0.map(hex) ?? "??" }.joined(separator: " ")
    report += "\n encoded:  " + encoded.map(hex).joined(separator: " ")
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}

/// Compares encoded bytes with a by-index request fixture turned into its by-name form: `ifi_index` 0 and
/// `IFLA_IFNAME` `name` appended, as `LinkMessages.change(named:_:)` and `delete(named:)` address a link.
func expectBytes(_ encoded: [UInt8], matchingByName name: String, _ fixtureName: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws
{
    var expected = try Fixture(fixtureName).request
    for offset in 20..<24 { expected[offset] = 0 }
    var writer = AttributeWriter()
    writer.append(nl(IFLA_IFNAME), string: name)
    expected += writer.bytes.map { Optional($0) }
    let total = UInt32(expected.count)
    for index in 0..<4 { expected[index] = UInt8(truncatingIfNeeded: total >> (8 * UInt32(index))) }
    let matches = expected.count == encoded.count && zip(expected, encoded).allSatisfy { $0 == nil || $0 == $1 }
    if matches { return }
    let report = "\(fixtureName) by name \(name):\n expected: "
        + expected.map { $0.map(hex) ?? "??" }.joined(separator: " ")
        + "\n encoded:  " + encoded.map(hex).joined(separator: " ")
    Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
}

/// Two lowercase hex digits.
func hex(_ byte: UInt8) -> String {
    let text = String(byte, radix: 16)
    return text.count == 1 ? "0" + text : text
}

extension NetlinkMessage {
    /// A copy with another sequence number and port id, to replay a captured reply to a new request.
    func restamped(sequence: UInt32, portID: UInt32) -> NetlinkMessage {
        var copy = self
        copy.sequence = sequence
        copy.portID = portID
        return copy
    }
}
