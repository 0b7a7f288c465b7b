import Glibc
import SystemKit

/// IPv6 on one interface of a guest, as a user who asks for an IPv6 address on it wants it: Docker disables IPv6
/// inside its containers (`net.ipv6.conf.all/default.disable_ipv6=1`), so a new interface there starts without it.
enum InterfaceIPv6 {
    /// Sets `net.ipv6.conf.<interface>.disable_ipv6` to 0 inside `namespace`. The file is opened on a dedicated
    /// thread that entered the namespace, since `/proc/sys/net` shows the opening thread's namespace; nothing is
    /// written when IPv6 is on already.
    static func enable(interface: String, in namespace: NetworkNamespace) throws(SystemError) {
        let path = "/proc/sys/net/ipv6/conf/\(interface)/disable_ipv6"
        do {
            try namespace.perform { () throws(SystemError) in
                let state = try FileDescriptor.open(path, O_RDONLY | O_CLOEXEC).readAll()
                guard String(decoding: state, as: UTF8.self).filter({ !$0.isWhitespace }) != "0" else { return }
                // A fresh descriptor: a sysctl is written from offset 0.
                try FileDescriptor.open(path, O_WRONLY | O_CLOEXEC).write(Array("0\n".utf8))
            }
        } catch {
            switch error {
            case .enter(let failure), .body(let failure): throw failure
            }
        }
    }
}
