import Glibc
import SystemKit

/// Splice's nftables rules in one network namespace, through libnftables in process: every change is one atomic
/// transaction on Splice's own tables (`inet splice`, `ip splice-nat`, `bridge splice`), never on anyone else's.
///
/// The caller sets `net.ipv4.ip_forward=1` and, per bridge, `net.ipv4.conf.<bridge>.route_localnet=1` (so that
/// ports published on 127.0.0.1 reach sandboxes). libnftables calls are serialised within the process; changes
/// from other processes are not, so one daemon owns Splice's tables.
public final class Firewall: Sendable {
    /// The namespace whose ruleset this firewall manages; nil for the caller's own namespace.
    public let namespace: NetworkNamespace?
    /// The libnftables context kept between operations (see `NftablesSession` for why).
    private let session = NftablesSession()

    /// Creates a firewall for `namespace` (nil: the calling thread's namespace); with a namespace every libnftables
    /// call runs on a dedicated thread inside it. Checks that libnftables works there.
    public init(namespace: NetworkNamespace? = nil) throws(FirewallError) {
        self.namespace = namespace
        try withContext("open") { _ throws(FirewallError) in }
    }

    /// Replaces Splice's tables with the rules for `model` in one transaction; an empty model deletes them.
    /// The model is validated first, so an invalid model changes nothing.
    public func apply(_ model: FirewallModel) throws(FirewallError) {
        do { try model.validate() } catch { throw error.during("apply") }
        let script = FirewallRenderer.script(for: model)
        try withContext("apply") { context throws(FirewallError) in _ = try context.run(script, operation: "apply") }
    }

    /// Adds the elements for `mappings` to the port maps in one transaction; rules are not touched. Publishing an
    /// identical mapping again is no error; another mapping on a published host port fails (`meansConflict`).
    public func publish(_ mappings: [PortMapping]) throws(FirewallError) {
        if mappings.isEmpty { return }
        try Self.check(mappings, operation: "publish")
        let script = FirewallRenderer.publishScript(mappings)
        try withContext("publish") { context throws(FirewallError) in
            _ = try context.run(script, operation: "publish")
        }
    }

    /// Removes exactly these mappings in one transaction. Mappings already gone (or Splice's tables gone) are no
    /// error; a host port now published to another target fails (`meansConflict`) and is left alone.
    public func unpublish(_ mappings: [PortMapping]) throws(FirewallError) {
        if mappings.isEmpty { return }
        try Self.check(mappings, operation: "unpublish")
        let script = FirewallRenderer.unpublishScript(mappings)
        do {
            try withContext("unpublish") { context throws(FirewallError) in
                _ = try context.run(script, operation: "unpublish")
            }
        } catch where error.meansAlreadyGone {
            return
        }
    }

    /// Adds bridge ports of `network` to the layer-2 isolation set; does nothing when the network allows
    /// inter-container traffic. The network must have been applied with `interContainer` false.
    public func addPorts(_ ports: [String], to network: NetworkRules) throws(FirewallError) {
        if network.interContainer || ports.isEmpty { return }
        for port in ports {
            do { try FirewallModel.checkInterfaceName(port, role: "port") } catch { throw error.during("add ports") }
        }
        let script = FirewallRenderer.addPortsScript(ports)
        try withContext("add ports") { context throws(FirewallError) in
            _ = try context.run(script, operation: "add ports")
        }
    }

    /// Removes bridge ports of `network` from the layer-2 isolation set; ports (or tables) already gone are no error.
    public func removePorts(_ ports: [String], from network: NetworkRules) throws(FirewallError) {
        if network.interContainer || ports.isEmpty { return }
        for port in ports {
            do { try FirewallModel.checkInterfaceName(port, role: "port") } catch { throw error.during("remove ports") }
        }
        let script = FirewallRenderer.removePortsScript(ports)
        do {
            try withContext("remove ports") { context throws(FirewallError) in
                _ = try context.run(script, operation: "remove ports")
            }
        } catch where error.meansAlreadyGone {
            return
        }
    }

    /// Deletes Splice's tables if present, in one transaction, and nothing else.
    public func removeAll() throws(FirewallError) {
        try withContext("remove") { context throws(FirewallError) in
            _ = try context.run(FirewallRenderer.removalScript, operation: "remove")
        }
    }

    /// Reads back Splice's tables (chains, rule counts, maps and their elements as mappings, isolated ports) and
    /// other tables' forward chains with policy drop, through libnftables' JSON output.
    public func current() throws(FirewallError) -> FirewallState {
        try withContext("read back") { context throws(FirewallError) in
            let overview = try context.run("list tables; list chains", operation: "read back", json: true)
            let present = try FirewallState(decodingJSON: overview).tables
            var text = overview
            // One command per call: libnftables 1.0.6 narrows its cache to the first `list table` of a buffer.
            for table in present {
                text += try context.run(
                    "list table \(table.family.rawValue) \(table.name)", operation: "read back", json: true)
            }
            return try FirewallState(decodingJSON: text, legacyTables: Self.legacyTables())
        }
    }

    // MARK: - Internals

    /// Runs `body` with this firewall's libnftables context, inside `namespace` when there is one.
    private func withContext<T>(
        _ operation: String, _ body: @escaping (NftablesContext) throws(FirewallError) -> T
    ) throws(FirewallError) -> T {
        let session = session
        let work = { () throws(FirewallError) -> T in
            try LibnftablesLock.shared.withLock { () throws(FirewallError) -> T in
                try session.withContext(operation, body)
            }
        }
        guard let namespace else { return try work() }
        do {
            return try namespace.perform(work)
        } catch {
            switch error {
            case .enter(let failure):
                throw FirewallError(
                    kind: .namespace, operation: operation, message: "cannot enter network namespace: \(failure)",
                    errno: failure.errno)
            case .body(let failure):
                throw failure
            }
        }
    }

    /// Validates mappings for `publish`/`unpublish`: each on its own, and no host key twice with different targets.
    private static func check(_ mappings: [PortMapping], operation: String) throws(FirewallError) {
        var seen: [PortMapping.HostKey: PortMapping] = [:]
        for mapping in mappings {
            do { try mapping.validate() } catch { throw error.during(operation) }
            if let other = seen.updateValue(mapping, forKey: mapping.hostKey), other != mapping {
                throw FirewallError.invalidModel(
                    "host port \(mapping.hostKey) appears twice: \(other) and \(mapping)", operation: operation)
            }
        }
    }

    /// The legacy x_tables tables loaded in the calling thread's namespace, such as `ip filter`.
    private static func legacyTables() -> [String] {
        var names: [String] = []
        for (family, file) in [("ip", "ip_tables_names"), ("ip6", "ip6_tables_names")] {
            guard let descriptor = try? FileDescriptor.open("/proc/thread-self/net/\(file)"),
                let bytes = try? descriptor.readAll()
            else { continue }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.isEmpty {
                names.append("\(family) \(line)")
            }
        }
        return names.sorted()
    }
}

extension FirewallError {
    /// The same error reported for `operation`.
    func during(_ operation: String) -> FirewallError {
        FirewallError(
            kind: kind, operation: operation, message: message, command: command, errno: errno, details: details)
    }
}
