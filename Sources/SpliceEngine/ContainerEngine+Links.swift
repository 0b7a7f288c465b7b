import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Resolves `--link name[:alias]` at create time; the linked container must exist (dockerd's 400).
    func resolveLinks(_ request: ContainerCreateOptions) throws(EngineError) -> [ContainerLink] {
        var links: [ContainerLink] = []
        for text in request.links {
            let (reference, alias) = try CreateValidation.parseLink(text)
            let target: ContainerRecord
            do { target = try container(reference) } catch {
                throw EngineError(.invalidArgument, "could not get container for \(reference): No such container:"
                    + " \(reference)", cause: error)
            }
            links.removeAll { $0.alias == alias }
            links.append(ContainerLink(targetID: target.id, targetName: target.name, alias: alias))
        }
        return links
    }

    /// The `/etc/hosts` entries and environment of `record`'s links; every linked container must be running.
    func linkSettings(for record: ContainerRecord) throws(EngineError) -> (hosts: [HostsEntry], env: [String]) {
        var hosts: [HostsEntry] = []
        var env: [String] = []
        for link in record.configuration.links {
            guard let target = records[link.targetID], target.state.isRunning else {
                let name = records[link.targetID]?.name ?? link.targetName
                throw EngineError(.invalidArgument, "Cannot link to a non running container: /\(name) AS"
                    + " /\(record.name)/\(link.alias)")
            }
            guard let address = target.endpoint?.ipAddress else {
                throw EngineError(.invalidArgument, "Cannot link to /\(target.name), as it does not belong to the"
                    + " default network")
            }
            var names = [link.alias]
            for name in [target.configuration.hostname, target.name] where !names.contains(name) { names.append(name) }
            hosts.append(HostsEntry(address: address, names: names))
            let ports = Self.exposedPorts(of: target.configuration.request)
            env += Self.linkEnvironment(alias: link.alias, parent: record.name, address: address, ports: ports,
                                        targetEnv: target.configuration.env)
        }
        return (hosts, env)
    }

    /// Removes link `/parent/alias` (`docker rm -l`).
    public func removeLink(_ reference: String) throws(EngineError) {
        let trimmed = reference.hasPrefix("/") ? String(reference.dropFirst()) : reference
        guard let slash = trimmed.lastIndex(of: "/") else {
            throw EngineError(.invalidArgument, "Conflict, cannot remove the default link name of the container")
        }
        let parent = String(trimmed[..<slash])
        let alias = String(trimmed[trimmed.index(after: slash)...])
        let id = try resolve(parent)
        guard var record = records[id] else { throw .noSuchContainer(parent) }
        guard record.configuration.links.contains(where: { $0.alias == alias }) else {
            throw EngineError(.notFound, "Could not find entity for /\(trimmed)")
        }
        record.configuration.links.removeAll { $0.alias == alias }
        record.configuration.request.links.removeAll { text in
            (try? CreateValidation.parseLink(text).alias) == alias
        }
        try store.save(record)
        records[id] = record
    }

    /// A container's exposed ports (`80/tcp`), from `ExposedPorts` and its published ports, sorted by number.
    static func exposedPorts(of request: ContainerCreateOptions) -> [String] {
        var ports = Set(request.exposedPorts.map { $0.contains("/") ? $0 : $0 + "/tcp" })
        for binding in request.portBindings {
            guard var container = binding.split(separator: ":").last.map(String.init) else { continue }
            if !container.contains("/") { container += "/tcp" }
            ports.insert(container)
        }
        return ports.sorted { lhs, rhs in
            let left = lhs.split(separator: "/").first.flatMap { Int($0) } ?? 0
            let right = rhs.split(separator: "/").first.flatMap { Int($0) } ?? 0
            return left == right ? lhs < rhs : left < right
        }
    }

    /// Docker's legacy link variables: `ALIAS_NAME`, `ALIAS_PORT`, `ALIAS_PORT_<n>_<PROTO>[_ADDR|_PORT|_PROTO]`
    /// and `ALIAS_ENV_<var>` for the linked container's variables (but `HOME` and `PATH`).
    public static func linkEnvironment(alias: String, parent: String, address: String, ports: [String],
                                       targetEnv: [String]) -> [String] {
        let prefix = String(alias.uppercased().map { $0 == "-" ? "_" : $0 })
        var env = ["\(prefix)_NAME=/\(parent)/\(alias)"]
        let parsed = ports.compactMap { text -> (port: String, proto: String)? in
            let parts = text.split(separator: "/").map(String.init)
            guard let port = parts.first, !port.isEmpty else { return nil }
            return (port, parts.count > 1 ? parts[1].lowercased() : "tcp")
        }
        if let first = parsed.first { env.append("\(prefix)_PORT=\(first.proto)://\(address):\(first.port)") }
        for (port, proto) in parsed {
            let key = "\(prefix)_PORT_\(port)_\(proto.uppercased())"
            env += ["\(key)=\(proto)://\(address):\(port)", "\(key)_ADDR=\(address)", "\(key)_PORT=\(port)",
                    "\(key)_PROTO=\(proto)"]
        }
        for entry in targetEnv {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            let name = entry[..<equals]
            if name == "HOME" || name == "PATH" { continue }
            env.append("\(prefix)_ENV_\(name)=\(entry[entry.index(after: equals)...])")
        }
        return env
    }
}
