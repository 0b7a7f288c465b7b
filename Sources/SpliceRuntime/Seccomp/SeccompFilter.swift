import CSeccomp
import Glibc
import SystemKit

/// A libseccomp filter built from a translation; exports classic BPF that the container's process installs
/// between fork and exec without calling into libseccomp there.
public final class SeccompFilter {
    private let context: scmp_filter_ctx

    /// Builds the filter for the native architecture. No `no_new_privs` is implied: the runtime sets it only when
    /// the spec asks.
    public init(_ translation: SeccompTranslation) throws(RuntimeError) {
        guard let context = seccomp_init(translation.defaultAction.rawValue) else {
            throw .system(SystemError("seccomp_init", errno: .invalidArgument))
        }
        self.context = context
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0), "seccomp_attr_set")
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

    private func export(_ exporter: (scmp_filter_ctx?, Int32) -> Int32, _ operation: String) throws(RuntimeError)
        -> [UInt8]
    {
        guard let file = tmpfile() else { throw .system(.current("tmpfile")) }
        defer { fclose(file) }
        let fd = fileno(file)
        try check(exporter(context, fd), operation)
        lseek(fd, 0, SEEK_SET)
        do {
            return try FileDescriptor(owning: dup(fd)).readAll()
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
