#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Glibc
import Logging
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Records that a start of `id` is under way, before its first kernel object (sandbox, veth, address, rules,
    /// cgroup, processes) is made: a daemon killed during the start then finds the mark at its restart.
    func recordStartIntent(_ id: String) throws {
        guard var record = records[id] else { throw EngineError.noSuchContainer(id) }
        record.state.starting = true
        records[id] = record
        try store.save(record, durable: false)
    }

    /// Removes what a start cut by a daemon kill made, in reverse: its `splice-init` and processes (found by the
    /// container's own state directory and cgroup), its network endpoints, ports and addresses, its cgroup. The
    /// container is then as before the start (Created, or Exited if it had run before, with the reason as its
    /// error); a `--rm` container is removed.
    func undoInterruptedStart(_ id: String) async {
        guard var record = records[id] else { return }
        configuration.logger.info("reconcile: undoing a start cut by a daemon kill", metadata: ["container": "\(id)"])
        await killLeftovers(id)
        let request = record.configuration.request
        // What the start may have made: its network and its cgroup (its processes are killed above).
        let mode = try? sandboxMode(request.networkMode, requireRunning: false)
        await rollBackStart(id, StartProgress(network: mode, cgroupParent: request.cgroupParentPath))
        record.state.starting = false
        record.state.pid = 0
        record.state.monitorPid = 0
        if record.state.startedAt != nil { record.state.status = .exited }
        record.state.error = "the daemon was killed while starting the container"
        saveRecord(record)
        if request.autoRemove { removeNow(id) }
    }

    /// Records that a removal of `id` (no longer running) is under way, before its network, cgroup and record go:
    /// a daemon killed during the removal finds the record `removing` at its restart and finishes it.
    func recordRemovalIntent(_ id: String) throws {
        guard var record = records[id] else { throw EngineError.noSuchContainer(id) }
        record.state.status = .removing
        records[id] = record
        try store.save(record)
    }

    /// Kills what still runs of container `id` after a daemon kill: its `splice-init` (found by the container's own
    /// state directory) and every process in its cgroup.
    func killLeftovers(_ id: String) async {
        let run = runDirectory(of: id)
        let parent = records[id]?.configuration.request.cgroupParentPath ?? ContainerCgroup.defaultParent
        _ = try? await BlockingWork.run {
            for pid in Self.monitors(of: run) { Glibc.kill(pid, SIGKILL) }
            try Self.cgroup(id: id, parent: parent).killAll()
        }
    }

    /// The `splice-init` processes started for the state directory `run` (their first argument), found in /proc by
    /// that path, which is this container's alone.
    static func monitors(of run: String) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let bytes = try? AtomicFile.read("/proc/\(entry)/cmdline") else { return nil }
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard arguments.count > 1, arguments[0].hasSuffix("splice-init"), arguments[1] == run else { return nil }
            return pid
        }
    }
}
