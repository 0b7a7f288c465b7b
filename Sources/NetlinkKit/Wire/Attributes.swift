/// The attributes of a decoded netlink payload, by type. When a type repeats, the last one wins, except
/// through `all(_:)`.
public struct Attributes: Sendable {
    private let entries: [(type: UInt16, value: ArraySlice<UInt8>)]

    /// Parses attributes from `bytes` starting at `offset`. Throws `.malformed` on a bad length.
    public init(_ bytes: [UInt8], from offset: Int = 0) throws(NetlinkError) {
        try self.init(bytes[...], from: bytes.startIndex + offset)
    }

    /// Parses attributes from a slice starting at absolute index `offset`.
    public init(_ bytes: ArraySlice<UInt8>, from offset: Int) throws(NetlinkError) {
        var entries: [(type: UInt16, value: ArraySlice<UInt8>)] = []
        var cursor = offset
        while cursor + 4 <= bytes.endIndex {
            let length = Int(UInt16(bytes[cursor]) | UInt16(bytes[cursor + 1]) << 8)
            let type = (UInt16(bytes[cursor + 2]) | UInt16(bytes[cursor + 3]) << 8) & 0x3fff
            guard length >= 4, cursor + length <= bytes.endIndex else {
                throw .malformed(reason: "attribute \(type) length \(length)", offset: cursor - bytes.startIndex)
            }
            entries.append((type, bytes[(cursor + 4)..<(cursor + length)]))
            cursor += alignedLength(length)
        }
        self.entries = entries
    }

    /// The value of the last attribute of `type`.
    public subscript(_ type: UInt16) -> ArraySlice<UInt8>? {
        entries.last { $0.type == type }?.value
    }

    /// Every value of attributes of `type`, in order.
    public func all(_ type: UInt16) -> [ArraySlice<UInt8>] {
        entries.filter { $0.type == type }.map(\.value)
    }

    /// The attribute types present, in order.
    public var types: [UInt16] { entries.map(\.type) }

    /// A NUL-terminated string attribute.
    public func string(_ type: UInt16) -> String? {
        guard let value = self[type] else { return nil }
        let text = value.prefix { $0 != 0 }
        return String(decoding: text, as: UTF8.self)
    }

    /// A host-order integer attribute of exactly `T`'s size.
    public func integer<T: FixedWidthInteger>(_ type: UInt16, as _: T.Type = T.self) -> T? {
        guard let value = self[type], value.count >= MemoryLayout<T>.size else { return nil }
        return Array(value).readLittleEndian(T.self, at: 0)
    }

    /// A network-order integer attribute.
    public func bigEndianInteger<T: FixedWidthInteger>(_ type: UInt16, as _: T.Type = T.self) -> T? {
        guard let value = self[type], value.count >= MemoryLayout<T>.size else { return nil }
        return Array(value).readBigEndian(T.self, at: 0)
    }

    /// The attributes nested inside attribute `type`.
    public func nested(_ type: UInt16) throws(NetlinkError) -> Attributes? {
        guard let value = self[type] else { return nil }
        return try Attributes(value, from: value.startIndex)
    }

    /// Whether a flag (or any) attribute of `type` is present.
    public func contains(_ type: UInt16) -> Bool { entries.contains { $0.type == type } }
}
