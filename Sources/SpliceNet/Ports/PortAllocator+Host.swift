import CLinuxShims
import Glibc
import SystemKit

extension PortAllocator {
    /// Whether another socket holds `port` for `proto` on this host: tries to `bind(2)` a fresh socket to
    /// `0.0.0.0:port` without `SO_REUSEADDR` and reports `EADDRINUSE`. Any other failure counts as free.
    public static func isBoundOnHost(_ proto: PortProtocol, _ port: UInt16) -> Bool {
        let type = proto == .tcp ? SOCK_STREAM : SOCK_DGRAM
        let fd = socket(AF_INET, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let result = withSocketAddress(&address) { bind(fd, $0, $1) }
        return result != 0 && Errno.current == Errno(rawValue: EADDRINUSE)
    }
}
