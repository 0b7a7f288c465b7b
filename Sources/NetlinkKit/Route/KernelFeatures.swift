/// The kernel options behind link kinds that a kernel may lack, for clear errors.
public enum KernelFeatures {
    /// The feature and config option a link kind needs, or nil for kinds every supported kernel has.
    public static func missingOption(for kind: LinkKind) -> (feature: String, option: String)? {
        switch kind {
        case .vlan: ("802.1Q", "CONFIG_VLAN_8021Q")
        case .dummy: ("dummy interface", "CONFIG_DUMMY")
        case .vxlan: ("VXLAN", "CONFIG_VXLAN")
        case .macvlan: ("macvlan", "CONFIG_MACVLAN")
        case .bridge: ("bridge", "CONFIG_BRIDGE")
        case .veth: ("veth", "CONFIG_VETH")
        }
    }
}
