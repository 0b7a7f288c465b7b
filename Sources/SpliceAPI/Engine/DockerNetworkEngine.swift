import DockerModels

/// The networks API (`/networks/...`, `docker-engine-api-networks.md` 3), served by engines that have networks;
/// for others the routes answer dockerd's 404.
public protocol DockerNetworkEngine: DockerEngine {
    /// `GET /networks[?filters=]`: filters `name`, `id`, `label`, `driver`, `type`, `scope`, `dangling`.
    func networks(filters: [String: [String]]) async throws -> [NetworkResource]
    /// `GET /networks/{id}`: with `Containers`.
    func network(_ reference: String) async throws -> NetworkResource
    /// `POST /networks/create`.
    func createNetwork(_ request: NetworkCreateRequest) async throws -> NetworkCreateResponse
    /// `DELETE /networks/{id}`.
    func removeNetwork(_ reference: String) async throws
    /// `POST /networks/{id}/connect`.
    func connectNetwork(_ reference: String, _ request: NetworkConnectRequest) async throws
    /// `POST /networks/{id}/disconnect`.
    func disconnectNetwork(_ reference: String, _ request: NetworkDisconnectRequest) async throws
    /// `POST /networks/prune`.
    func pruneNetworks(filters: [String: [String]]) async throws -> NetworkPruneResponse
}
