// The address, network, MAC and interface-name value types live in SystemKit, below every module that uses them;
// NetlinkKit re-exports them so that its users keep seeing them where they always did.
@_exported import enum SystemKit.AddressFamily
@_exported import enum SystemKit.IPAddress
@_exported import struct SystemKit.IPNetwork
@_exported import struct SystemKit.IPv4Address
@_exported import struct SystemKit.IPv6Address
@_exported import enum SystemKit.InterfaceName
@_exported import struct SystemKit.MACAddress
