import SpliceRuntime
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// `docker pause`: freezes every process of a running container through its cgroup's freezer.
    public func pause(_ reference: String) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if record.state.status == .paused { throw EngineError(.conflict, "Container \(id) is already paused") }
        guard record.state.status == .running else { throw EngineError(.conflict, "Container \(id) is not running") }
        let pid = record.state.pid, parent = record.configuration.request.cgroupParentPath
        do {
            try await BlockingWork.run { try Self.ensureCgroup(id: id, pid: pid, parent: parent) }
            try await Self.setFrozen(id: id, parent: parent, true)
        } catch {
            throw EngineError(.internal, "Cannot pause container \(id): \(error)", cause: error)
        }
        guard var current = records[id], current.state.status == .running else { return }
        current.state.status = .paused
        records[id] = current
        try store.save(current)
        emit("pause", id: id)
        stopHealthMonitor(id)
    }

    /// `docker unpause`: thaws a paused container.
    public func unpause(_ reference: String) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        guard record.state.status == .paused else { throw EngineError(.conflict, "Container \(id) is not paused") }
        do {
            try await Self.setFrozen(id: id, parent: record.configuration.request.cgroupParentPath, false)
        } catch {
            throw EngineError(.internal, "Cannot unpause container \(id): \(error)", cause: error)
        }
        guard var current = records[id], current.state.status == .paused else { return }
        current.state.status = .running
        records[id] = current
        try store.save(current)
        emit("unpause", id: id)
        startHealthMonitor(id, reset: false)
    }

    /// Makes sure the processes of container `id` (pid 1 `pid`) are in its cgroup `<parent>/<id>`, which the spec
    /// mapping normally joins pid 1 to from its start; when it is missing, it is created and the processes of the
    /// container's pid namespace are moved in. Blocking.
    static func ensureCgroup(id: String, pid: Int32, parent: String) throws {
        let cgroup = try cgroup(id: id, parent: parent)
        if let members = try? cgroup.processes(), members.contains(pid) { return }
        try cgroup.create()
        for member in ContainerTop.pidNamespaceMembers(of: pid) { try? cgroup.add(pid: member) }
    }

    /// Whether the OOM killer struck in container `id`'s cgroup (read before the cgroup is removed).
    static func wasOOMKilled(id: String, parent: String) async -> Bool {
        let kills = try? await BlockingWork.run { try cgroup(id: id, parent: parent).stats().oomKills ?? 0 }
        return (kills ?? 0) > 0
    }

    /// Freezes or thaws container `id`'s cgroup, off the actor.
    static func setFrozen(id: String, parent: String, _ frozen: Bool) async throws {
        try await BlockingWork.run {
            let cgroup = try cgroup(id: id, parent: parent)
            if frozen { try cgroup.freeze() } else { try cgroup.thaw() }
        }
    }

    /// `docker top`: the container's processes as `ps <psArgs>` (default `-ef`) shows them.
    public func top(_ reference: String, psArgs: String?) async throws -> ContainerTop {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        guard record.state.isRunning else { throw EngineError(.conflict, "Container \(id) is not running") }
        let pid = record.state.pid, parent = record.configuration.request.cgroupParentPath
        let arguments = (psArgs?.split(separator: " ").map(String.init)).flatMap { $0.isEmpty ? nil : $0 } ?? ["-ef"]
        let result = try await BlockingWork.run { () throws -> (HostCommand.Result, Set<Int32>) in
            var pids = Set((try? Self.cgroup(id: id, parent: parent).processes()) ?? [])
            if !pids.contains(pid) { pids.formUnion(ContainerTop.pidNamespaceMembers(of: pid)) }
            pids.insert(pid)
            guard let ps = HostCommand.locate(["/usr/bin/ps", "/bin/ps"]) else {
                throw EngineError(.internal, "Error running ps: no ps on the host")
            }
            return (try HostCommand.run(ps, arguments: arguments), pids)
        }
        let (output, pids) = result
        guard output.status == 0 else {
            let message = String(decoding: output.stderr + output.stdout, as: UTF8.self)
            throw EngineError(.internal, "Error running ps: exit status \(output.status): \(message)")
        }
        return try ContainerTop.parse(String(decoding: output.stdout, as: UTF8.self), pids: pids)
    }
}
