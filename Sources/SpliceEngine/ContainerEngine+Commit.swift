import Glibc
import SpliceImages
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// The mount points the runtime makes in every container's root, which `diff` and `commit` leave out (dockerd
    /// keeps them in a separate init layer).
    static let runtimeMountPoints: Set<String> = ["/proc", "/dev", "/sys", "/etc/hostname", "/etc/hosts",
                                                   "/etc/resolv.conf", "/sbin/docker-init"]

    /// Container `id`'s own layer over its image's layers, without the runtime's and the volumes' mount points.
    func upperDirectory(of id: String) async throws -> UpperDirectory {
        guard let record = records[id] else { throw EngineError.noSuchContainer(id) }
        let images = images
        let imageID = record.configuration.imageID
        let lower = try await BlockingWork.run { try images.lowerDirectories(for: imageID) }
        var excluded = Self.runtimeMountPoints
        for mount in record.configuration.mounts { excluded.insert(mount.destination) }
        for target in record.configuration.request.tmpfs.keys { excluded.insert(target) }
        for mount in record.configuration.request.mounts { excluded.insert(mount.target) }
        return UpperDirectory(path: store.path(of: id) + "/upper", lower: lower, excluded: excluded)
    }

    /// `docker diff`: what the container's own layer adds, changes and deletes.
    public func changes(_ reference: String) async throws -> [LayerChange] {
        let id = try resolve(reference)
        let upper = try await upperDirectory(of: id)
        return try await BlockingWork.run { try upper.changes() }
    }

    /// `docker commit`: a new image from the container's image plus its own layer, with the container's run
    /// defaults (changed by `overrides` and the `--change` instructions). Returns the image id.
    public func commit(_ reference: String, _ options: ContainerCommitOptions) async throws -> ImageID {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        let changes: [ImageChange]
        do {
            changes = try options.changes.map { (text) throws(ImageError) in try ImageChange(parsing: text) }
        } catch {
            throw EngineError(.invalidArgument, error.message, cause: error)
        }
        let images = images
        let imageID = record.configuration.imageID
        var config = try await BlockingWork.run { try images.image(named: imageID).configuration.config }
            ?? ContainerConfig()
        Self.applyRunDefaults(of: record.configuration, to: &config)
        if let overrides = options.overrides { Self.apply(overrides, to: &config) }
        for change in changes { change.apply(to: &config) }
        let upper = try await upperDirectory(of: id)
        let pause = options.pause && record.state.status == .running
        if pause { try await self.pause(id) }
        let commit = ImageCommit(
            parent: imageID, layer: upper, config: config, createdBy: record.configuration.entrypoint
                .appending(contentsOf: record.configuration.cmd).joined(separator: " "),
            comment: options.comment.flatMap { $0.isEmpty ? nil : $0 },
            author: options.author.flatMap { $0.isEmpty ? nil : $0 },
            references: options.reference.map { [$0] } ?? [])
        let result: ImageID
        do {
            result = try await BlockingWork.run { try images.commit(commit) }
        } catch {
            if pause { try? await unpause(id) }
            throw error
        }
        if pause { try? await unpause(id) }
        emit("commit", id: id)
        return result
    }

    /// Writes a container's resolved run defaults (environment, command, entrypoint, user, directory, labels,
    /// ports) over an image's.
    static func applyRunDefaults(of configuration: ContainerConfiguration, to config: inout ContainerConfig) {
        config.env = configuration.env
        config.cmd = configuration.cmd.isEmpty ? nil : configuration.cmd
        config.entrypoint = configuration.entrypoint.isEmpty ? nil : configuration.entrypoint
        if configuration.user != "root" || config.user != nil { config.user = configuration.user }
        if configuration.workingDir != "/" || config.workingDir != nil { config.workingDir = configuration.workingDir }
        let request = configuration.request
        if !request.labels.isEmpty { config.labels = (config.labels ?? [:]).merging(request.labels) { $1 } }
        if !request.exposedPorts.isEmpty {
            var ports = config.exposedPorts ?? [:]
            for port in request.exposedPorts { ports[port.contains("/") ? port : port + "/tcp"] = .init() }
            config.exposedPorts = ports
        }
        if let signal = request.stopSignal { config.stopSignal = signal }
        if let check = request.healthcheck { config.healthcheck = check }
    }

    /// Replaces the fields `overrides` sets.
    static func apply(_ overrides: ContainerConfig, to config: inout ContainerConfig) {
        if let value = overrides.user { config.user = value }
        if let value = overrides.exposedPorts { config.exposedPorts = value }
        if let value = overrides.env { config.env = value }
        if let value = overrides.entrypoint { config.entrypoint = value }
        if let value = overrides.cmd { config.cmd = value }
        if let value = overrides.volumes { config.volumes = value }
        if let value = overrides.workingDir { config.workingDir = value }
        if let value = overrides.labels { config.labels = value }
        if let value = overrides.stopSignal { config.stopSignal = value }
    }
}

extension Array {
    /// The array with `other` appended.
    fileprivate func appending(contentsOf other: [Element]) -> [Element] { self + other }
}
