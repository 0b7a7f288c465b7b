import NetlinkKit
import SpliceNet
import enum SpliceRuntime.JSONLogLine
import SystemKit
import struct EngineErrors.EngineError

/// `docker_gwbridge`: the way out of detached overlay networks. An overlay network whose subnet overlaps another
/// local network (two tenants' overlays that both use 10.0.0.0/24) gets a bridge with no address on the host, so
/// the host never routes its subnet and the networks stay apart. Its containers then take their default route
/// and their published ports from a second interface on this local bridge network, as dockerd's overlay
/// containers do: ICC off, masqueraded, made on first use and kept, like dockerd's.
extension NetworkService {
    /// dockerd's name for the network, which is also its bridge's.
    public static let gatewayBridge = "docker_gwbridge"

    /// Connects sandbox `id` to `docker_gwbridge` (making the network first) when it needs it after joining
    /// `network`: that network is detached and not `--internal`, and no other network of the sandbox has a
    /// gateway on the host. `publish` goes to this endpoint then. Returns the endpoint made, or nil. On failure the
    /// sandbox leaves `network` too, so the join is undone whole. On the queue.
    static func connectGatewayBridge(_ sandbox: Sandbox, after network: NetworkRecord, publish: [PortSpec],
                                     _ driver: BridgeDriver) throws -> EndpointRecord?
    {
        do {
            return try joinGatewayBridge(sandbox, after: network, publish: publish, driver)
        } catch {
            try? driver.disconnect(sandbox, from: network.options.name)
            throw error
        }
    }

    private static func joinGatewayBridge(_ sandbox: Sandbox, after network: NetworkRecord, publish: [PortSpec],
                                          _ driver: BridgeDriver) throws -> EndpointRecord?
    {
        guard network.options.isDetached, network.metadata?.internal != true else { return nil }
        let keys = driver.store.endpointKeys().filter { $0.sandbox == sandbox.id }
        for key in keys where key.network != network.options.name {
            if key.network == gatewayBridge { return nil }
            if try driver.store.network(named: key.network)?.options.isDetached != true { return nil }
        }
        if try driver.store.network(named: gatewayBridge) == nil {
            let firewall = try driver.networks().first { $0.metadata == nil }?.options.firewall ?? true
            var options = BridgeNetworkOptions(name: gatewayBridge, bridge: gatewayBridge, interContainer: false,
                                               ipMasquerade: true, firewall: firewall)
            options.mtu = network.options.mtu
            let metadata = NetworkMetadata(id: ContainerID.random(), created: JSONLogLine.now(), options: [
                "com.docker.network.bridge.enable_icc": "false",
                "com.docker.network.bridge.enable_ip_masquerade": "true",
                "com.docker.network.bridge.name": gatewayBridge,
            ])
            try driver.createNetwork(options, metadata: metadata)
        }
        return try driver.connect(sandbox, to: gatewayBridge, publish: publish)
    }

    /// Disconnects sandbox `id` from `docker_gwbridge` once none of its networks needs it (its last detached
    /// overlay network left). On the queue.
    static func releaseGatewayBridge(_ sandbox: Sandbox, _ driver: BridgeDriver) throws {
        let keys = driver.store.endpointKeys().filter { $0.sandbox == sandbox.id }
        guard keys.contains(where: { $0.network == gatewayBridge }) else { return }
        for key in keys where key.network != gatewayBridge {
            guard let record = try driver.store.network(named: key.network) else { continue }
            if record.options.isDetached, record.metadata?.internal != true { return }
        }
        try driver.disconnect(sandbox, from: gatewayBridge)
    }
}
