import SpliceRuntime
import struct DockerModels.DetachKeys
import struct EngineErrors.EngineError

extension ContainerEngine {
    /// `docker attach` / `docker start -a` / `docker run`: the container's output through its monitor's attach
    /// socket (live for a running container; for one not yet started, it waits for the start and replays from it),
    /// stdin forwarded until the detach keys, which end the session without touching the container's stdin. When the
    /// socket cannot be used the json-file log is followed instead (output only). An auto-remove container is kept
    /// until the session ends.
    public func attach(_ reference: String, _ request: AttachRequest, stdin: AsyncStream<[UInt8]>?) throws
        -> AttachedOutput
    {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        let keys = try DetachKeys(parsing: request.detachKeys)
        let tty = record.configuration.request.tty
        let openStdin = record.configuration.request.openStdin
        withLive(id) { $0.attachers += 1 }
        emit("attach", id: id)
        let (frames, continuation) = AsyncThrowingStream<AttachFrame, any Error>.makeStream()
        continuation.onTermination = { [weak self] _ in Task { await self?.detach(id) } }
        let path = logPath(of: id)
        if request.logs {
            for entry in LogFileReader.readAll(path) where request.accepts(entry.stream) {
                continuation.yield(AttachFrame(stream: entry.stream == "stderr" ? .stderr : .stdout,
                                               bytes: Array(entry.log.utf8)))
            }
        }
        guard request.stream else {
            continuation.finish()
            return AttachedOutput(tty: tty, frames: frames)
        }
        let fallback = LogFileReader.atEnd(of: path)
        var started: AsyncStream<Bool>?
        if !record.state.isRunning {
            let (stream, waiter) = AsyncStream<Bool>.makeStream()
            withLive(id) { $0.startWaiters.append(waiter) }
            started = stream
        }
        let session = AttachSession(id: id, stateDirectory: runDirectory(of: id), request: request, keys: keys,
                                    forwardStdin: request.stdin && openStdin, output: continuation)
        Task { [weak self] in
            if let started {
                var iterator = started.makeAsyncIterator()
                guard await iterator.next() == true else {
                    continuation.finish()
                    return
                }
            }
            let replay = started != nil
            let directory = session.stateDirectory
            let connection = try? await BlockingWork.run {
                try AttachConnection.connect(stateDirectory: directory, replay: replay)
            }
            guard let connection else {
                await self?.attachFromLog(session, from: fallback)
                return
            }
            session.run(connection, stdin: stdin) { [weak self] in await self?.emit("detach", id: id) }
        }
        return AttachedOutput(tty: tty, frames: frames)
    }

    /// The fallback of `attach`: the json-file log from where it was at attach time, until the container stops.
    func attachFromLog(_ session: AttachSession, from reader: LogFileReader) {
        let (entries, relay) = AsyncThrowingStream<LogEntry, any Error>.makeStream()
        let request = session.request
        followLog(session.id, from: reader, accept: { request.accepts($0.stream) }, into: relay)
        let output = session.output
        let task = Task {
            do {
                for try await entry in entries {
                    output.yield(AttachFrame(stream: entry.stream == "stderr" ? .stderr : .stdout,
                                             bytes: Array(entry.log.utf8)))
                }
            } catch {}
            output.finish()
        }
        _ = task
    }

    /// `POST /containers/{id}/resize`: sets the terminal size of a running container with a TTY.
    public func resize(_ reference: String, size: TerminalSize) async throws {
        let id = try resolve(reference)
        guard let record = records[id] else { throw EngineError.noSuchContainer(reference) }
        guard record.state.isRunning else { throw EngineError(.conflict, "Container \(id) is not running") }
        let directory = runDirectory(of: id)
        try await BlockingWork.run {
            let connection = try AttachConnection.connect(stateDirectory: directory, replay: false)
            defer { connection.close() }
            try connection.resize(size)
        }
        emit("resize", id: id, ["height": "\(size.rows)", "width": "\(size.columns)"])
    }
}

extension AttachRequest {
    /// Whether output of `stream` (`stdout`/`stderr`) goes to the client.
    func accepts(_ stream: String) -> Bool { stream == "stderr" ? stderr : stdout }
}
