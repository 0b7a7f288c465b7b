import Foundation

/// Records to and from the JSON stored in etcd (sorted keys, so equal records are equal bytes).
public enum ClusterRecordCoding {
    /// Encodes a record.
    public static func encode<Record: Encodable>(_ record: Record) throws(ClusterStoreError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return [UInt8](try encoder.encode(record))
        } catch {
            throw .malformed(what: "\(Record.self) to store", cause: error)
        }
    }

    /// Decodes a record read from `key`.
    public static func decode<Record: Decodable>(_ type: Record.Type, from bytes: [UInt8], key: String)
        throws(ClusterStoreError) -> Record
    {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw .malformed(what: "record at \(key)", cause: error)
        }
    }
}
