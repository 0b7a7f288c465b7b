import NetlinkKit
import SystemKit

extension BridgeDriver {
    /// Removes everything Splice's network driver created, from its state directory and the kernel's marks
    /// alone: endpoints, networks (and the bridges it made), its nftables tables, leftover marked interfaces,
    /// pinned sandboxes and IPAM pools. Used on crash recovery and by tests to prove nothing leaked. Continues
    /// past failures and reports them all at the end.
    public func removeEverything(sandboxes: SandboxFactory? = nil) throws(NetworkError) {
        var failures: [String] = []
        try store.locked { () throws(NetworkError) in
            for endpoint in (try? store.endpoints()) ?? [] {
                do { try teardown(endpoint) } catch { failures.append("\(error)") }
            }
        }
        for network in (try? store.networks()) ?? [] {
            do { try deleteNetwork(named: network.options.name) } catch { failures.append("\(error)") }
        }
        do { try firewall().removeAll() } catch { failures.append("\(error)") }
        do {
            for link in try host.links() where link.alias?.hasPrefix(SpliceNetMark.prefix) == true {
                do { try host.deleteLink(link.index, name: link.name) } catch where error.errno?.meansAlreadyGone == true {
                } catch {
                    failures.append("\(error)")
                }
            }
        } catch {
            failures.append("\(error)")
        }
        if let sandboxes {
            for id in sandboxes.pinnedIDs() {
                do { try NetworkNamespace.delete(pinnedAt: sandboxes.path(of: id)) } catch { failures.append("\(error)") }
            }
        }
        for pool in (try? ipam.pools()) ?? [] {
            for address in pool.allocations.keys.compactMap(IPv4Address.init) {
                try? ipam.release(address, in: pool.name)
            }
            do { try ipam.deletePool(name: pool.name) } catch { failures.append("\(error)") }
        }
        if !failures.isEmpty {
            throw NetworkError(.internal, "cleanup left \(failures.count) problem(s): " + failures.joined(separator: "; "))
        }
    }
}
