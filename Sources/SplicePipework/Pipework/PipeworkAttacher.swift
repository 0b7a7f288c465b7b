import NetlinkKit
import SystemKit

/// Carries out pipework attaches against one host namespace: validate everything, apply, and on any failure
/// undo what was applied, in reverse, so the host and the guest end as they began.
public final class PipeworkAttacher {
    /// A socket in the host namespace (the one the host interfaces live in).
    public let host: NetlinkSocket
    /// The host namespace itself, needed to move a `--direct-phys` device back.
    public let hostNamespace: NetworkNamespace
    /// Where the bridge-creation lock lives.
    public let lockPath: String
    private var guestSockets: [FileIdentity: NetlinkSocket] = [:]

    /// What an attach made.
    public struct Result: Sendable, Equatable {
        public var guest: String
        public var guestInterface: String
        /// The host-side veth, or nil for macvlan and direct-phys.
        public var hostInterface: String?
        public var mode: SpliceMark.Mode
        public var bridgeCreated: Bool
        public var address: IPNetwork?
        public var mac: MACAddress?
        /// The lease, for DHCP attaches.
        public var lease: DHCPLease?
    }

    public init(host: NetlinkSocket, hostNamespace: NetworkNamespace, lockPath: String = "/run/splice/pipework.lock") {
        self.host = host
        self.hostNamespace = hostNamespace
        self.lockPath = lockPath
    }

    /// Opens a socket in the calling process's namespace.
    public convenience init() throws(PipeworkError) {
        let socket: NetlinkSocket
        let namespace: NetworkNamespace
        do { socket = try NetlinkSocket() } catch { throw error.pipework }
        do { namespace = try NetworkNamespace.host() } catch { throw PipeworkError(error) }
        self.init(host: socket, hostNamespace: namespace)
    }

    /// A netlink socket inside `namespace`, cached per namespace for batches.
    func socket(in namespace: NetworkNamespace) throws(PipeworkError) -> NetlinkSocket {
        let identity: FileIdentity
        do { identity = try namespace.identity() } catch { throw PipeworkError(error) }
        if let cached = guestSockets[identity] { return cached }
        do {
            let socket = try NetlinkSocket.open(in: namespace)
            guestSockets[identity] = socket
            return socket
        } catch {
            throw PipeworkError("cannot enter the network namespace of \(namespace): \(error)")
        }
    }

    /// Attaches an interface to `guest`, as `pipework` does. Throws after undoing every step it applied.
    @discardableResult
    public func attach(_ request: PipeworkAttachment, guest: NetworkNamespace) throws(PipeworkError) -> Result {
        let plan = try validate(request, guest: guest)
        var transaction = Transaction()
        do throws(PipeworkError) {
            let result = try apply(plan, transaction: &transaction)
            transaction.commit()
            return result
        } catch {
            let leftovers = transaction.rollback()
            if leftovers.isEmpty { throw error }
            throw PipeworkError("\(error.message); rollback also failed: \(leftovers.joined(separator: "; "))")
        }
    }
}
