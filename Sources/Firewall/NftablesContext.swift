import CNftables

/// One libnftables context (`struct nft_ctx`) with buffered output and error text. Not thread-safe: use it under
/// `LibnftablesLock`, in the network namespace where it was made (its netlink socket belongs to that namespace).
/// `NftablesSession` keeps one per `Firewall`.
final class NftablesContext {
    private let handle: OpaquePointer

    /// Wraps `nft_ctx_new(3)`; output and errors go to memory buffers.
    init(operation: String) throws(FirewallError) {
        guard let handle = nft_ctx_new(UInt32(NFT_CTX_DEFAULT)) else {
            throw FirewallError(kind: .nftables, operation: operation, message: "nft_ctx_new failed (out of memory)")
        }
        self.handle = handle
        nft_ctx_buffer_output(handle)
        nft_ctx_buffer_error(handle)
    }

    deinit { nft_ctx_free(handle) }

    /// Runs `commands` (an nft script: one batch, one transaction) and returns libnftables' output; with `json`, the
    /// output of `list` commands is JSON. `dryRun` parses and evaluates without committing. Wraps
    /// `nft_run_cmd_from_buffer(3)`.
    func run(
        _ commands: String, operation: String, json: Bool = false, dryRun: Bool = false
    ) throws(FirewallError)
        -> String
    {
        nft_ctx_output_set_flags(handle, json ? UInt32(NFT_CTX_OUTPUT_JSON) : 0)
        nft_ctx_set_dry_run(handle, dryRun)
        let code = nft_run_cmd_from_buffer(handle, commands)
        let output = nft_ctx_get_output_buffer(handle).map { String(cString: $0) } ?? ""
        let errors = nft_ctx_get_error_buffer(handle).map { String(cString: $0) } ?? ""
        guard code == 0 else {
            throw FirewallError.libnftables(operation: operation, errorText: errors, returnCode: code)
        }
        return output
    }
}
