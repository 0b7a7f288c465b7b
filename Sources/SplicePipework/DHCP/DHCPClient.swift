import Glibc
import NetlinkKit
import SystemKit

/// A DHCPv4 client for one interface inside a guest's network namespace.
///
/// It only talks DHCP: it never configures the interface or writes any resolv.conf, host or guest; the caller applies
/// the returned `DHCPLease`. Each call opens its sockets (UDP port 68 to send, `AF_PACKET` to receive; see
/// `DHCPSocket`) on a dedicated thread inside the namespace and blocks until the exchange finishes, so call it from a
/// thread that may block, not from a cooperative task. The interface must be up.
public struct DHCPClient: Sendable {
    /// The interface inside `namespace`.
    public let interface: String
    /// The guest's network namespace.
    public let namespace: NetworkNamespace
    /// The hardware address sent as `chaddr` and in the client identifier; normally the interface's own.
    public let mac: MACAddress
    /// The host name sent in option 12, if any.
    public let hostname: String?
    /// How long each exchange (DISCOVER→OFFER, REQUEST→ACK) waits in total.
    public let timeoutSeconds: Int
    /// How many times each message is sent at most; nil retransmits until the timeout.
    public let attempts: Int?

    /// Creates a client; nothing is sent until `acquire()`.
    public init(interface: String, namespace: NetworkNamespace, mac: MACAddress, hostname: String? = nil,
                timeoutSeconds: Int = DHCPClientSettings.defaultTimeoutSeconds, attempts: Int? = nil)
    {
        self.interface = interface
        self.namespace = namespace
        self.mac = mac
        self.hostname = hostname
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.attempts = attempts.map { max(1, $0) }
    }

    /// Creates a client with settings parsed from pipework's `dhcp:OPTS`.
    public init(interface: String, namespace: NetworkNamespace, mac: MACAddress, settings: DHCPClientSettings) {
        self.init(interface: interface, namespace: namespace, mac: mac, hostname: settings.hostname,
                  timeoutSeconds: settings.timeoutSeconds, attempts: settings.attempts)
    }

    /// The first retransmission interval; it doubles (plus up to a quarter of random jitter) after each one.
    static let firstRetransmission: Duration = .seconds(1)
    /// The longest retransmission interval.
    static let longestRetransmission: Duration = .seconds(16)
    /// What the client asks for in option 55.
    static let requestedParameters: [DHCPOption.Code] = [.subnetMask, .router, .domainNameServer, .domainName]
    private static let limitedBroadcast = IPv4Address(255, 255, 255, 255)

    /// Obtains a new lease: DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK, all broadcast with the BROADCAST flag set
    /// because the interface has no address yet. Retransmits with exponential backoff.
    public func acquire() throws(DHCPError) -> DHCPLease {
        try withSocket { (socket) throws(DHCPError) -> DHCPLease in
            let started = ContinuousClock.now
            let transactionID = UInt32.random(in: 1...UInt32.max)
            let discover = message(.discover, transactionID: transactionID, broadcast: true)
            let offer = try exchange(
                on: socket, sending: discover, to: Self.limitedBroadcast, awaiting: .offer, started: started
            ) { reply in
                reply.messageType == .offer && reply.yourAddress.value != 0 && reply.serverIdentifier != nil
            }
            guard let server = offer.serverIdentifier else {
                throw .unusableLease(reason: "DHCPOFFER without a server identifier")  // the filter above rejects these
            }
            let request = message(.request, transactionID: transactionID, broadcast: true,
                                  extra: [.requestedAddress(offer.yourAddress), .serverIdentifier(server)])
            let answer = try exchange(
                on: socket, sending: request, to: Self.limitedBroadcast, awaiting: .ack, started: started
            ) { reply in
                (reply.messageType == .ack || reply.messageType == .nak)
                    && (reply.serverIdentifier == nil || reply.serverIdentifier == server)
            }
            return try lease(from: answer, server: server, previous: nil)
        }
    }

    /// Extends `lease`: a DHCPREQUEST with `ciaddr` set. When the leased address is configured on the interface it
    /// goes unicast to the lease's server (RFC 2131 RENEWING) and, after half the timeout without an answer, broadcast
    /// (REBINDING); when the address is not configured yet it is broadcast from the start, with the BROADCAST flag.
    /// Options the ACK leaves out keep their values from `lease`.
    public func renew(_ lease: DHCPLease) throws(DHCPError) -> DHCPLease {
        guard case .v4(let current) = lease.address.address else {
            throw .unusableLease(reason: "\(lease.address) is not an IPv4 address")
        }
        return try withSocket { (socket) throws(DHCPError) -> DHCPLease in
            let started = ContinuousClock.now
            let unicast = socket.sourceAddress(toward: lease.server) == current
            let request = message(.request, transactionID: UInt32.random(in: 1...UInt32.max), broadcast: !unicast,
                                  clientAddress: current)
            let answer = try exchange(
                on: socket, sending: request, to: unicast ? lease.server : Self.limitedBroadcast, awaiting: .ack,
                started: started, rebindAfter: .seconds(timeoutSeconds) / 2
            ) { reply in
                reply.messageType == .ack || reply.messageType == .nak
            }
            return try self.lease(from: answer, server: lease.server, previous: lease)
        }
    }

    /// Gives `lease` back to its server with a DHCPRELEASE: unicast when the leased address is configured on the
    /// interface, broadcast otherwise (a server drops unicast from 0.0.0.0). Best effort: RELEASE has no reply, and
    /// failures are ignored because the lease expires on its own.
    public func release(_ lease: DHCPLease) {
        guard case .v4(let current) = lease.address.address else { return }
        let release = message(.release, transactionID: UInt32.random(in: 1...UInt32.max), broadcast: false,
                              clientAddress: current, extra: [.serverIdentifier(lease.server)])
        _ = try? withSocket { (socket) throws(DHCPError) in
            var delivered = false
            if socket.sourceAddress(toward: lease.server) == current {
                delivered = try send(release, on: socket, to: lease.server)
            }
            if !delivered { _ = try send(release, on: socket, to: Self.limitedBroadcast) }
        }
    }

    // MARK: Exchanges

    /// Builds a client message with the options every message carries.
    func message(_ type: DHCPMessageType, transactionID: UInt32, broadcast: Bool,
                 clientAddress: IPv4Address = IPv4Address(0, 0, 0, 0), extra: [DHCPOption] = []) -> DHCPMessage
    {
        var options: [DHCPOption] = [.messageType(type)] + extra + [.clientIdentifier(mac)]
        if type != .release {
            if let hostname { options.append(.hostName(hostname)) }
            options.append(.parameterRequestList(Self.requestedParameters))
        }
        return DHCPMessage(operation: .request, transactionID: transactionID, clientHardwareAddress: mac,
                           options: options, broadcast: broadcast, clientAddress: clientAddress)
    }

    /// Sends `request` and waits for a reply to it that `accept` takes, retransmitting with backoff until the
    /// attempts or the timeout run out. A unicast request switches to broadcast after `rebindAfter`.
    private func exchange(
        on socket: DHCPSocket, sending request: DHCPMessage, to destination: IPv4Address, awaiting: DHCPMessageType,
        started: ContinuousClock.Instant, rebindAfter: Duration? = nil, accept: (DHCPMessage) -> Bool
    ) throws(DHCPError) -> DHCPMessage {
        var request = request
        var destination = destination
        let clock = ContinuousClock()
        let exchangeStarted = clock.now
        let deadline = exchangeStarted + .seconds(timeoutSeconds)
        var interval = Self.firstRetransmission
        var nextSend = exchangeStarted
        var sent = 0
        var sentToDestination = 0
        while true {
            let now = clock.now
            if now >= deadline {
                throw .timeout(interface: interface, namespace: namespace.label, awaiting: awaiting,
                               seconds: timeoutSeconds, sent: sent)
            }
            if let rebindAfter, destination != Self.limitedBroadcast, now - exchangeStarted >= rebindAfter {
                destination = Self.limitedBroadcast
                request.broadcast = true
                nextSend = now
                interval = Self.firstRetransmission
                sentToDestination = 0
            }
            let mayResend = attempts.map { sentToDestination < $0 } ?? true
            if mayResend, now >= nextSend {
                request.secondsElapsed = UInt16(clamping: (now - started).components.seconds)
                if try !send(request, on: socket, to: destination) {
                    // No route to the server: rebind by broadcast instead.
                    destination = Self.limitedBroadcast
                    request.broadcast = true
                    _ = try send(request, on: socket, to: destination)
                }
                sent += 1
                sentToDestination += 1
                let jitterMilliseconds = Int.random(in: 0...Int(interval.components.seconds) * 250)
                nextSend = now + interval + .milliseconds(jitterMilliseconds)
                interval = min(interval * 2, Self.longestRetransmission)
            }
            let exhausted = attempts.map { sentToDestination >= $0 } ?? false
            let wakeUp = exhausted ? deadline : min(nextSend, deadline)
            let received: [UInt8]?
            do throws(SystemError) {
                received = try socket.receive(timeout: wakeUp - clock.now)
            } catch {
                throw .system(error)
            }
            guard let received, let reply = try? DHCPMessage(decoding: received) else { continue }
            if reply.operation == .reply, reply.transactionID == request.transactionID,
                reply.clientHardwareAddress == mac, accept(reply)
            {
                return reply
            }
        }
    }

    /// Sends one message; returns false when the kernel has no route to `destination` (unicast only).
    private func send(_ message: DHCPMessage, on socket: DHCPSocket, to destination: IPv4Address)
        throws(DHCPError) -> Bool
    {
        do throws(SystemError) {
            try socket.send(message.encoded(), to: destination)
            return true
        } catch {
            let unroutable = error.errno == .networkUnreachable || error.errno == Errno(rawValue: EHOSTUNREACH)
            if unroutable, destination != Self.limitedBroadcast { return false }
            throw .system(error)
        }
    }

    /// Turns a DHCPACK into a lease, or a DHCPNAK into an error.
    private func lease(from reply: DHCPMessage, server: IPv4Address, previous: DHCPLease?) throws(DHCPError)
        -> DHCPLease
    {
        if reply.messageType == .nak {
            throw .nak(server: reply.serverIdentifier ?? server, message: reply.message)
        }
        return try DHCPLease(acknowledgement: reply, server: server, previous: previous)
    }

    /// Opens the socket inside the namespace on a dedicated thread and runs `body` there.
    private func withSocket<T>(_ body: @escaping (DHCPSocket) throws(DHCPError) -> T) throws(DHCPError) -> T {
        let interface = interface
        do throws(NamespaceError<DHCPError>) {
            return try namespace.perform { () throws(DHCPError) -> T in
                let socket: DHCPSocket
                do throws(SystemError) { socket = try DHCPSocket(interface: interface) } catch { throw .system(error) }
                return try body(socket)
            }
        } catch {
            switch error {
            case .enter(let failure): throw .system(failure)
            case .body(let failure): throw failure
            }
        }
    }
}
