import Glibc
import SpliceImages
import SpliceNet
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Creates a container from `options`; `name` nil picks a free Docker-style name.
    public func create(name: String?, _ options: ContainerCreateOptions) async throws -> ContainerRecord {
        var timer = PhaseTimer()
        return try await create(name: name, options, timer: &timer)
    }

    /// `create(name:_:)`, marking its phases on `timer`: `validate`, `image`, `mounts`, `record`.
    public func create(name: String?, _ options: ContainerCreateOptions, timer: inout PhaseTimer) async throws
        -> ContainerRecord
    {
        let taken = Set(records.values.map(\.name))
        var generator = SystemRandomNumberGenerator()
        let chosen: String
        if let requested = name.map({ $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }), !requested.isEmpty {
            try checkNameAvailable(requested)
            chosen = requested
        } else {
            chosen = NameGenerator.unique(avoiding: taken, using: &generator)
        }
        var request = options
        // As dockerd: a missing `container:` target is the start's 404 (one from create makes the CLI pull).
        if case .container(let other)? = try sandboxModeIfResolvable(request.networkMode) {
            request.networkMode = "container:" + other
        }
        let warnings = try CreateValidation.validate(&request)
        try Self.validateUserNamespace(request, remap: configuration.userNamespaceRemap)
        if request.cgroupnsMode.isEmpty { request.cgroupnsMode = Self.defaultCgroupnsMode }
        for binding in request.portBindings {
            do { _ = try PortSpecParser.parse(binding) } catch {
                throw EngineError(.invalidArgument, "invalid port binding \(binding): \(error)", cause: error)
            }
        }
        for port in request.exposedPorts {
            // dockerd's check of `ExposedPorts` keys: `PORT[-PORT][/PROTO]`.
            let number = port.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            do { _ = try PortSpecParser.exposed([port]) } catch {
                throw EngineError(.invalidArgument, "invalid port specification: \"\(number)\"", cause: error)
            }
        }
        try Self.validateMemory(request.memory)
        _ = try Self.deviceRules(request.devices)
        try await Self.validateResources(request)
        let links = try resolveLinks(request)
        for text in request.volumesFrom { _ = try container(try VolumeSpec.parseVolumesFrom(text).container) }
        timer.mark("validate")
        let images = images
        let image = request.image
        let (imageID, imageConfig, layers) = try await BlockingWork.run {
            () throws -> (String, SpliceImages.ContainerConfig?, [String]) in
            do {
                let id = try images.resolve(image)
                let config = try images.image(named: id.description).configuration.config
                return (id.description, config, try images.lowerDirectories(for: id.description))
            } catch let error as ImageError where error.code == .notFound {
                throw EngineError(.notFound, "No such image: \(image)", cause: error)
            }
        }
        timer.mark("image")
        var id = ContainerID.random(using: &generator)
        while records[id] != nil { id = ContainerID.random(using: &generator) }
        var configuration = try ConfigurationBuilder.configuration(id: id, request: request, imageID: imageID,
                                                                   image: imageConfig,
                                                                   hostHostname: Self.hostHostname())
        configuration.links = links
        configuration.warnings = warnings
        let imageVolumes = (imageConfig?.volumes ?? [:]).keys.sorted()
        configuration.mounts = try await resolveMounts(request, imageVolumes: imageVolumes, layers: layers)
        timer.mark("mounts")
        let record = ContainerRecord(id: id, name: chosen, created: JSONLogLine.now(), createdSeconds: Int64(time(nil)),
                                     configuration: configuration)
        do {
            guard records.values.first(where: { $0.name == chosen }) == nil else {
                throw EngineError(.conflict, "Conflict. The container name \"/\(chosen)\" is already in use")
            }
            // A `--rm` container's record is not synced: after a power loss it would be removed anyway, as dockerd
            // removes auto-remove containers it finds stopped at its start; the sync is 1 to 10 ms of `run --rm`.
            try store.save(record, durable: !request.autoRemove)
        } catch {
            // What the failed save left (its directory, on a full disk) and the anonymous volumes just created.
            try? store.remove(id)
            await removeVolumes(of: record)
            throw error
        }
        records[id] = record
        timer.mark("record")
        return record
    }

    /// `sandboxMode` at create time; nil when a `container:` target does not exist (yet).
    func sandboxModeIfResolvable(_ text: String) throws(EngineError) -> SandboxMode? {
        do {
            return try sandboxMode(text, requireRunning: false)
        } catch {
            guard error.code == .notFound else { throw error }
            return nil
        }
    }

    /// The sandbox mode of a `NetworkMode` value; `container:NAME` resolved to the other container's id.
    func sandboxMode(_ text: String, requireRunning: Bool) throws(EngineError) -> SandboxMode {
        let mode: SandboxMode
        do {
            mode = try SandboxMode(parsing: text, defaultNetwork: network?.defaultNetwork ?? "splice0")
        } catch {
            throw EngineError(.invalidArgument, "\(error)", cause: error)
        }
        if configuration.defaultBridgeDisabled, mode == .bridge(network: network?.defaultNetwork ?? "splice0") {
            return .none
        }
        guard case .container(let other) = mode else { return mode }
        let otherID = try resolve(other)
        if requireRunning, records[otherID]?.state.isRunning != true {
            throw EngineError(.conflict, "cannot join network of a non running container: \(otherID)")
        }
        if let otherMode = records[otherID]?.configuration.request.networkMode, otherMode == "host" {
            throw EngineError(.invalidArgument, "--net=container:\(other): \(other) uses the host's network")
        }
        return .container(otherID)
    }

    /// The host's name (`gethostname(2)`), which a `--net=host` container takes.
    public static func hostHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses a `/host:/ctr[:ro|rw]` bind (named and anonymous volumes go through `resolveMounts`).
    static func bindMount(_ text: String) throws(EngineError) -> BindMount {
        let spec = try VolumeSpec.parse(text)
        guard case .bind(let source) = spec.source else {
            throw EngineError(.invalidArgument, "invalid volume specification: '\(text)' (not a host path)")
        }
        return BindMount(source: source, target: spec.destination, readOnly: spec.readOnly)
    }
}
