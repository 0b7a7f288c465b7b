/// Docker's identity of a network as the API shows it: `bridge` for the default network (with an id derived from
/// its bridge, stable across restarts), a user-defined network's own name and id.
public enum NetworkIdentity {
    /// A 64-hex id derived from `key` (predefined networks, endpoints): stable across restarts.
    public static func stableID(_ key: String) -> String {
        var out = ""
        for round in 0..<4 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(round) &* 0x9e37_79b9_7f4a_7c15
            for byte in key.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            let text = String(hash, radix: 16)
            out += String(repeating: "0", count: 16 - text.count) + text
        }
        return out
    }

    /// The default network's API id (`bridge` over bridge `name`).
    public static func defaultNetworkID(_ name: String) -> String { stableID("bridge:" + name) }
}
