import NetlinkKit

extension MACAddress {
    /// The address pipework derives for `U:string`: `02:` followed by the first five bytes of the MD5 digest of
    /// `string` plus a newline, as pipework computes it with
    /// `echo "$string" | md5sum | sed 's/^\(..\)\(..\)\(..\)\(..\)\(..\).*$/02:\1:\2:\3:\4:\5/'`.
    /// `string` is the text after `U:`. The leading `02` makes the address locally administered unicast.
    ///
    /// The bytes are hashed as given; a shell whose `echo` expands backslash escapes (dash) would differ for
    /// strings containing `\`.
    public static func pipeworkDerived(from string: String) -> MACAddress {
        let digest = MD5.digest(Array(string.utf8) + [0x0a])
        return MACAddress.locallyAdministered(digest.prefix(5))
    }

    /// `02` followed by exactly five bytes.
    private static func locallyAdministered(_ tail: ArraySlice<UInt8>) -> MACAddress {
        let bytes = [0x02] + Array(tail)
        guard let address = MACAddress(bytes: bytes) else {
            preconditionFailure("an MD5 digest has at least five bytes")
        }
        return address
    }
}
