import CLinuxShims
import CSeccomp
import Glibc
import Synchronization
import SystemKit

/// A libseccomp filter built from a translation; exports classic BPF that the container's process installs
/// between fork and exec without calling into libseccomp there.
public final class SeccompFilter {
    private let context: scmp_filter_ctx

    /// Builds the filter for the native architecture and the translation's others (a call from an architecture
    /// the filter does not serve kills the process). No `no_new_privs` is implied: the runtime sets it only when
    /// the spec asks.
    public init(_ translation: SeccompTranslation) throws(RuntimeError) {
        guard let context = seccomp_init(translation.defaultAction.rawValue) else {
            throw .system(SystemError("seccomp_init", errno: .invalidArgument))
        }
        self.context = context
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0), "seccomp_attr_set")
        // A binary tree of syscall numbers rather than a chain of comparisons: the same decisions, reached in some
        // ten steps instead of hundreds, and the kernel's per-syscall cache, which runs the program for every
        // syscall number when the filter is installed, is built in 0.25 ms instead of 0.7 (a probe filter the size of
        // Docker's profile: 330 allowed calls, three architectures; Linux 6.18).
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2), "seccomp_attr_set")
        for architecture in translation.extraArchitectures {
            let result = seccomp_arch_add(context, architecture)
            if result != -EEXIST { try check(result, "seccomp_arch_add") }
        }
        for rule in translation.rules {
            var comparisons = rule.conditions.map { condition in
                scmp_arg_cmp(arg: condition.index, op: Self.libseccompOperator(condition.op),
                             datum_a: condition.value, datum_b: condition.valueTwo)
            }
            let result = comparisons.withUnsafeMutableBufferPointer { buffer in
                seccomp_rule_add_array(context, rule.action.rawValue, rule.number, UInt32(buffer.count),
                                       buffer.baseAddress)
            }
            try check(result, "seccomp_rule_add \(rule.syscall)")
        }
    }

    deinit { seccomp_release(context) }

    /// The filter as classic BPF instructions (`struct sock_filter`, 8 bytes each). Wraps `seccomp_export_bpf`.
    public func bpf() throws(RuntimeError) -> [UInt8] {
        try export(seccomp_export_bpf, "seccomp_export_bpf")
    }

    /// The filter in libseccomp's readable pseudo-filter-code form. Wraps `seccomp_export_pfc`.
    public func pseudoFilterCode() throws(RuntimeError) -> String {
        String(decoding: try export(seccomp_export_pfc, "seccomp_export_pfc"), as: UTF8.self)
    }

    /// Runs `exporter` into an in-memory file (memfd: no filesystem, so a full disk cannot fail it) and reads it
    /// back. libseccomp reports a failed write as ECANCELED; the write's own errno, when set, is the real cause.
    private func export(_ exporter: (scmp_filter_ctx?, Int32) -> Int32, _ operation: String) throws(RuntimeError)
        -> [UInt8]
    {
        let raw = cls_memfd_create("splice-seccomp")
        guard raw >= 0 else { throw .system(.current("memfd_create")) }
        let file = FileDescriptor(owning: raw)
        errno = 0
        let result = exporter(context, raw)
        if result < 0 {
            let cause = -result == ECANCELED && errno != 0 ? errno : -result
            throw .system(SystemError(operation, errno: Errno(rawValue: cause)))
        }
        guard lseek(raw, 0, SEEK_SET) == 0 else { throw .system(.current("lseek")) }
        do {
            return try file.readAll()
        } catch {
            throw .system(error)
        }
    }

    private func check(_ result: Int32, _ operation: String) throws(RuntimeError) {
        if result < 0 { throw .system(SystemError(operation, errno: Errno(rawValue: -result))) }
    }

    private static func libseccompOperator(_ op: SeccompCondition.Operator) -> scmp_compare {
        switch op {
        case .notEqual: SCMP_CMP_NE
        case .lessThan: SCMP_CMP_LT
        case .lessOrEqual: SCMP_CMP_LE
        case .equal: SCMP_CMP_EQ
        case .greaterOrEqual: SCMP_CMP_GE
        case .greaterThan: SCMP_CMP_GT
        case .maskedEqual: SCMP_CMP_MASKED_EQ
        }
    }
}

extension SeccompFilter {
    /// Default-profile filters already built, by capability mask.
    private static let defaultFilters = Mutex<[UInt64: [UInt8]]>([:])

    /// The BPF of Docker's default profile for `capabilities`, built once per capability set: it is the same for
    /// every container with those capabilities, and libseccomp builds it for three architectures.
    public static func dockerDefaultBPF(capabilities: CapabilitySet) throws(RuntimeError) -> [UInt8] {
        if let built = defaultFilters.withLock({ $0[capabilities.mask] }) { return built }
        let bpf = try SeccompFilter(SeccompTranslation(.dockerDefault(capabilities: capabilities))).bpf()
        defaultFilters.withLock { $0[capabilities.mask] = bpf }
        return bpf
    }
}
