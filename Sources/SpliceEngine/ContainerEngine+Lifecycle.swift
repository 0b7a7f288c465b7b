import Glibc
import Logging
import SpliceImages
import SpliceNet
import SpliceRuntime
import SystemKit
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// Starts a container: sandbox (and bridge endpoint), overlay rootfs, `splice-init`. Returns false when it was
    /// already running. A user's start resets the restart count and the "stopped by the user" mark.
    public func start(_ reference: String) async throws -> Bool {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if record.state.status == .paused {
            throw EngineError(.conflict, "cannot start a paused container, try unpause instead")
        }
        if record.state.isRunning { return false }
        cancelRestart(id)
        do {
            try await launch(id, byUser: true)
        } catch {
            configuration.logger.error("container start failed", metadata: ["container": "\(id)", "error": "\(error)"])
            throw error
        }
        return true
    }

    /// Starts container `id` (not running): by the user, or by its restart policy. A start that fails is recorded
    /// as dockerd records it (the error, exit code 127/126/128, an auto-remove container removed) and rolled back.
    func launch(_ id: String, byUser: Bool) async throws {
        guard records[id] != nil else { throw EngineError.noSuchContainer(id) }
        guard !isBusy(id) else {
            throw EngineError(.conflict, "container \(id) is being started or removed")
        }
        setBusy(id, true)
        defer { setBusy(id, false) }
        var timer = PhaseTimer()
        let started: (running: RunningContainer, endpoint: ContainerEndpoint?)
        do {
            try recordStartIntent(id)
            timer.mark("intent")
            Failpoint.hit("start.intent")
            started = try await startProcesses(id, timer: &timer)
            Failpoint.hit("start.resources")
        } catch {
            let failure = Self.startFailure(error, shortID: String(id.prefix(12)))
            failStart(id: id, message: failure.message, exitCode: Self.startExitCode(failure.message))
            throw failure
        }
        let (running, endpoint) = started
        guard var record = records[id] else { return }
        record.state.status = .running
        record.state.pid = running.containerPid
        record.state.monitorPid = running.monitorPid
        record.state.error = ""
        record.state.exitCode = 0
        record.state.startedAt = JSONLogLine.now()
        record.state.startedAtSeconds = Int64(time(nil))
        record.state.finishedAt = nil
        if byUser {
            record.state.restartCount = 0
            record.state.stoppedByUser = false
            withLive(id) { $0.backoff = nil }
        }
        record.endpoint = endpoint
        record.state.starting = false
        records[id] = record
        do {
            try store.save(record, durable: false)
            timer.mark("record")
        } catch {
            // The running state cannot be recorded (a full disk): the start is undone as dockerd undoes it. The
            // exit handler releases the network and the cgroup, and removes a `--rm` container.
            watch(id: id, running: running)
            try? running.signal(SIGKILL)
            throw error
        }
        if endpoint != nil {
            let joined = joinedNetworks(id: id, request: record.configuration.request)
            await emitNetwork("connect", id: id, networks: joined)
        }
        emit("start", id: id)
        startHealthMonitor(id, reset: true)
        answer(id, \.startWaiters, with: true)
        watch(id: id, running: running)
        timer.mark("events")
        configuration.logger.debug("container started", metadata: [
            "container": "\(id.prefix(12))", "phases": "\(timer.summary)",
        ])
    }

    /// The start's kernel work: sandbox (and bridge endpoint), overlay rootfs, `splice-init`, resource limits.
    /// When a step fails, what the steps before it made is undone (`rollBackStart`). Marks `rootfs`, `network`,
    /// `spec`, `cgroup`, `spawn` and `resources` on `timer`.
    private func startProcesses(_ id: String, timer: inout PhaseTimer) async throws
        -> (RunningContainer, ContainerEndpoint?)
    {
        guard let record = records[id] else { throw EngineError.noSuchContainer(id) }
        let config = record.configuration
        let mode = try sandboxMode(config.request.networkMode, requireRunning: true)
        guard network != nil || mode == .host else {
            throw EngineError(.unavailable, "this engine runs without networking; use --net=host")
        }
        let images = images
        var lower = try await BlockingWork.run { try images.lowerDirectories(for: config.imageID) }
        let base = store.path(of: id)
        let upper = base + "/upper", work = base + "/work", run = runDirectory(of: id)
        for directory in [upper, work, run] {
            if mkdir(directory, 0o755) != 0 && errno != EEXIST {
                throw EngineError(.internal, "mkdir \(directory): errno \(errno)")
            }
        }
        if config.request.autoRemove {
            // An earlier run mounted the upper directory `volatile` (ContainerSpec.volatileUpper): its marker stays
            // after a clean unmount and makes overlayfs refuse the directory, so a restarted `--rm` container
            // clears it first.
            unlink(work + "/work/incompat/volatile/dirty")
            rmdir(work + "/work/incompat/volatile")
            rmdir(work + "/work/incompat")
        }
        if config.workingDir != "/" {
            // As dockerd does, a missing working directory is created (in the container's own layer).
            _ = try? await BlockingWork.run { try AtomicFile.makeDirectories(upper + config.workingDir, mode: 0o755) }
        }
        try await mountVolumes(config.mounts)
        if let remap = userNamespaceRemap(for: config.request) {
            lower = try await prepareRemappedFilesystem(remap, lower: lower, upper: upper, work: work,
                                                        mounts: config.mounts)
        }
        timer.mark("rootfs")
        var made = StartProgress()
        var namespacePath: String?
        var endpoint: ContainerEndpoint?
        if network != nil {
            (namespacePath, endpoint) = try await attachNetworks(id: id, mode: mode, request: config.request)
            made.network = mode
        }
        timer.mark("network")
        Failpoint.hit("start.network")
        do {
            var spec = try await runtimeSpec(for: record, rootfs: .overlay(lower: lower, upper: upper, work: work),
                                             namespacePath: namespacePath)
            timer.mark("spec")
            // Last before the spawn (its `cgroup.procs` files go into the spec), so a failure before leaves none.
            made.cgroupParent = config.request.cgroupParentPath
            (spec.cgroupProcs, spec.cgroupView) = try await createCgroup(id: record.id, request: config.request)
            timer.mark("cgroup")
            let initPath = configuration.initPath, launcher = launcher
            let finalSpec = spec
            let running = try await BlockingWork.run {
                try ContainerRuntime.start(finalSpec, initPath: initPath, stateDirectory: run, launcher: launcher)
            }
            made.process = running
            timer.mark("spawn")
            Failpoint.hit("start.process")
            do {
                try await applyResources(id: id, pid: running.containerPid, request: config.request)
            } catch {
                throw EngineError(.invalidArgument, "cannot apply the resource limits: \(error)", cause: error)
            }
            timer.mark("resources")
            return (running, endpoint)
        } catch {
            await rollBackStart(id, made)
            throw error
        }
    }

    /// A failed start as the API reports it: engine errors as they are (a missing network is dockerd's 404), the
    /// runtime's in dockerd's words.
    static func startFailure(_ error: any Error, shortID: String) -> EngineError {
        switch error {
        case let error as EngineError: return error
        case let error as NetworkError where error.code == .notFound:
            return EngineError(.notFound, error.message, cause: error)
        case let error as RuntimeError:
            return EngineError(.invalidArgument, "failed to create task for container: \(error)", cause: error)
        default:
            return EngineError(.invalidArgument, "failed to start container \(shortID): \(error)", cause: error)
        }
    }

    /// dockerd's exit code for a start that failed with `message` (the substrings the docker CLI also matches):
    /// 127 when the command or a path is missing, 126 when it cannot be run, else 128.
    static func startExitCode(_ message: String) -> Int32 {
        let text = message.lowercased()
        if text.contains("executable file not found") || text.contains("no such file or directory")
            || text.contains("not a directory") {
            return 127
        }
        if text.contains("permission denied") || text.contains("is a directory") { return 126 }
        return 128
    }

    /// Records a failed start (the error and `exitCode`, answering waiters); an auto-remove container is
    /// removed, as dockerd does, once no client is attached.
    func failStart(id: String, message: String, exitCode: Int32 = 128) {
        guard let failed = update(id, { record in
            record.state.error = message
            record.state.exitCode = exitCode
            record.state.starting = false
        }) else { return }
        answer(id, \.exitWaiters, with: exitCode)
        answer(id, \.startWaiters, with: false)
        if failed.configuration.request.autoRemove {
            if isAttached(id) { withLive(id) { $0.pendingAutoRemove = true } } else { removeNow(id) }
        }
    }

    /// Waits for the monitor to exit (it writes `exit.json` first), through the kernel's pidfd notification rather
    /// than polling, then records the exit.
    func watch(id: String, running: RunningContainer) {
        let directory = running.stateDirectory
        ProcessExitWatcher.shared.watch(pid: running.monitorPid) { [weak self] in
            Task {
                let exit = ContainerRuntime.status(stateDirectory: directory)
                    ?? ContainerExit(exitCode: 255, finishedAt: JSONLogLine.now(), error: "the monitor died")
                await self?.handleExit(id: id, exit: exit)
            }
        }
    }

    /// Records an exit: state, network released, waiters answered, then the restart policy or auto-removal.
    func handleExit(id: String, exit: ContainerExit) async {
        stopHealthMonitor(id)
        guard var record = records[id], record.state.isRunning else { return }
        var timer = PhaseTimer()
        defer {
            configuration.logger.debug("container exit handled", metadata: [
                "container": "\(id.prefix(12))", "phases": "\(timer.summary)",
            ])
        }
        let hadEndpoint = record.endpoint != nil
        record.state.status = .exited
        record.state.exitCode = exit.exitCode
        record.state.error = exit.error ?? ""
        record.state.pid = 0
        record.state.monitorPid = 0
        record.state.finishedAt = exit.finishedAt
        record.state.finishedAtSeconds = Timestamp(rfc3339: exit.finishedAt)?.seconds ?? Int64(time(nil))
        record.endpoint = nil
        let ranFor = Duration.seconds(max(record.state.finishedAtSeconds - record.state.startedAtSeconds, 0))
        var backoff = live[id]?.backoff ?? RestartBackoff()
        let request = record.configuration.request
        let delay = backoff.next(policy: request.restartPolicy, exitCode: exit.exitCode,
                                 restartCount: record.state.restartCount, ranFor: ranFor,
                                 stoppedByUser: record.state.stoppedByUser, autoRemove: request.autoRemove)
        withLive(id) { $0.backoff = backoff }
        if delay != nil {
            record.state.status = .restarting
            record.state.restartCount += 1
        }
        saveRecord(record, durable: false)
        timer.mark("record")
        // The event first: it reads the networks' records on the network queue, where the release, queued after it,
        // may take 20 ms and more (deleting a published port's nftables element) that the exit need not wait for.
        if hadEndpoint { await emitNetwork("disconnect", id: id, networks: joinedNetworks(id: id, request: request)) }
        if let mode = try? sandboxMode(request.networkMode, requireRunning: false) {
            // A static address or MAC address the next start may ask for again.
            let pinned = request.macAddress != nil
                || networkAttachments(of: id).contains { $0.ipv4Address != nil || $0.ipv6Address != nil }
            network?.releaseInBackground(id: id, mode: mode, keepsAddress: pinned)
        }
        timer.mark("network")
        if request.memory > 0, await Self.wasOOMKilled(id: id, parent: request.cgroupParentPath) {
            update(id) { $0.state.oomKilled = true }
        }
        // The cgroup (also one that `pause` had to create; missing is fine).
        await releaseResources(id: id, request: request)
        timer.mark("cgroup")
        emit("die", id: id, ["exitCode": "\(exit.exitCode)"])
        for flag in take(id, \.logFollowers) { flag.raise() }
        answer(id, \.exitWaiters, with: exit.exitCode)
        if let delay {
            scheduleRestart(id, after: delay)
            return
        }
        let restarting = withLive(id) { state in
            defer { state.restartingByUser = false }
            return state.restartingByUser
        }
        if records[id]?.configuration.request.autoRemove == true, !restarting {
            if isAttached(id) {
                withLive(id) { $0.pendingAutoRemove = true }
            } else {
                removeNow(id, deferDeletion: true)
                timer.mark("remove")
            }
        }
    }

    /// Deletes container `id`'s record and files, and answers its removal waiters. With `deferDeletion` (the
    /// auto-removal after an exit: `run --rm` waits for it) the directory leaves the store with one rename and its
    /// tree is deleted after the waiters are answered; otherwise before, so a removal that frees the disk (a full
    /// one) has freed it when it answers.
    func removeNow(_ id: String, deferDeletion: Bool = false) {
        guard let record = records[id] else { return }
        emit("destroy", record: record)
        records[id] = nil
        for (execID, exec) in execs where exec.containerID == id { execs[execID] = nil }
        answer(id, \.startWaiters, with: false)
        if !deferDeletion {
            try? store.remove(id)
        } else if let discarded = store.discard(id) {
            Task { await BlockingWork.runQuietly { ContainerRecordStore.remove(discarded: discarded) } }
        }
        // `--rm` takes the container's anonymous volumes with it, as dockerd does; named ones stay.
        if record.configuration.request.autoRemove { Task { await self.removeVolumes(of: record) } }
        answer(id, \.removalWaiters, with: record.state.exitCode)
        answer(id, \.exitWaiters, with: record.state.exitCode)
        dropLive(id)
    }

    /// `docker kill`: sends `signal` to a running container's pid 1 (a paused one is thawed after signalling, so it
    /// can act on it); the user's kill keeps the restart policy from starting it again, and cancels a pending
    /// restart.
    public func kill(_ reference: String, signal: Int32) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if record.state.status == .restarting {
            markStoppedByUser(id)
            stopRestarting(id)
            return
        }
        guard record.state.isRunning else {
            throw EngineError(.conflict, "Cannot kill container: \(reference): Container \(id) is not running")
        }
        markStoppedByUser(id)
        try await deliver(signal, to: id)
        // As dockerd: a SIGKILL is answered once the container has stopped, so inspect right after shows it exited.
        if signal == SIGKILL { _ = await awaitExit(id, seconds: 10) }
    }

    /// Sends `signal` to container `id`'s pid 1 and records the `kill` event; thaws it when paused.
    func deliver(_ signal: Int32, to id: String) async throws {
        guard let record = records[id], record.state.isRunning else { return }
        try RunningContainer(monitorPid: record.state.monitorPid, containerPid: record.state.pid,
                             stateDirectory: runDirectory(of: id)).signal(signal)
        emit("kill", id: id, ["signal": "\(signal)"])
        if record.state.status == .paused {
            try? await Self.setFrozen(id: id, parent: record.configuration.request.cgroupParentPath, false)
            if records[id]?.state.status == .paused {
                update(id) { $0.state.status = .running }
                emit("unpause", id: id)
            }
        }
    }

    /// Marks container `id` as stopped by the user (persisted: `unless-stopped` remembers it).
    func markStoppedByUser(_ id: String) {
        update(id) { $0.state.stoppedByUser = true }
    }

    /// Schedules the restart policy's next start of container `id` after `delay`.
    func scheduleRestart(_ id: String, after delay: Duration) {
        configuration.logger.info("restarting container by its restart policy", metadata: [
            "container": "\(id)", "delay": "\(delay)", "restartCount": "\(records[id]?.state.restartCount ?? 0)",
        ])
        cancelRestart(id)
        let restart = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            await self?.restartByPolicy(id)
        }
        withLive(id) { $0.restartTask = restart }
    }

    /// The restart policy's start, after the back-off; a failure leaves the container exited, as dockerd does.
    func restartByPolicy(_ id: String) async {
        withLive(id) { $0.restartTask = nil }
        guard records[id]?.state.status == .restarting else { return }
        do {
            try await launch(id, byUser: false)
        } catch {
            configuration.logger.error("restart policy could not start the container",
                                       metadata: ["container": "\(id)", "error": "\(error)"])
            guard records[id]?.state.status == .restarting else { return }
            update(id) { record in
                record.state.status = .exited
                if record.state.error.isEmpty { record.state.error = "\(error)" }
            }
        }
    }

    /// Cancels a pending restart without changing the status.
    func cancelRestart(_ id: String) {
        withLive(id) { $0.restartTask.take() }?.cancel()
    }

    /// Cancels a pending restart and leaves the container exited.
    func stopRestarting(_ id: String) {
        cancelRestart(id)
        guard records[id]?.state.status == .restarting else { return }
        update(id) { $0.state.status = .exited }
    }

    /// Waits up to `seconds` (any `Int`; negative waits for as long as it takes, as dockerd's `-t -1`) for
    /// container `id` to stop running; returns whether it did.
    func awaitExit(_ id: String, seconds: Int) async -> Bool {
        guard records[id]?.state.isRunning == true else { return true }
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        withLive(id) { $0.exitWaiters.append(continuation) }
        let timer = Task {
            guard seconds >= 0 else { return }
            // Capped at 68 years: a clock instant that far ahead is still representable.
            try? await Task.sleep(for: .seconds(min(seconds, Int(Int32.max))))
            continuation.finish()
        }
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
        timer.cancel()
        return records[id]?.state.isRunning != true
    }

    /// SIGTERM, then SIGKILL after `timeout` seconds (default 10). Returns false when it was not running. Stopping
    /// a restarting container cancels the restart; either way the restart policy leaves it stopped.
    public func stop(_ reference: String, timeout: Int?) async throws -> Bool {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if record.state.status == .restarting {
            markStoppedByUser(id)
            stopRestarting(id)
            emit("stop", id: id)
            return true
        }
        guard record.state.isRunning else { return false }
        markStoppedByUser(id)
        let signal = try record.configuration.request.stopSignal.map { text throws(EngineError) in
            try SignalName.number(text)
        } ?? SIGTERM
        try await deliver(signal, to: id)
        let grace = timeout ?? record.configuration.request.stopTimeout ?? 10
        if await awaitExit(id, seconds: max(grace, 0)) {
            stopRestarting(id)
            emit("stop", id: id)
            return true
        }
        if records[id]?.state.isRunning == true { try await deliver(SIGKILL, to: id) }
        if await awaitExit(id, seconds: 10) {
            stopRestarting(id)
            emit("stop", id: id)
            return true
        }
        throw EngineError(.internal, "container \(id) did not stop after SIGKILL")
    }

    /// `docker restart`: stop (when running), start, and the `restart` event.
    public func restart(_ reference: String, timeout: Int?) async throws {
        let id = try resolve(reference)
        // The exit this stop causes keeps a `--rm` container for the start (dockerd's HasBeenManuallyRestarted).
        if records[id]?.state.isRunning == true { withLive(id) { $0.restartingByUser = true } }
        do {
            _ = try await stop(id, timeout: timeout)
        } catch {
            withLive(id) { $0.restartingByUser = false }
            throw error
        }
        _ = try await start(id)
        emit("restart", id: id)
    }

    /// Removes a stopped container (or, with `force`, kills a running one first): record, sandbox, upper dir.
    public func remove(_ reference: String, force: Bool) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if isBusy(id) { throw EngineError(.conflict, "container \(id) is being started") }
        if record.state.status == .restarting {
            guard force else {
                throw EngineError(.conflict, "You cannot remove a restarting container \(id). Stop the container"
                    + " before attempting removal or force remove")
            }
            stopRestarting(id)
        }
        if record.state.isRunning {
            guard force else {
                let what = record.state.status == .paused ? "paused" : "running"
                throw EngineError(.conflict, "You cannot remove a \(what) container \(id). Stop the container"
                    + " before attempting removal or force remove")
            }
            markStoppedByUser(id)
            try await deliver(SIGKILL, to: id)
            guard await awaitExit(id, seconds: 10) else {
                throw EngineError(.internal, "container \(id) did not die after SIGKILL")
            }
            stopRestarting(id)
        }
        Failpoint.hit("rm.stop")
        // Intent first: a daemon killed from here on finds the record `removing` and finishes the removal.
        guard !isBusy(id) else { throw EngineError(.conflict, "container \(id) is being started") }
        setBusy(id, true)
        defer { setBusy(id, false) }
        do {
            try recordRemovalIntent(id)
        } catch let error as EngineError where (error.cause as? SystemError)?.errno == .noSpace {
            // A full disk cannot take the intent; the removal goes on without it, and frees space.
            configuration.logger.warning("removal intent not recorded", metadata: ["container": "\(id)",
                                                                                  "error": "\(error)"])
        }
        Failpoint.hit("rm.intent")
        if let mode = try? sandboxMode(record.configuration.request.networkMode, requireRunning: false) {
            await network?.release(id: id, mode: mode)
        }
        Failpoint.hit("rm.network")
        // Also what a daemon killed between the exit and its cleanup left (missing is fine).
        await releaseResources(id: id, request: record.configuration.request)
        Failpoint.hit("rm.resources")
        removeNow(id)
    }

    /// Registers a waiter now and returns the function that awaits its exit code.
    public func wait(_ reference: String, condition: ContainerWaitCondition) throws
        -> @Sendable () async -> Int32
    {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        if condition == .notRunning && !record.state.isRunning {
            let code = record.state.exitCode
            return { code }
        }
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        if condition == .removed {
            withLive(id) { $0.removalWaiters.append(continuation) }
        } else {
            withLive(id) { $0.exitWaiters.append(continuation) }
        }
        return {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next() ?? -1
        }
    }
}
