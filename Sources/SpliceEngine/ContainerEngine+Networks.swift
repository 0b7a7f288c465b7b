#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import SpliceNet
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

/// Containers on several networks: the attachments a container is configured with, joined at start (the
/// `NetworkMode` network first, as `eth0` with the default route, then the others), and `network connect` /
/// `disconnect` on created and running containers.
extension ContainerEngine {
    /// The network service, for the API's network routes (nil without networking).
    public nonisolated var networkService: NetworkService? { network }

    private func attachmentsPath(of id: String) -> String { store.path(of: id) + "/networks.json" }

    /// Container `id`'s configured networks (empty when it has only its `NetworkMode`).
    public func networkAttachments(of id: String) -> [NetworkAttachment] {
        guard let bytes = try? AtomicFile.read(attachmentsPath(of: id)) else { return [] }
        return (try? JSONDecoder().decode([NetworkAttachment].self, from: Data(bytes))) ?? []
    }

    /// Replaces container `id`'s configured networks.
    public func setNetworkAttachments(_ attachments: [NetworkAttachment], of id: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(attachments)), to: attachmentsPath(of: id))
    }

    /// The start's network step: the `NetworkMode` network (with its static address), then every other configured
    /// network as `eth1`, `eth2`, …. On failure everything joined is released.
    func attachNetworks(id: String, mode: SandboxMode, request: ContainerCreateOptions) async throws
        -> (namespacePath: String?, endpoint: ContainerEndpoint?)
    {
        guard let network else { return (nil, nil) }
        let attachments = networkAttachments(of: id)
        var primary: String?
        if case .bridge(let name) = mode { primary = name }
        let address = attachments.first { $0.network == primary }?.ipv4Address
        let address6 = attachments.first { $0.network == primary }?.ipv6Address
        let result = try await network.attach(id: id, mode: mode, ports: request.publishedPorts,
                                              mac: request.macAddress, address: address, address6: address6)
        guard let primary else { return result }
        do {
            for attachment in attachments where attachment.network != primary {
                _ = try await network.connectSandbox(id: id, network: attachment.network,
                                                     address: attachment.ipv4Address,
                                                     address6: attachment.ipv6Address)
            }
            if primary != network.defaultNetwork, let path = result.namespacePath {
                let upstream = await upstreamResolvers(for: request).nameservers
                let resolver = network.resolver
                try await BlockingWork.run { try resolver.register(id: id, namespacePath: path, upstream: upstream) }
            }
        } catch {
            await network.release(id: id, mode: mode)
            throw error
        }
        // The embedded resolver lists the members of user networks only: a container on the default bridge alone
        // changes nothing there, and a refresh reads every endpoint record (500 running containers made each
        // start's network step 12 ms slower).
        if primary != network.defaultNetwork || attachments.contains(where: { $0.network != primary }) {
            await refreshResolver(adding: id)
        }
        return result
    }

    /// `network connect`: records the attachment; a running container gets its new `ethN` at once.
    public func connect(_ reference: String, to networkName: String, aliases: [String], ipv4Address: String?,
                        ipv6Address: String? = nil) async throws
    {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        let mode = try sandboxMode(record.configuration.request.networkMode, requireRunning: false)
        switch mode {
        case .host, .container, .none:
            throw EngineError(.forbidden, "container sharing network namespace with another container or host"
                + " cannot be connected to any other network")
        case .bridge:
            break
        }
        var attachments = networkAttachments(of: id)
        let endpoints = try await network?.endpointRecords() ?? []
        if attachments.contains(where: { $0.network == networkName })
            && (!record.state.isRunning || endpoints.contains { $0.sandbox == id && $0.network == networkName })
        {
            throw EngineError(.forbidden, "endpoint with name \(record.name) already exists in network \(networkName)")
        }
        let previous = attachments
        attachments.removeAll { $0.network == networkName }
        attachments.append(NetworkAttachment(network: networkName, aliases: aliases, ipv4Address: ipv4Address,
                                             ipv6Address: ipv6Address))
        // Intent first: a daemon killed during the kernel work finds the attachment recorded at its restart (a
        // half-made endpoint is removed then as an orphan; `network connect` again completes it).
        try setNetworkAttachments(attachments, of: id)
        Failpoint.hit("connect.intent")
        if record.state.isRunning, let network,
           !endpoints.contains(where: { $0.sandbox == id && $0.network == networkName })
        {
            do {
                _ = try await network.connectSandbox(id: id, network: networkName, address: ipv4Address,
                                                     address6: ipv6Address)
            } catch {
                try? setNetworkAttachments(previous, of: id)
                throw error
            }
            Failpoint.hit("connect.endpoint")
            await emitNetwork("connect", id: id, networks: [networkName])
        }
        await refreshResolver()
    }

    /// `network disconnect`: forgets the attachment; a running container loses its `ethN` at once.
    public func disconnect(_ reference: String, from networkName: String) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        var attachments = networkAttachments(of: id)
        let endpoints = try await network?.endpointRecords() ?? []
        let connected = endpoints.contains { $0.sandbox == id && $0.network == networkName }
        let configured = attachments.contains { $0.network == networkName }
            || (try? sandboxMode(record.configuration.request.networkMode, requireRunning: false))
                == .bridge(network: networkName)
        guard connected || configured else {
            throw EngineError(.forbidden, "container \(id) is not connected to network \(networkName)")
        }
        let previous = attachments
        attachments.removeAll { $0.network == networkName }
        // Intent first: a daemon killed before the endpoint is gone leaves a running container with one endpoint
        // more than configured (its `rm` or a second `disconnect` removes it).
        try setNetworkAttachments(attachments, of: id)
        Failpoint.hit("disconnect.intent")
        if connected, let network {
            do {
                try await network.disconnectSandbox(id: id, network: networkName)
            } catch {
                try? setNetworkAttachments(previous, of: id)
                throw error
            }
            Failpoint.hit("disconnect.endpoint")
            await emitNetwork("disconnect", id: id, networks: [networkName])
        }
        await refreshResolver()
    }

    /// Reopens the embedded DNS listeners of the containers still running on user-defined networks (after a
    /// daemon restart) and rebuilds the table of names.
    public func restoreResolvers() async {
        guard let network else { return }
        for (id, record) in records where record.state.isRunning && usesEmbeddedDNS(record.configuration.request) {
            let upstream = await upstreamResolvers(for: record.configuration.request).nameservers
            let path = network.namespacePath(of: id)
            let resolver = network.resolver
            do {
                try await BlockingWork.run { try resolver.register(id: id, namespacePath: path, upstream: upstream) }
            } catch {
                configuration.logger.error("embedded DNS not restored", metadata: ["container": "\(id)",
                                                                                  "error": "\(error)"])
            }
        }
        await refreshResolver()
    }

    /// Whether `request` joins a user-defined network first (then its resolv.conf names 127.0.0.11).
    func usesEmbeddedDNS(_ request: ContainerCreateOptions) -> Bool {
        guard let network, case .bridge(let name)? = try? sandboxMode(request.networkMode, requireRunning: false)
        else { return false }
        return name != network.defaultNetwork
    }

    /// The resolvers the container would use without the embedded DNS (`--dns`, the daemon's, the host's). The
    /// embedded DNS asks them from the daemon's namespace, so the host's loopback resolvers (systemd-resolved's
    /// 127.0.0.53) are kept, as dockerd keeps them.
    func upstreamResolvers(for request: ContainerCreateOptions) async -> DNSConfig {
        let hostText = (try? await BlockingWork.run {
            String(decoding: (try? FileDescriptor.open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC).readAll()) ?? [],
                   as: UTF8.self)
        }) ?? ""
        return Self.resolvConf(request: request, daemonDNS: configuration.dns, daemonSearch: configuration.dnsSearch,
                               hostResolvConf: hostText, hostNetwork: true)
    }

    /// Rebuilds the embedded DNS table from the endpoints on user-defined networks: each container's name, short
    /// id and aliases on each network; `adding` is a container whose record is not marked running yet.
    public func refreshResolver(adding: String? = nil) async {
        guard let network, let networks = try? await network.networkRecords(),
              let endpoints = try? await network.endpointRecords()
        else { return }
        // `docker_gwbridge` only carries detached overlay networks' traffic out: no names there, as in dockerd.
        let user = Set(networks.filter { $0.metadata != nil }.map(\.options.name))
            .subtracting([NetworkService.gatewayBridge])
        var members: [EmbeddedResolver.Member] = []
        for endpoint in endpoints where user.contains(endpoint.network) {
            guard let record = records[endpoint.sandbox] else { continue }
            let aliases = networkAttachments(of: endpoint.sandbox).first { $0.network == endpoint.network }?.aliases
            members.append(EmbeddedResolver.Member(network: endpoint.network, container: endpoint.sandbox,
                                                   names: [record.name, record.shortID] + (aliases ?? []),
                                                   address: endpoint.address, address6: endpoint.address6))
        }
        if let directory = network.globalDirectory { members += await directory.remoteMembers() }
        network.resolver.setMembers(members)
    }
}
