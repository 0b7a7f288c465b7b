import Firewall
import Glibc
import NetlinkKit
import SystemKit

/// The bridge network driver: networks are Linux bridges with an IPAM pool and Splice's nftables rules;
/// sandboxes join them through veth pairs. Every operation validates first, applies, and rolls back in
/// reverse on failure; teardown treats "already gone" as success.
public final class BridgeDriver {
    /// A socket in the host namespace, where bridges and host veth ends live.
    public let host: NetlinkSocket
    /// The host namespace (the daemon's own, or a scratch one in tests).
    public let hostNamespace: NetworkNamespace
    public let store: NetworkStore
    public let ipam: IPAM
    /// Dynamic host ports are taken from here (`-P`, `-p 80`).
    public let portRange: ClosedRange<UInt16>
    private let firewallNamespace: NetworkNamespace?
    private var firewallInstance: Firewall?

    /// The most endpoints a network takes: the Linux bridge's port limit (`BR_MAX_PORTS` is 1024, one of which
    /// the kernel reserves).
    public static let maximumEndpoints = 1023

    /// Opens the driver on `stateDirectory`, acting on `hostNamespace` (nil: the caller's namespace).
    public init(stateDirectory: String, hostNamespace: NetworkNamespace? = nil,
                portRange: ClosedRange<UInt16> = 49153...65535) throws(NetworkError)
    {
        do {
            if let hostNamespace {
                self.hostNamespace = hostNamespace
                host = try NetlinkSocket.open(in: hostNamespace)
            } else {
                self.hostNamespace = try NetworkNamespace.host()
                host = try NetlinkSocket()
            }
            store = try NetworkStore(stateDirectory: stateDirectory)
            ipam = try IPAM(stateDirectory: stateDirectory + "/ipam")
        } catch {
            throw NetworkError(wrapping: error)
        }
        firewallNamespace = hostNamespace
        self.portRange = portRange
    }

    /// The firewall, opened on first use (so `--iptables=false` never loads libnftables' rules).
    func firewall() throws(NetworkError) -> Firewall {
        if let firewallInstance { return firewallInstance }
        do {
            let made = try Firewall(namespace: firewallNamespace)
            firewallInstance = made
            return made
        } catch {
            throw NetworkError(.unavailable, "nftables: \(error)")
        }
    }

    /// Runs `body` on a thread inside the host namespace (for `/proc/sys/net` writes, which follow the
    /// writer's namespace).
    func inHostNamespace(_ body: @escaping () throws(SystemError) -> Void) throws(NetworkError) {
        do {
            try hostNamespace.perform(body)
        } catch {
            switch error {
            case .enter(let system), .body(let system): throw NetworkError(wrapping: system)
            }
        }
    }

    /// Runs `body` as one transaction: on failure every registered step is undone, last first, and the error
    /// says what could not be undone.
    func transactionally<T>(_ body: (inout Transaction) throws -> T) throws(NetworkError) -> T {
        var transaction = Transaction()
        do {
            let result = try body(&transaction)
            transaction.commit()
            return result
        } catch {
            let leftovers = transaction.rollback()
            let failure = NetworkError(wrapping: error)
            if leftovers.isEmpty { throw failure }
            throw NetworkError(failure.code, failure.message + "; rollback also failed: " + leftovers.joined(separator: "; "))
        }
    }

    /// Writes a sysctl under `/proc/sys` in the host namespace.
    func setSysctl(_ path: String, _ value: String) throws(NetworkError) {
        try inHostNamespace { () throws(SystemError) in
            let descriptor = try FileDescriptor.open("/proc/sys/" + path, O_WRONLY)
            try descriptor.write(Array((value + "\n").utf8))
        }
    }
}
