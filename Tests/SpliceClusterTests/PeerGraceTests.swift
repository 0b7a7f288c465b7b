import SpliceNet
import SystemKit
import Testing
@testable import SpliceCluster

@Suite("Departed peers' grace period")
struct PeerGraceTests {
    static let local = ClusterHost(name: "h1", address: IPv4Address(10, 211, 0, 1), mtu: 1500)
    static let peer = ClusterHost(name: "h2", address: IPv4Address(10, 211, 0, 2), mtu: 1500)

    static func endpoint(_ id: String, host: String, last: UInt8, network: String = "n1") -> ClusterEndpoint {
        ClusterEndpoint(network: network, id: id, container: id, names: [id], address: IPv4Address(10, 210, 0, last),
                        mac: MACAddress(bytes: [0x02, 0x42, 10, 210, 0, last]) ?? .broadcast, host: host)
    }

    @Test func aPeerWhoseLeaseLapsedStaysForOnePeriodAndReturnsWithoutAGap() {
        var grace = PeerGrace(period: .seconds(4))
        let start = ContinuousClock.now
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1", now: start)
        // h2's lease lapsed: its host record and endpoint left the store together.
        let lapsed = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start + .seconds(1))
        #expect(lapsed.hosts == [Self.local, Self.peer])
        #expect(lapsed.endpoints == [bravo])
        #expect(grace.nextDeadline == start + .seconds(5))
        // h2 joined again but has not republished yet: bravo still lingers.
        let rejoined = grace.update(hosts: [Self.local, Self.peer], endpoints: [], localHost: "h1",
                                    now: start + .seconds(2))
        #expect(rejoined.hosts == [Self.local, Self.peer])
        #expect(rejoined.endpoints == [bravo])
        // Republished: one record, nothing lingering.
        let back = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1",
                                now: start + .seconds(3))
        #expect(back.endpoints == [bravo])
        #expect(grace.nextDeadline == nil)
    }

    @Test func aPeerThatStaysAwayIsDroppedWhenItsGraceEnds() {
        var grace = PeerGrace(period: .seconds(4))
        let start = ContinuousClock.now
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1", now: start)
        _ = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start)
        let due1 = grace.storeReached(now: start + .seconds(3))
        #expect(!due1, "nothing is due yet")
        let due2 = grace.storeReached(now: start + .seconds(4))
        #expect(due2, "this host's keep-alive is answered: h2's time is up")
        let expired = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start + .seconds(4))
        #expect(expired.hosts == [Self.local])
        #expect(expired.endpoints.isEmpty)
        #expect(grace.nextDeadline == nil)
    }

    @Test func anEndpointWithdrawnWhileItsHostStaysGoesAtOnce() {
        var grace = PeerGrace(period: .seconds(4))
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1")
        let removed = grace.update(hosts: [Self.local, Self.peer], endpoints: [], localHost: "h1")
        #expect(removed.endpoints.isEmpty)
        #expect(grace.nextDeadline == nil)
    }

    @Test func aCurrentEndpointWithTheSameAddressWinsOverALingeringOne() {
        var grace = PeerGrace(period: .seconds(4))
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        let charlie = Self.endpoint("charlie", host: "h1", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1")
        let view = grace.update(hosts: [Self.local], endpoints: [charlie], localHost: "h1")
        #expect(view.endpoints == [charlie])
        #expect(view.hosts == [Self.local, Self.peer])
    }
}

extension PeerGraceTests {
    @Test func aStoreOutageRestartsTheGraceSoAPeerHasTimeToReturnAfterIt() {
        var grace = PeerGrace(period: .seconds(4))
        let start = ContinuousClock.now
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [bravo], localHost: "h1", now: start)
        _ = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start)
        // The store went away one second later and came back at 10 s: the grace runs from the last failure.
        grace.storeUnavailable(now: start + .seconds(1))
        grace.storeUnavailable(now: start + .seconds(9))
        #expect(grace.nextDeadline == start + .seconds(13))
        let back = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start + .seconds(10))
        #expect(back.endpoints == [bravo], "h2 has until 13 s to join again")
        let due3 = grace.storeReached(now: start + .seconds(13))
        #expect(due3)
        let gone = grace.update(hosts: [Self.local], endpoints: [], localHost: "h1", now: start + .seconds(13))
        #expect(gone.endpoints.isEmpty)
    }

    @Test func aGraceOnlyEndsOnceThisHostHasReachedTheStoreAfterIt() {
        var grace = PeerGrace(period: .seconds(4))
        let start = ContinuousClock.now
        let alpha = Self.endpoint("alpha", host: "h1", last: 2)
        let bravo = Self.endpoint("bravo", host: "h2", last: 3)
        _ = grace.update(hosts: [Self.local, Self.peer], endpoints: [alpha, bravo], localHost: "h1", now: start)
        let due4 = grace.storeReached(now: start)
        #expect(!due4)
        // h2's lease was revoked; then etcd stopped taking requests but, shutting down, still expired h1's lease
        // and streamed the deletion after h2's grace had ended. h1's keep-alive has not been answered since.
        _ = grace.update(hosts: [Self.local], endpoints: [alpha], localHost: "h1", now: start)
        let shuttingDown = grace.update(hosts: [], endpoints: [], localHost: "h1", now: start + .seconds(5))
        #expect(shuttingDown.endpoints == [bravo], "a store h1 cannot reach says nothing about h2")
        #expect(shuttingDown.hosts == [Self.peer])
        // The store answers h1 again: h2, still away, goes.
        let due5 = grace.storeReached(now: start + .seconds(6))
        #expect(due5)
        let gone = grace.update(hosts: [Self.local], endpoints: [alpha], localHost: "h1", now: start + .seconds(6))
        #expect(gone.endpoints == [alpha])
        #expect(gone.hosts == [Self.local])
        #expect(grace.nextDeadline == nil)
    }
}
