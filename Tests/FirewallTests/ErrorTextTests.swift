import SystemKit
import Testing

@testable import Firewall

/// libnftables' error text becomes a FirewallError with the message, the failing command and the errno.
@Suite("libnftables error text")
struct ErrorTextTests {
    /// A key that exists with another value: EEXIST, a conflict.
    @Test func conflict() {
        let error = FirewallError.libnftables(operation: "publish", errorText: Fixtures.errorExists, returnCode: 1)
        #expect(error.kind == .nftables)
        #expect(error.message == "Could not process rule: File exists")
        #expect(error.command == "add element ip splice-nat tcp-any-ports { 8080 : 10.10.0.9 . 80 }")
        #expect(error.errno == .exists)
        #expect(error.meansConflict && !error.meansAlreadyGone)
        #expect(error.details == Fixtures.errorExists)
        #expect(
            error.description == """
                cannot publish: Could not process rule: File exists
                  in: add element ip splice-nat tcp-any-ports { 8080 : 10.10.0.9 . 80 }
                """)
    }

    /// A missing object: ENOENT, which teardown treats as already gone.
    @Test func missing() {
        let error = FirewallError.libnftables(operation: "remove", errorText: Fixtures.errorMissing, returnCode: 1)
        #expect(error.errno == .noSuchFileOrDirectory)
        #expect(error.meansAlreadyGone)
        #expect(error.command == "delete table ip nosuch")
        let jump = FirewallError.libnftables(operation: "apply", errorText: Fixtures.errorNoChain, returnCode: 1)
        #expect(jump.command == "add rule inet splice forward iifname br0 jump nowhere")
    }

    /// Text without an `Error:` line is kept whole; no text at all names the return code.
    @Test func unrecognisedText() {
        #expect(FirewallError.libnftables(operation: "apply", errorText: "  odd\n", returnCode: 1).message == "odd")
        #expect(
            FirewallError.libnftables(operation: "apply", errorText: "", returnCode: -1).message
                == "libnftables failed (return code -1)")
        let located = "x.nft:3:1-5: Error: syntax error, unexpected junk\njunk here\n^^^^\n"
        let error = FirewallError.libnftables(operation: "apply", errorText: located, returnCode: 1)
        #expect(error.message == "syntax error, unexpected junk")
        #expect(error.command == "junk here")
        #expect(error.errno == nil)
    }

    /// A script libnftables cannot parse fails in the parser, before anything reaches the kernel; the error names
    /// the offending command.
    @Test func badScriptFromLibnftables() throws {
        let context = try NftablesContext(operation: "apply")
        let error = #expect(throws: FirewallError.self) {
            try context.run("add tabel inet splice\n", operation: "apply", dryRun: true)
        }
        #expect(error?.kind == .nftables)
        #expect(error?.message == "syntax error, unexpected inet, expecting string")
        #expect(error?.command == "add tabel inet splice")
        #expect(
            error?.details == "Error: syntax error, unexpected inet, expecting string\nadd tabel inet splice\n"
                + String(repeating: " ", count: 10) + "^^^^\n")
    }
}
