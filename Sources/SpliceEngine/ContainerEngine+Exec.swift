#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpliceRuntime
import SystemKit
import struct DockerModels.DetachKeys
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// `POST /containers/{id}/exec`: records an exec in a running container and returns its id.
    public func createExec(_ reference: String, _ template: ExecRecord) throws -> String {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        try Self.requireExecutable(record)
        guard !template.command.isEmpty else { throw EngineError(.invalidArgument, "No exec command specified") }
        _ = try DetachKeys(parsing: template.detachKeys)
        var exec = template
        exec.id = ContainerID.random()
        while execs[exec.id] != nil { exec.id = ContainerID.random() }
        exec.containerID = id
        execs[exec.id] = exec
        emit(exec.action("exec_create"), id: id, ["execID": exec.id])
        return exec.id
    }

    /// 409 unless `record` runs and is not paused.
    static func requireExecutable(_ record: ContainerRecord) throws(EngineError) {
        if record.state.status == .paused {
            throw EngineError(.conflict, "Container \(record.id) is paused, unpause the container before exec")
        }
        guard record.state.status == .running else {
            throw EngineError(.conflict, "container \(record.id) is not running")
        }
    }

    /// The exec `id`.
    public func exec(_ id: String) throws(EngineError) -> ExecRecord {
        guard let exec = execs[id] else { throw EngineError.noSuchExec(id) }
        return exec
    }

    /// `POST /exec/{id}/start`: starts the process with the container's environment, user, working directory and
    /// security settings (those of its running spec) overridden by the exec's; its output is read on a dedicated
    /// thread, `stdin` forwarded (up to the detach keys). The exit code is recorded before `frames` ends. A start
    /// that fails is reported in-band, as dockerd does, with exit code 126 (127: command not found).
    public func startExec(_ id: String, stdin: AsyncStream<[UInt8]>?, detached: Bool) async throws -> AttachedOutput {
        guard var exec = execs[id] else { throw EngineError.noSuchExec(id) }
        if exec.running { throw EngineError(.conflict, "Error: Exec command \(id) is already running") }
        if exec.started { throw EngineError(.conflict, "Error: Exec command \(id) has already run") }
        guard let record = records[exec.containerID] else { throw EngineError.noSuchContainer(exec.containerID) }
        try Self.requireExecutable(record)
        let keys = try DetachKeys(parsing: exec.detachKeys)
        let spec = try execSpec(for: exec, container: record)
        exec.started = true
        exec.running = true
        execs[id] = exec
        emit(exec.action("exec_start"), id: record.id, ["execID": id])
        let launch = ExecLaunch(id: id, spec: spec, containerPid: record.state.pid,
                                initPath: configuration.initPath, tty: exec.tty, keys: keys,
                                wantsOut: exec.attachStdout && !detached, wantsErr: exec.attachStderr && !detached,
                                stdin: exec.attachStdin && !detached ? stdin : nil)
        let (frames, continuation) = AsyncThrowingStream<AttachFrame, any Error>.makeStream()
        if detached {
            try await run(launch, into: continuation, failuresInBand: false)
            return AttachedOutput(tty: exec.tty, frames: frames)
        }
        // As dockerd, start the process once the client has the 101 head (see ProcessOutput.headWritten).
        let (gate, opener) = AsyncStream<Void>.makeStream()
        continuation.onTermination = { _ in opener.finish() }
        Task { [weak self] in
            var iterator = gate.makeAsyncIterator()
            guard await iterator.next() != nil else {
                await self?.finishExec(id, exitCode: 126)
                return
            }
            try? await self?.run(launch, into: continuation, failuresInBand: true)
        }
        return AttachedOutput(tty: exec.tty, frames: frames, headWritten: {
            opener.yield()
            opener.finish()
        })
    }

    /// Starts an exec's process and relays its output into `continuation` and the client's stdin to it. A start
    /// that fails is thrown, or with `failuresInBand` written as output (exit code 126; 127: command not found).
    func run(_ launch: ExecLaunch, into continuation: AsyncThrowingStream<AttachFrame, any Error>.Continuation,
             failuresInBand: Bool) async throws {
        let id = launch.id
        let process: ExecProcess
        do {
            process = try await BlockingWork.run {
                try ExecProcess.start(launch.spec, containerPid: launch.containerPid, initPath: launch.initPath)
            }
        } catch {
            let message = "\(error)"
            let code: Int32 = message.contains("not found") || message.contains("no such file") ? 127 : 126
            finishExec(id, exitCode: code)
            guard failuresInBand else { throw EngineError(.internal, message, cause: error) }
            continuation.yield(AttachFrame(stream: .stdout, bytes: Array((message + "\r\n").utf8)))
            continuation.finish()
            return
        }
        if var exec = execs[id] {
            exec.pid = process.pid
            exec.process = process
            execs[id] = exec
        }
        let wantsOut = launch.wantsOut, wantsErr = launch.wantsErr
        KernelThread.detach { [weak self] in
            while let frame = try? process.read() {
                if (frame.stream == .stderr && wantsErr) || (frame.stream == .stdout && wantsOut) {
                    continuation.yield(frame)
                }
            }
            let code = process.wait()
            Task {
                await self?.finishExec(id, exitCode: code)
                continuation.finish()
            }
        }
        if let stdin = launch.stdin {
            let keys = launch.keys
            Task {
                var matcher = DetachKeys.Matcher(keys)
                for await chunk in stdin {
                    let (forward, detach) = matcher.feed(chunk)
                    if !forward.isEmpty { _ = try? await BlockingWork.run { try process.writeStdin(forward) } }
                    if detach {
                        continuation.finish()
                        return
                    }
                }
                _ = try? await BlockingWork.run { try process.closeStdin() }
            }
        } else {
            _ = try? await BlockingWork.run { try process.closeStdin() }
        }
    }

    /// What `splice-init exec` runs for `exec` in `container`: the container's running spec (environment,
    /// user, working directory, capabilities, seccomp) with the exec's settings on top.
    func execSpec(for exec: ExecRecord, container: ContainerRecord) throws -> ExecSpec {
        let path = StateDirectory(runDirectory(of: container.id)).spec
        let running: ContainerSpec?
        if let bytes = try? AtomicFile.read(path) {
            running = try? ContainerSpec.decode(bytes)
        } else {
            running = nil
        }
        let config = container.configuration
        var spec = ExecSpec(command: exec.command)
        spec.environment = (running?.environment ?? config.env) + exec.env
        spec.user = exec.user.isEmpty ? (running?.user ?? config.user) : exec.user
        spec.additionalGroups = exec.user.isEmpty ? (running?.additionalGroups ?? []) : []
        spec.workingDirectory = exec.workingDir.isEmpty ? (running?.workingDirectory ?? config.workingDir)
            : exec.workingDir
        spec.tty = exec.tty
        spec.openStdin = exec.attachStdin
        spec.oomScoreAdjust = running?.oomScoreAdjust
        if let running {
            spec.capAdd = running.capAdd
            spec.capDrop = running.capDrop
            spec.privileged = running.privileged || exec.privileged
            spec.noNewPrivileges = running.noNewPrivileges
            spec.seccomp = running.seccomp
        } else {
            spec.privileged = exec.privileged
        }
        spec.compiledSeccomp = CompiledSeccomp.dockerDefault(for: spec.seccomp, capAdd: spec.capAdd,
                                                             capDrop: spec.capDrop, privileged: spec.privileged)
        return spec
    }

    /// Records the end of exec `id` and its `exec_die` event.
    func finishExec(_ id: String, exitCode: Int32) {
        guard var exec = execs[id] else { return }
        exec.running = false
        exec.exitCode = exitCode
        exec.pid = 0
        exec.process = nil
        execs[id] = exec
        emit(exec.action("exec_die"), id: exec.containerID, ["execID": id, "exitCode": "\(exitCode)"])
    }

    /// `POST /exec/{id}/resize`.
    public func resizeExec(_ id: String, size: TerminalSize) async throws {
        guard let exec = execs[id] else { throw EngineError.noSuchExec(id) }
        guard let process = exec.process else {
            throw EngineError(.conflict, "Exec \(id) is not running")
        }
        try await BlockingWork.run { try process.resize(size) }
    }
}
