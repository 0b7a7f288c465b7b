import NetlinkKit
import Testing

@testable import SplicePipework

@Suite struct PipeworkMACDigestTests {
    /// The test suite of RFC 1321, appendix A.5.
    @Test(arguments: [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
    ])
    func rfc1321Vectors(message: String, expected: String) {
        #expect(MD5.hexDigest(Array(message.utf8)) == expected)
    }

    /// Expected values from coreutils: `echo "$s" | md5sum` (the message includes echo's trailing newline).
    /// The 55- and 63-character strings put the padding boundary (56 and 64 bytes with the newline) to the test.
    @Test(arguments: [
        ("abc", "0bee89b07a248e27c83fc3d5951213c1"),  // echo "abc" | md5sum
        ("hello world", "6f5902ac237024bdd0c176cb93063dc4"),  // echo "hello world" | md5sum
        ("container-42", "b8ad0965ddbf6fdfc8af7be7cb83f071"),  // echo "container-42" | md5sum
        (String(repeating: "x", count: 55), "5ca97fc392d27b1730adb8d59dc94814"),  // echo "xxx…(55)" | md5sum
        (String(repeating: "y", count: 63), "69c6031be1ccd619b46716fc07442cba"),  // echo "yyy…(63)" | md5sum
        ("héllo", "1082e4bdaee22cfa4057c4f6a5e4c3da"),  // echo "héllo" | md5sum (UTF-8)
    ])
    func matchesMd5sum(line: String, expected: String) {
        #expect(MD5.hexDigest(Array(line.utf8) + [0x0a]) == expected)
    }

    @Test func multiBlockMessage() {
        // printf 'a%.0s' {1..1000} | md5sum
        #expect(MD5.hexDigest([UInt8](repeating: 0x61, count: 1000)) == "cabe45dcc9ae5b66ba86600cca6b8ba8")
    }
}

@Suite struct PipeworkMACTests {
    /// Expected values from pipework's own pipeline:
    /// `echo "$s" | md5sum | sed 's/^\(..\)\(..\)\(..\)\(..\)\(..\).*$/02:\1:\2:\3:\4:\5/'`.
    @Test(arguments: [
        ("abc", "02:0b:ee:89:b0:7a"),
        ("hello world", "02:6f:59:02:ac:23"),
        ("container-42", "02:b8:ad:09:65:dd"),
        (String(repeating: "x", count: 55), "02:5c:a9:7f:c3:92"),
        ("héllo", "02:10:82:e4:bd:ae"),
    ])
    func matchesPipework(string: String, expected: String) {
        #expect(MACAddress.pipeworkDerived(from: string).description == expected)
    }

    @Test func derivedAddressIsLocallyAdministeredUnicast() {
        let mac = MACAddress.pipeworkDerived(from: "anything")
        #expect(mac.bytes.count == 6)
        #expect(mac.bytes[0] == 0x02)
        #expect(!mac.isMulticast)
        #expect(mac == MACAddress.pipeworkDerived(from: "anything"))
        #expect(mac != MACAddress.pipeworkDerived(from: "anything else"))
    }
}
