import Glibc
import Logging
import SpliceRuntime

extension ContainerEngine {
    /// Matches the records with what is alive after a daemon (re)start: a start cut by the kill is undone first
    /// (`undoInterruptedStart`), an interrupted removal finished; a live monitor keeps its container
    /// running or paused (and watched); a dead one turns it exited with the status in `exit.json` and releases its
    /// network; auto-remove containers that ended meanwhile are removed; network objects no running container owns
    /// are removed (`NetworkService.removeOrphans`). Then containers whose policy is `always`,
    /// or `unless-stopped` without a user's stop, are started again (in the background).
    func reconcile() async {
        var toStart: [String] = []
        for (id, record) in records where record.state.starting {
            await undoInterruptedStart(id)
        }
        for (id, record) in records {
            switch record.state.status {
            case .running, .paused:
                let directory = runDirectory(of: id)
                let monitor = record.state.monitorPid
                if ContainerRuntime.status(stateDirectory: directory) == nil, monitor > 0, Glibc.kill(monitor, 0) == 0 {
                    configuration.logger.info("reconcile: container still running, watching it",
                                              metadata: ["container": "\(id)", "monitorPid": "\(monitor)"])
                    watch(id: id, running: RunningContainer(monitorPid: monitor, containerPid: record.state.pid,
                                                            stateDirectory: directory))
                    startHealthMonitor(id, reset: true)
                } else {
                    let exit = ContainerRuntime.status(stateDirectory: directory)
                        ?? ContainerExit(exitCode: 255, finishedAt: JSONLogLine.now(),
                                         error: "the container ended while the daemon was down")
                    configuration.logger.info("reconcile: container ended while the daemon was down",
                                              metadata: ["container": "\(id)", "exitCode": "\(exit.exitCode)"])
                    await handleExit(id: id, exit: exit)
                }
            case .removing:
                configuration.logger.info("reconcile: finishing an interrupted removal",
                                          metadata: ["container": "\(id)"])
                await killLeftovers(id)
                if let mode = try? sandboxMode(record.configuration.request.networkMode, requireRunning: false) {
                    await network?.release(id: id, mode: mode)
                }
                await releaseResources(id: id, request: record.configuration.request)
                removeNow(id)
            case .restarting:
                var stopped = record
                stopped.state.status = .exited
                saveRecord(stopped)
                if Self.startsWithDaemon(stopped) { toStart.append(id) }
            case .created, .exited, .dead:
                if record.configuration.request.autoRemove && record.state.status == .exited {
                    configuration.logger.info("reconcile: removing an ended --rm container",
                                              metadata: ["container": "\(id)"])
                    removeNow(id)
                } else if Self.startsWithDaemon(record) {
                    toStart.append(id)
                }
            }
        }
        for path in volumeStore.sweepInterrupted() {
            configuration.logger.info("reconcile: removed a volume a killed create or rm left", metadata: ["path": "\(path)"])
        }
        if let network {
            // What no running container owns: half-made endpoints (their record is saved last), their addresses,
            // port map elements and veths, and sandboxes of containers that no longer run.
            let keeping = Set(records.filter { $0.value.state.isRunning }.map(\.key))
            for orphan in await network.removeOrphans(keeping: keeping) {
                configuration.logger.info("reconcile: removed an orphan", metadata: ["object": "\(orphan)"])
            }
        }
        guard !toStart.isEmpty else { return }
        Task { [weak self] in
            for id in toStart {
                self?.configuration.logger.info("reconcile: starting container by its restart policy",
                                                metadata: ["container": "\(id)"])
                do {
                    try await self?.launch(id, byUser: false)
                } catch {
                    self?.configuration.logger.error("reconcile: container start failed",
                                                     metadata: ["container": "\(id)", "error": "\(error)"])
                }
            }
        }
    }

    /// Whether the daemon's start brings `record` (not running) up again: `always`, or `unless-stopped` that the
    /// user did not stop.
    static func startsWithDaemon(_ record: ContainerRecord) -> Bool {
        let policy = record.configuration.request.restartPolicy.name
        guard !record.configuration.request.autoRemove, record.state.startedAt != nil else { return false }
        return policy == .always || (policy == .unlessStopped && !record.state.stoppedByUser)
    }
}
