import SpliceNet

extension NetworkService {
    /// After a daemon restart: removes every endpoint and sandbox of containers not in `keeping` (those that run)
    /// and what an endpoint cut by the kill left without its record (`BridgeDriver.removeOrphans`); endpoints on
    /// global networks are withdrawn from the cluster too. Returns what was removed, one line each.
    public func removeOrphans(keeping: Set<String>) async -> [String] {
        let stale = ((try? await endpointRecords()) ?? []).filter { !keeping.contains($0.sandbox) }
        for id in Set(stale.map(\.sandbox)) { resolver.forget(id: id) }
        var global: [String: [EndpointRecord]] = [:]
        for id in Set(stale.map(\.sandbox)) { global[id] = await globalEndpoints(of: id) }
        let removed = (try? await onQueue { driver, sandboxes in
            driver.removeOrphans(keeping: keeping, sandboxes: sandboxes)
        }) ?? []
        for (id, endpoints) in global where !endpoints.isEmpty { await withdrawGlobal(endpoints, id: id) }
        return removed
    }
}
