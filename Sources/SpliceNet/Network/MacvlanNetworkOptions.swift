import NetlinkKit

/// What a macvlan network is asked to be (`docker network create -d macvlan -o parent=IF -o macvlan_mode=M`):
/// each container gets a macvlan child of `parent`, moved into its namespace, with its address from IPAM.
public struct MacvlanNetworkOptions: Sendable, Equatable, Codable {
    /// The host interface the children hang off.
    public var parent: String
    /// `bridge` (Docker's default), `private`, `vepa` or `passthru`.
    public var mode: String

    /// Creates options; `mode` must be one `MacvlanMode(name:)` accepts.
    public init(parent: String, mode: String = "bridge") {
        self.parent = parent
        self.mode = mode
    }

    /// The kernel's mode.
    public var kernelMode: MacvlanMode { MacvlanMode(name: mode) ?? .bridge }
}
