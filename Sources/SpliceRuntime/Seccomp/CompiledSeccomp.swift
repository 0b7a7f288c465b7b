import FoundationEssentials
import SystemKit

/// Docker's default filter as the daemon built it for one capability set, carried in a container's or exec's spec so
/// that the monitor, a new process for every start, does not build it again: libseccomp takes some 6 to 9 ms of the
/// start to build it for three architectures, while the daemon builds each capability set's once
/// (`SeccompFilter.dockerDefaultBPF`). The monitor uses it only for the capability set it resolves itself.
public struct CompiledSeccomp: Codable, Sendable, Equatable {
    /// The capability set it was built for (`CapabilitySet.mask`).
    public var capabilities: UInt64
    /// The BPF program (base64 in the spec's JSON).
    public var program: Data

    public init(capabilities: UInt64, program: [UInt8]) {
        self.capabilities = capabilities
        self.program = Data(program)
    }

    /// The default filter for a process with these options, resolved as the monitor resolves them (Docker's default
    /// capabilities with `capAdd` and `capDrop`, bounded by what this process holds: the monitor is its child and
    /// holds the same); nil when the process gets no default filter (another `setting`, or privileged) or the
    /// options do not resolve (the monitor then reports the error).
    public static func dockerDefault(for setting: SeccompSetting, capAdd: [String], capDrop: [String],
                                     privileged: Bool) -> CompiledSeccomp?
    {
        guard setting == .default, !privileged else { return nil }
        guard let capabilities = try? ChildPlan.capabilities(add: capAdd, drop: capDrop, privileged: privileged),
              let program = try? SeccompFilter.dockerDefaultBPF(capabilities: capabilities)
        else { return nil }
        return CompiledSeccomp(capabilities: capabilities.mask, program: program)
    }
}
