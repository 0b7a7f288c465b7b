/// Interface names Splice derives from stable keys.
public enum InterfaceName {
    /// `prefix` + 8 hex digits of an FNV-1a hash of `key`, such as `vsp1a2b3c4d`: the same key gives the same
    /// name, and it fits in IFNAMSIZ for prefixes up to 7 bytes.
    public static func hashed(prefix: String, key: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return prefix + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
