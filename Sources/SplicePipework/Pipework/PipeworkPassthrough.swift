import CLinuxShims
import Glibc
import SystemKit

/// `pipework route|rule|tc GUEST ARGS...`: enters the guest's network namespace and execs `ip route`,
/// `ip rule` or `tc` there, exactly as pipework's `ip netns exec` did, without leaving a `/var/run/netns` link.
public enum PipeworkPassthrough {
    /// Replaces the current process; returns only by throwing.
    public static func exec(_ tool: PassthroughTool, arguments: [String], in namespace: NetworkNamespace)
        throws(PipeworkError) -> Never
    {
        // Joining a network namespace is allowed for a multi-threaded process; exec follows immediately.
        guard cls_setns(namespace.descriptor.rawValue, Int32(CLS_CLONE_NEWNET)) == 0 else {
            throw PipeworkError(SystemError.current("setns", path: namespace.label))
        }
        let argv: [String] =
            switch tool {
            case .route: ["ip", "route"] + arguments
            case .rule: ["ip", "rule"] + arguments
            case .tc: ["tc"] + arguments
            }
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        execvp(argv[0], &cArguments)
        throw PipeworkError("cannot run \(argv[0]): \(Errno.current)")
    }
}
