/// Remote hosts and endpoints that left the store because their host's lease lapsed, kept in the forwarding view
/// for a grace period. A host whose keep-alive is late (a loaded etcd, a busy daemon) loses its lease, joins again
/// and republishes its endpoints a moment later; without the grace every other host would tear down its entries
/// in between and, if the store went away in that moment, keep them torn down until it returned. An endpoint
/// withdrawn while its host stays registered (a container removed) goes at once; one that reappears, or whose
/// address or MAC is taken by a current endpoint of the same network, stops lingering.
///
/// A grace ends only once this host has itself reached the store after it (`storeReached`, its own keep-alive
/// answered): a store that cannot be reached, or that lets every lease lapse while it shuts down (etcd still
/// expires leases and streams the deletions after it stopped taking requests), says nothing about whether the
/// departed host is alive.
public struct PeerGrace: Sendable {
    /// How long a departed host and its endpoints stay in the view.
    public let period: Duration
    private var previousHosts: [String: ClusterHost] = [:]
    private var previousEndpoints: [EndpointKey: ClusterEndpoint] = [:]
    private var lingeringHosts: [String: Lingering<ClusterHost>] = [:]
    private var lingeringEndpoints: [EndpointKey: Lingering<ClusterEndpoint>] = [:]
    /// The last moment this host reached the store (its own keep-alive answered); nil before the first.
    private var reachedAt: ContinuousClock.Instant?

    private struct EndpointKey: Hashable, Sendable {
        var network: String
        var id: String
    }

    private struct Lingering<Record: Sendable>: Sendable {
        var record: Record
        var deadline: ContinuousClock.Instant
    }

    /// The view to forward to: the store's hosts and endpoints plus those still in their grace period.
    public struct View: Sendable, Equatable {
        /// Hosts alive in the store, then departed ones in their grace period.
        public var hosts: [ClusterHost]
        /// Endpoints in the store, then departed ones in their grace period.
        public var endpoints: [ClusterEndpoint]
    }

    public init(period: Duration) { self.period = period }

    /// The earliest moment a lingering record's grace ends (nil when none lingers): the first reconcile after this
    /// host then reaches the store drops it.
    public var nextDeadline: ContinuousClock.Instant? {
        (lingeringHosts.values.map(\.deadline) + lingeringEndpoints.values.map(\.deadline)).min()
    }

    /// Restarts the grace of everything lingering from `now`: while the store cannot be read, nobody can tell a
    /// departed host that is coming back from one that is gone, so a grace never ends during a store outage.
    public mutating func storeUnavailable(now: ContinuousClock.Instant = .now) {
        let deadline = now + period
        lingeringHosts = lingeringHosts.mapValues { Lingering(record: $0.record, deadline: max($0.deadline, deadline)) }
        lingeringEndpoints = lingeringEndpoints.mapValues {
            Lingering(record: $0.record, deadline: max($0.deadline, deadline))
        }
    }

    /// Records that this host reached the store at `now` (its lease kept alive); returns true when a lingering
    /// record's grace has ended by then, so a reconcile now drops it.
    public mutating func storeReached(now: ContinuousClock.Instant = .now) -> Bool {
        reachedAt = now
        return nextDeadline.map { $0 <= now } ?? false
    }

    /// Whether a record whose grace ends at `deadline` is still kept at `now`.
    private func lingers(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Bool {
        guard deadline <= now, let reachedAt else { return true }
        return reachedAt < deadline
    }

    /// Takes the store's current hosts and endpoints (other hosts' only matter; `localHost`'s are passed through)
    /// and returns the view with departed peers added for their grace period.
    public mutating func update(hosts: [ClusterHost], endpoints: [ClusterEndpoint], localHost: String,
                                now: ContinuousClock.Instant = .now) -> View
    {
        let currentHosts = Dictionary(hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let currentEndpoints = Dictionary(endpoints.map { (EndpointKey(network: $0.network, id: $0.id), $0) },
                                          uniquingKeysWith: { first, _ in first })
        // Hosts that just left the store, with the endpoints they had: their lease lapsed.
        for (name, host) in previousHosts where currentHosts[name] == nil && name != localHost {
            if lingeringHosts[name] == nil { lingeringHosts[name] = Lingering(record: host, deadline: now + period) }
            for (key, endpoint) in previousEndpoints
            where endpoint.host == name && currentEndpoints[key] == nil && lingeringEndpoints[key] == nil {
                lingeringEndpoints[key] = Lingering(record: endpoint, deadline: now + period)
            }
        }
        previousHosts = currentHosts
        previousEndpoints = currentEndpoints
        lingeringHosts = lingeringHosts.filter {
            currentHosts[$0.key] == nil && lingers(until: $0.value.deadline, now: now)
        }
        lingeringEndpoints = lingeringEndpoints.filter { key, lingering in
            guard currentEndpoints[key] == nil, lingers(until: lingering.deadline, now: now) else { return false }
            return !endpoints.contains {
                $0.network == key.network && ($0.address == lingering.record.address || $0.mac == lingering.record.mac)
            }
        }
        let departedHosts = lingeringHosts.keys.sorted().compactMap { lingeringHosts[$0]?.record }
        let departedEndpoints = lingeringEndpoints.keys.sorted { ($0.network, $0.id) < ($1.network, $1.id) }
            .compactMap { lingeringEndpoints[$0]?.record }
        return View(hosts: hosts + departedHosts, endpoints: endpoints + departedEndpoints)
    }
}
