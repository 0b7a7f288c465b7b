import CLinuxShims
import Glibc
import Synchronization
import SystemKit

/// A change the kernel announced on the route netlink multicast groups.
public enum NetlinkEvent: Sendable, Equatable {
    case linkAdded(Link)
    case linkRemoved(Link)
    case addressAdded(Address)
    case addressRemoved(Address)
}

/// Listens to `RTNLGRP_LINK` and the address groups on a dedicated thread and delivers events as an
/// `AsyncStream`. Equivalent to `ip monitor link address`.
public final class NetlinkMonitor: Sendable {
    private let transport: KernelTransport
    private let stopped = Atomic<Bool>(false)

    /// Subscribes in the calling thread's namespace, or in `namespace` when given. Events that happen after
    /// this returns are delivered; read the current state afterwards to avoid missing a change.
    public init(in namespace: NetworkNamespace? = nil) throws(NetlinkError) {
        let groups = [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR].map { UInt32($0.rawValue) }
        if let namespace {
            do {
                transport = try namespace.perform { () throws(NetlinkError) in try KernelTransport(groups: groups) }
            } catch {
                switch error {
                case .enter(let system): throw .system(system)
                case .body(let netlink): throw netlink
                }
            }
        } else {
            transport = try KernelTransport(groups: groups)
        }
    }

    /// The events, until `stop()` is called or the consumer stops iterating.
    public var events: AsyncStream<NetlinkEvent> {
        let (stream, continuation) = AsyncStream<NetlinkEvent>.makeStream()
        let reader = EventReader(transport: transport, monitor: self, continuation: continuation)
        continuation.onTermination = { [weak self] _ in self?.stop() }
        reader.start()
        return stream
    }

    /// Stops delivering events; the reader thread ends within its poll interval.
    public func stop() { stopped.store(true, ordering: .relaxed) }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Decodes one multicast message into an event, or nil for messages of no interest.
    static func event(from message: NetlinkMessage) -> NetlinkEvent? {
        switch message.type {
        case MessageType.newLink: (try? Link(decoding: message.payload)).map(NetlinkEvent.linkAdded)
        case MessageType.deleteLink: (try? Link(decoding: message.payload)).map(NetlinkEvent.linkRemoved)
        case MessageType.newAddress: (try? Address(decoding: message.payload)).map(NetlinkEvent.addressAdded)
        case MessageType.deleteAddress: (try? Address(decoding: message.payload)).map(NetlinkEvent.addressRemoved)
        default: nil
        }
    }
}

/// The dedicated thread behind `NetlinkMonitor.events`: it blocks in `poll(2)` so no cooperative thread does.
private final class EventReader: Sendable {
    let transport: KernelTransport
    let monitor: NetlinkMonitor
    let continuation: AsyncStream<NetlinkEvent>.Continuation

    init(transport: KernelTransport, monitor: NetlinkMonitor, continuation: AsyncStream<NetlinkEvent>.Continuation) {
        self.transport = transport
        self.monitor = monitor
        self.continuation = continuation
    }

    func start() {
        if !KernelThread.detach({ self.run() }) { continuation.finish() }
    }

    private func run() {
        var descriptor = pollfd(fd: transport.rawDescriptor, events: Int16(POLLIN), revents: 0)
        while !monitor.isStopped {
            let ready = poll(&descriptor, 1, 100)
            if ready <= 0 { continue }
            guard let datagram = try? transport.receive(), let messages = try? NetlinkMessage.split(datagram) else {
                break
            }
            for message in messages {
                if let event = NetlinkMonitor.event(from: message) { continuation.yield(event) }
            }
        }
        continuation.finish()
    }
}
