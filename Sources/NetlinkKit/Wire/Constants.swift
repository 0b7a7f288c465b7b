import CLinuxShims

/// Converts an imported UAPI constant to an attribute or message type.
@inline(__always)
func nl<T: BinaryInteger>(_ value: T) -> UInt16 { UInt16(value) }

/// Message types used by NetlinkKit, from `<linux/rtnetlink.h>`.
enum MessageType {
    static let newLink = nl(RTM_NEWLINK)
    static let deleteLink = nl(RTM_DELLINK)
    static let getLink = nl(RTM_GETLINK)
    static let newAddress = nl(RTM_NEWADDR)
    static let deleteAddress = nl(RTM_DELADDR)
    static let getAddress = nl(RTM_GETADDR)
    static let newRoute = nl(RTM_NEWROUTE)
    static let deleteRoute = nl(RTM_DELROUTE)
    static let getRoute = nl(RTM_GETROUTE)
    static let newNeighbour = nl(RTM_NEWNEIGH)
    static let deleteNeighbour = nl(RTM_DELNEIGH)
    static let getNeighbour = nl(RTM_GETNEIGH)
    static let newNetnsID = nl(RTM_NEWNSID)
    static let getNetnsID = nl(RTM_GETNSID)
}

/// Request flags, from `<linux/netlink.h>`.
enum RequestFlags {
    static let create = nl(NLM_F_CREATE)
    static let exclusive = nl(NLM_F_EXCL)
    static let replace = nl(NLM_F_REPLACE)
    static let append = nl(NLM_F_APPEND)
}

/// Converts an imported named C enum constant (`rtattr_type_t`, `rt_class_t`) to an attribute type.
@inline(__always)
func nl<T: RawRepresentable>(_ value: T) -> UInt16 where T.RawValue: BinaryInteger { UInt16(value.rawValue) }

/// Converts an imported named C enum constant to a `UInt32`.
@inline(__always)
func u32<T: RawRepresentable>(_ value: T) -> UInt32 where T.RawValue: BinaryInteger { UInt32(value.rawValue) }
