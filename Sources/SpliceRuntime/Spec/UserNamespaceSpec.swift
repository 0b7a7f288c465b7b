/// A new user namespace for the container (`spliced --userns-remap`): the monitor writes these maps into
/// `/proc/PID/uid_map` and `gid_map` of pid 1 before it goes on; container root is `uidMappings[0].hostID`.
public struct UserNamespaceSpec: Codable, Sendable, Equatable {
    /// One line of a uid or gid map: `size` ids from `containerID` inside are `hostID…` outside.
    public struct Mapping: Codable, Sendable, Equatable {
        /// The first id inside the namespace.
        public var containerID: UInt32
        /// The first id on the host.
        public var hostID: UInt32
        /// How many ids.
        public var size: UInt32

        /// Creates a mapping.
        public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
            self.containerID = containerID
            self.hostID = hostID
            self.size = size
        }
    }

    /// The uid map, in order.
    public var uidMappings: [Mapping]
    /// The gid map, in order.
    public var gidMappings: [Mapping]
    /// Shift the overlay's lower layers with idmapped mounts (the monitor builds the overlay, pid 1 attaches it)
    /// instead of using them as they are (a copy the engine already shifted); nil means no.
    public var idmappedLayers: Bool?

    /// Creates a spec from both maps.
    public init(uidMappings: [Mapping], gidMappings: [Mapping]) {
        self.uidMappings = uidMappings
        self.gidMappings = gidMappings
    }

    /// The text of a map file: one `inside outside count` line per mapping.
    static func mapText(_ mappings: [Mapping]) -> String {
        mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
    }
}
