import Glibc
import SystemKit

/// What the test process may do, for suite traits such as
/// `.enabled(if: Privileges.canCreateNamespaces, "needs CAP_SYS_ADMIN+CAP_NET_ADMIN; run as root")`.
public enum Privileges {
    /// Whether this process can create network namespaces (root with CAP_SYS_ADMIN and CAP_NET_ADMIN).
    public static let canCreateNamespaces: Bool = {
        guard geteuid() == 0 else { return false }
        return (try? NetworkNamespace.anonymous(label: "probe")) != nil
    }()

    /// The reason privileged suites give when they skip.
    public static let reason = "needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN) to create network namespaces; run: sudo swift test"
}
