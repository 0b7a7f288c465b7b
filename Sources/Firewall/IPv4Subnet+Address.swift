import Glibc

extension IPv4Subnet {
    /// An IPv4 address, such as `10.0.0.2`.
    public struct Address: Hashable, Comparable, Sendable, CustomStringConvertible {
        /// The address as a host-order integer (`10.0.0.2` is `0x0a000002`).
        public let value: UInt32

        /// Creates an address from a host-order integer.
        public init(value: UInt32) { self.value = value }

        /// Creates an address from its four dotted-quad parts.
        public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
            value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
        }

        /// Parses strict dotted-quad text (`inet_pton(3)` rules).
        public init(_ text: String) throws(FirewallError) {
            var raw = in_addr()
            guard inet_pton(AF_INET, text, &raw) == 1 else {
                throw .invalidModel("\"\(text)\" is not an IPv4 address such as 10.0.0.2")
            }
            value = UInt32(bigEndian: raw.s_addr)
        }

        /// `127.0.0.1`.
        public static let loopback = Address(127, 0, 0, 1)

        /// The four bytes in network order.
        public var bytes: [UInt8] {
            [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        }

        /// Dotted-quad text, such as `10.0.0.2`.
        public var description: String { bytes.map { String($0) }.joined(separator: ".") }

        /// Orders addresses numerically.
        public static func < (lhs: Address, rhs: Address) -> Bool { lhs.value < rhs.value }
    }
}
