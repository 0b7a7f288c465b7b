import Glibc
import NetlinkKit
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

/// The create-time checks that need neither other containers nor the kernel, with dockerd's wording.
public enum CreateValidation {
    /// Validates `options` and normalises what dockerd normalises (ports discarded in host mode); returns the
    /// warnings for the create response.
    public static func validate(_ options: inout ContainerCreateOptions) throws(EngineError) -> [String] {
        var warnings: [String] = []
        try validateRestartPolicy(options)
        warnings += try validateNetworkMode(&options)
        try validateCapabilities(add: options.capAdd, drop: options.capDrop)
        try validateHostConfig(options)
        warnings += try SecurityOptions.parse(options.securityOpt).warnings
        if options.oomKillDisable {
            // dockerd's words: on cgroup v2 it is discarded; without a memory limit the host may run out.
            if ContainerEngine.unifiedCgroups {
                warnings.append("Your kernel does not support OomKillDisable. OomKillDisable discarded.")
            } else if options.memory <= 0 {
                warnings.append("OOM killer is disabled for the container, but no memory limit is set, this can"
                    + " result in the system running out of resources.")
            }
        }
        warnings += try validateKernelMemory(&options)
        try validateRealtime(options)
        warnings += try validateCgroupOptions(&options)
        for server in options.dns where !isIPAddress(server) {
            throw EngineError(.invalidArgument, "\(server) is not an ip address")
        }
        for entry in options.extraHosts { _ = try parseExtraHost(entry) }
        if let signal = options.stopSignal { _ = try SignalName.number(signal) }
        try options.healthcheck?.validate()
        if let mac = options.macAddress, MACAddress(mac) == nil {
            throw EngineError(.invalidArgument, "invalid MAC address: \(mac)")
        }
        for link in options.links { _ = try parseLink(link) }
        for group in options.groupAdd where group.isEmpty {
            throw EngineError(.invalidArgument, "invalid --group-add: empty group name")
        }
        for bind in options.binds { _ = try VolumeSpec.parse(bind) }
        for volume in options.volumes where !volume.hasPrefix("/") {
            throw EngineError(.invalidArgument, "invalid volume specification: '\(volume)': invalid mount config:"
                + " invalid mount path: '\(volume)' mount path must be absolute")
        }
        for source in options.volumesFrom { _ = try VolumeSpec.parseVolumesFrom(source) }
        if options.cpuShares < 0 {
            throw EngineError(.invalidArgument, "invalid CPU shares (\(options.cpuShares)): value must be positive")
        }
        if options.nanoCpus != 0 {
            let online = max(Int64(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
            guard options.nanoCpus >= 10_000_000, options.nanoCpus <= online * 1_000_000_000 else {
                throw EngineError(.invalidArgument, "Range of CPUs is from 0.01 to \(online).00, as there are only"
                    + " \(online) CPUs available")
            }
        }
        try validateCPUQuota(options)
        if let cpus = options.cpusetCpus, !cpus.isEmpty {
            do { _ = try ResourceLimits.parseCpuList(cpus) } catch {
                throw EngineError(.invalidArgument, "Invalid value \(cpus) for cpuset cpus", cause: error)
            }
        }
        if let size = options.consoleSize, size.count != 2 || size.contains(where: { $0 < 0 }) {
            throw EngineError(.invalidArgument, "invalid ConsoleSize \(size): want [height, width]")
        }
        return warnings
    }

    /// dockerd's checks of `--cpus` against `--cpu-period`/`--cpu-quota` and the host's CPUs.
    static func validateCPUQuota(_ options: ContainerCreateOptions) throws(EngineError) {
        guard options.nanoCpus != 0 else { return }
        if options.cpuPeriod > 0 {
            throw EngineError(.invalidArgument, "Conflicting options: Nano CPUs and CPU Period cannot both be set")
        }
        if options.cpuQuota > 0 {
            throw EngineError(.invalidArgument, "Conflicting options: Nano CPUs and CPU Quota cannot both be set")
        }
        let online = Int64(HostCounters.onlineCPUs())
        if options.nanoCpus < 10_000_000 || options.nanoCpus > online * 1_000_000_000 {
            throw EngineError(.invalidArgument, "Range of CPUs is from 0.01 to \(online).00, as there are only "
                + "\(online) CPUs available")
        }
    }

    /// dockerd's restart policy rules, including the `--rm` conflict.
    static func validateRestartPolicy(_ options: ContainerCreateOptions) throws(EngineError) {
        let policy = options.restartPolicy
        if policy.maximumRetryCount < 0 {
            throw EngineError(.invalidArgument, "invalid restart policy: maximum retry count cannot be negative")
        }
        if policy.maximumRetryCount > 0 && policy.name != .onFailure {
            throw EngineError(.invalidArgument, "invalid restart policy: maximum retry count can only be used with"
                + " 'on-failure'")
        }
        if options.autoRemove && policy.name != .no {
            throw EngineError(.invalidArgument, "can't create 'AutoRemove' container with restart policy")
        }
    }

    /// `--net=host` discards published ports (with dockerd's warning) and refuses links; `--net=container:X`
    /// refuses everything that configures a network namespace of its own.
    static func validateNetworkMode(_ options: inout ContainerCreateOptions) throws(EngineError) -> [String] {
        if options.networkMode == "host" {
            if !options.links.isEmpty {
                throw EngineError(.invalidArgument, "conflicting options: host type networking can't be used with"
                    + " links. This would result in undefined behavior")
            }
            if !options.portBindings.isEmpty {
                options.portBindings = []
                return ["Published ports are discarded when using host network mode"]
            }
            return []
        }
        guard options.networkMode.hasPrefix("container:") else { return [] }
        if let hostname = options.hostname, !hostname.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: hostname and the network mode")
        }
        if !options.links.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: container type network can't be used with"
                + " links. This would result in undefined behavior")
        }
        if !options.dns.isEmpty || !options.dnsSearch.isEmpty || !options.dnsOptions.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: dns and the network mode")
        }
        if !options.extraHosts.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: custom host-to-IP mapping and the network mode")
        }
        if options.macAddress != nil {
            throw EngineError(.invalidArgument, "conflicting options: mac-address and the network mode")
        }
        if !options.portBindings.isEmpty {
            throw EngineError(.invalidArgument, "conflicting options: port publishing and the container type network"
                + " mode")
        }
        return []
    }

    /// Every name must be a capability (with or without `CAP_`) or `ALL`.
    static func validateCapabilities(add: [String], drop: [String]) throws(EngineError) {
        for (label, names) in [("CapAdd", add), ("CapDrop", drop)] {
            for name in names where name.uppercased() != "ALL" && name.uppercased() != "CAP_ALL" {
                if Capability(name: name) == nil {
                    let spelled = name.uppercased().hasPrefix("CAP_") ? name.uppercased() : "CAP_" + name.uppercased()
                    throw EngineError(.invalidArgument, "invalid \(label): unknown capability: \"\(spelled)\"")
                }
            }
        }
    }

    /// The name and address of `--add-host name:ip` (also `name=ip`, `name:[v6]`); the address may be the word
    /// `host-gateway`.
    public static func parseExtraHost(_ text: String) throws(EngineError) -> (name: String, address: String) {
        let separator: Character = text.contains("=") ? "=" : ":"
        guard let index = text.firstIndex(of: separator) else {
            throw EngineError(.invalidArgument, "bad format for add-host: \"\(text)\"")
        }
        let name = String(text[..<index])
        var address = String(text[text.index(after: index)...])
        if address.hasPrefix("[") && address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        guard !name.isEmpty else { throw EngineError(.invalidArgument, "bad format for add-host: \"\(text)\"") }
        guard address == hostGateway || isIPAddress(address) else {
            throw EngineError(.invalidArgument, "invalid IP address in add-host: \"\(address)\"")
        }
        return (name, address)
    }

    /// The word `--add-host` takes for the host's address as containers reach it.
    public static let hostGateway = "host-gateway"

    /// `--add-host` as a hosts entry, `host-gateway` resolved to `gateway` (dockerd's error when there is none).
    public static func extraHost(_ text: String, gateway: String?) throws(EngineError) -> HostsEntry {
        let (name, address) = try parseExtraHost(text)
        guard address == hostGateway else { return HostsEntry(address: address, names: [name]) }
        guard let gateway else {
            throw EngineError(.invalidArgument, "unable to derive the IP value for host-gateway")
        }
        return HostsEntry(address: gateway, names: [name])
    }

    /// `--link name[:alias]`: the container reference and the alias (the name when none is given).
    public static func parseLink(_ text: String) throws(EngineError) -> (container: String, alias: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let container = parts[0].hasPrefix("/") ? String(parts[0].dropFirst()) : parts[0]
        guard parts.count <= 2, !container.isEmpty else {
            throw EngineError(.invalidArgument, "invalid link format: \(text)")
        }
        var alias = parts.count == 2 ? parts[1] : container
        if let slash = alias.lastIndex(of: "/") { alias = String(alias[alias.index(after: slash)...]) }
        guard !alias.isEmpty else { throw EngineError(.invalidArgument, "invalid link format: \(text)") }
        return (container, alias)
    }

    /// Whether `text` is an IPv4 or IPv6 address (`inet_pton`).
    public static func isIPAddress(_ text: String) -> Bool { IPAddress(text) != nil }
}
