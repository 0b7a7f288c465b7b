import NetlinkKit
import SystemKit
import TestSupport
import Testing

/// `NetlinkMonitor` subscribed in a scratch namespace delivers the changes made there, within a bounded time.
@Suite(needsNamespaces) struct MonitorTests {
    /// Collects events until `done` says the collection is complete or `timeout` passes; stops the monitor.
    static func collect(from monitor: NetlinkMonitor, timeout: Duration = .seconds(5),
                        until done: @escaping @Sendable ([NetlinkEvent]) -> Bool,
                        while acting: () throws -> Void) async throws -> [NetlinkEvent]
    {
        let events = monitor.events
        let collector = Task { () -> [NetlinkEvent] in
            var seen: [NetlinkEvent] = []
            for await event in events {
                seen.append(event)
                if done(seen) { break }
            }
            return seen
        }
        let timer = Task {
            try await Task.sleep(for: timeout)
            collector.cancel()
        }
        try acting()
        let seen = await collector.value
        timer.cancel()
        monitor.stop()
        return seen
    }

    static func isLinkAdded(_ name: String) -> @Sendable (NetlinkEvent) -> Bool {
        { if case .linkAdded(let link) = $0 { link.name == name } else { false } }
    }

    @Test func linkAndAddressAddedAndRemoved() async throws {
        let namespace = try NetworkNamespace.anonymous()
        let socket = try NetlinkSocket.open(in: namespace)
        let monitor = try NetlinkMonitor(in: namespace)
        let network = try network("10.0.0.1/24")
        let seen = try await Self.collect(from: monitor, until: { seen in
            seen.contains { if case .addressRemoved(let a) = $0 { a.network == network } else { false } }
                && seen.contains { if case .linkRemoved(let l) = $0 { l.name == "br0" } else { false } }
        }) {
            let bridge = try socket.makeBridge()
            try socket.addAddress(network, to: bridge)
            try socket.deleteAddress(network, from: bridge)
            try socket.deleteLink(bridge)
        }
        let added = seen.compactMap { if case .linkAdded(let link) = $0, link.name == "br0" { link } else { nil } }
        #expect(added.first?.kind == "bridge")
        #expect(seen.contains {
            if case .addressAdded(let a) = $0 { a.network == network && a.label == "br0" } else { false }
        })
        #expect(seen.contains { if case .addressRemoved(let a) = $0 { a.network == network } else { false } })
        #expect(seen.contains { if case .linkRemoved(let l) = $0 { l.name == "br0" } else { false } })
    }

    @Test func changesInOtherNamespacesAreNotDelivered() async throws {
        let namespace = try NetworkNamespace.anonymous()
        let other = try NetworkNamespace.anonymous(label: "other")
        let socket = try NetlinkSocket.open(in: namespace)
        let otherSocket = try NetlinkSocket.open(in: other)
        let monitor = try NetlinkMonitor(in: namespace)
        let seen = try await Self.collect(from: monitor, until: { $0.contains(where: Self.isLinkAdded("mine0")) }) {
            try otherSocket.addLink(LinkSpec(name: "other0", kind: .bridge))
            try socket.addLink(LinkSpec(name: "mine0", kind: .bridge))
        }
        #expect(seen.contains(where: Self.isLinkAdded("mine0")))
        #expect(!seen.contains(where: Self.isLinkAdded("other0")))
    }

    @Test func stoppedMonitorFinishesItsStream() async throws {
        let namespace = try NetworkNamespace.anonymous()
        let monitor = try NetlinkMonitor(in: namespace)
        let events = monitor.events
        // The stream must end because of stop(), not because the hang guard cancelled the consumer. The guard
        // is generous: other suites may keep the cooperative pool busy, and timing belongs in benchmarks.
        let finished = Task { () -> Bool in
            for await _ in events {}
            return Task.isCancelled
        }
        let guardTask = Task {
            try await Task.sleep(for: .seconds(60))
            finished.cancel()
        }
        try await Task.sleep(for: .milliseconds(50))
        monitor.stop()
        let cancelled = await finished.value
        guardTask.cancel()
        #expect(!cancelled, "the stream ended only when the hang guard cancelled it")
    }
}
