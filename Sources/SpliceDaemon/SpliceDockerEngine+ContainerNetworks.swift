import SpliceAPI
import SpliceEngine
import SpliceNet
import struct EngineErrors.EngineError

/// Containers on user-defined networks: `NetworkingConfig.EndpointsConfig` at create, and inspect's
/// `NetworkSettings.Networks` with one entry per network.
extension SpliceDockerEngine {
    /// The networks a create body asks for beyond its plain `NetworkMode`, refusing as dockerd does a static
    /// address or an alias on the default bridge (before anything is created); nil when there are none.
    func networkAttachments(for request: ContainerCreateRequest) async throws -> [NetworkAttachment]? {
        let mode = request.hostConfig?.NetworkMode ?? "default"
        let endpoints = request.networkingConfig?.EndpointsConfig ?? [:]
        let builtin: Set<String> = ["host", "none"]
        if builtin.contains(mode) || mode.hasPrefix("container:") { return nil }
        var attachments: [NetworkAttachment] = []
        let primary = await driverNetworkName(mode)
        var primaryEntry: EndpointSettings?
        var others: [(String, EndpointSettings)] = []
        for (key, settings) in endpoints.sorted(by: { $0.key < $1.key }) {
            let name = await driverNetworkName(key)
            if name == primary { primaryEntry = settings } else { others.append((name, settings)) }
        }
        func attachment(_ name: String, _ settings: EndpointSettings?) -> NetworkAttachment {
            NetworkAttachment(network: name, aliases: settings?.Aliases ?? [],
                              ipv4Address: settings?.IPAMConfig?.IPv4Address.flatMap { $0.isEmpty ? nil : $0 },
                              ipv6Address: settings?.IPAMConfig?.IPv6Address.flatMap { $0.isEmpty ? nil : $0 })
        }
        attachments.append(attachment(primary, primaryEntry))
        for (name, settings) in others { attachments.append(attachment(name, settings)) }
        if let defaultNetwork = engine.networkService?.defaultNetwork,
           let onDefault = attachments.first(where: { $0.network == defaultNetwork })
        {
            if onDefault.ipv4Address != nil {
                throw EngineError(.invalidArgument, "user specified IP address is supported on user defined networks"
                    + " only")
            }
            if !onDefault.aliases.isEmpty {
                throw EngineError(.invalidArgument, "network-scoped alias is supported only for containers in user"
                    + " defined networks")
            }
        }
        if attachments.count == 1, attachments[0].aliases.isEmpty, attachments[0].ipv4Address == nil,
           attachments[0].ipv6Address == nil { return nil }
        return attachments
    }

    /// Fills `NetworkSettings.Networks` from the container's endpoints (running) or its configured networks
    /// (not running); on user-defined networks the top-level address fields stay empty, as dockerd leaves them.
    func applyNetworks(of record: ContainerRecord, to inspect: inout ContainerInspect) async throws {
        guard let service = engine.networkService else { return }
        let mode = record.configuration.request.networkMode
        if mode == "host" || mode == "none" || mode.hasPrefix("container:") { return }
        let attachments = await engine.networkAttachments(of: record.id)
        let primary = await driverNetworkName(mode)
        var wanted = attachments.map(\.network)
        if !wanted.contains(primary) { wanted.insert(primary, at: 0) }
        var entries: [NetworkEntry] = []
        do { entries = try await networkEntries() } catch {
            engine.configuration.logger.warning("networks not read; inspect shows them without ids and aliases",
                                                metadata: ["container": "\(record.id)", "error": "\(error)"])
        }
        // A detached overlay network's way out (`docker_gwbridge`) is not the container's network: dockerd shows
        // it only in the network's own inspect.
        let endpoints = record.state.isRunning ? try await service.endpointRecords().filter {
            $0.sandbox == record.id && ($0.network != NetworkService.gatewayBridge || wanted.contains($0.network))
        } : []
        var networks: [String: EndpointSettings] = [:]
        var settings = inspect.NetworkSettings
        for name in Set(wanted + endpoints.map(\.network)) {
            let entry = entries.first { $0.record?.options.name == name }
            let dockerName = entry?.name ?? name
            let attachment = attachments.first { $0.network == name }
            var endpoint = EndpointSettings()
            endpoint.NetworkID = entry?.id ?? ""
            var aliases: [String] = []
            for alias in attachment?.aliases ?? [] where !aliases.contains(alias) { aliases.append(alias) }
            // dockerd adds the short id on every user-defined network (compose sends it too).
            if entry?.predefined == false, !aliases.contains(record.shortID) { aliases.append(record.shortID) }
            endpoint.Aliases = entry?.predefined == false || !aliases.isEmpty ? aliases : nil
            endpoint.IPAMConfig = attachment?.ipv4Address.map { .init(IPv4Address: $0) }
            if let ipv6 = attachment?.ipv6Address {
                var config = EndpointSettings.EndpointIPAMConfig(IPv4Address: attachment?.ipv4Address)
                config.IPv6Address = ipv6
                endpoint.IPAMConfig = config
            }
            endpoint.IPAddress = ""
            endpoint.IPPrefixLen = 0
            endpoint.Gateway = ""
            endpoint.MacAddress = ""
            endpoint.EndpointID = ""
            endpoint.IPv6Gateway = ""
            endpoint.GlobalIPv6Address = ""
            endpoint.GlobalIPv6PrefixLen = 0
            if let live = endpoints.first(where: { $0.network == name }), let network = entry?.record {
                endpoint.EndpointID = Self.stableID(live.sandbox + "@" + live.network)
                endpoint.IPAddress = live.address.description
                endpoint.IPPrefixLen = Int(network.subnet.prefixLength)
                endpoint.Gateway = network.gateway.description
                endpoint.MacAddress = live.mac.description
                if let address6 = live.address6, let ipv6 = network.ipv6 {
                    endpoint.GlobalIPv6Address = address6.description
                    endpoint.GlobalIPv6PrefixLen = Int(ipv6.subnet.prefixLength)
                    endpoint.IPv6Gateway = ipv6.gateway.description
                }
            }
            networks[dockerName] = endpoint
        }
        if primary == service.defaultNetwork, let bridge = networks["bridge"] {
            // The default bridge's IPv6 address (`spliced --ipv6`) shows at the top level too, as dockerd shows it.
            settings.GlobalIPv6Address = bridge.GlobalIPv6Address ?? ""
            settings.GlobalIPv6PrefixLen = bridge.GlobalIPv6PrefixLen ?? 0
            settings.IPv6Gateway = bridge.IPv6Gateway ?? ""
        }
        if primary != service.defaultNetwork {
            settings.Bridge = ""
            settings.IPAddress = ""
            settings.IPPrefixLen = 0
            settings.Gateway = ""
            settings.MacAddress = ""
        }
        settings.Networks = networks
        inspect.NetworkSettings = settings
    }
}
