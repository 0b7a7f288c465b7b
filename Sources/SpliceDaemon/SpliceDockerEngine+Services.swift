import SpliceAPI
import SpliceEngine
import SpliceRuntime
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `GET /events`: stored events from `since`, then live ones, until `until`.
    public func events(_ options: EventOptions) async throws -> AsyncThrowingStream<EventMessage, any Error> {
        try await mapped {
            try await engine.subscribeEvents(since: options.since, until: options.until, filters: options.filters)
        }
    }

    /// `POST /containers/{id}/pause`.
    public func pauseContainer(_ id: String) async throws { try await mapped { try await engine.pause(id) } }

    /// `POST /containers/{id}/unpause`.
    public func unpauseContainer(_ id: String) async throws { try await mapped { try await engine.unpause(id) } }

    /// `GET /containers/{id}/top`.
    public func top(_ id: String, psArgs: String?) async throws -> ContainerTopResponse {
        try await mapped {
            let table = try await engine.top(id, psArgs: psArgs)
            return ContainerTopResponse(Titles: table.titles, Processes: table.processes)
        }
    }

    /// `POST /containers/{id}/resize`.
    public func resizeContainer(_ id: String, height: Int, width: Int) async throws {
        let size = try Self.terminalSize(height: height, width: width)
        try await mapped { try await engine.resize(id, size: size) }
    }

    /// `POST /containers/{id}/exec`.
    public func createExec(container id: String, _ config: ExecConfig) async throws -> IDResponse {
        var template = ExecRecord(id: "", containerID: id, command: config.Cmd ?? [])
        template.env = config.Env ?? []
        template.user = config.User ?? ""
        template.workingDir = config.WorkingDir ?? ""
        template.tty = config.Tty ?? false
        template.attachStdin = config.AttachStdin ?? false
        template.attachStdout = config.AttachStdout ?? false
        template.attachStderr = config.AttachStderr ?? false
        template.privileged = config.Privileged ?? false
        template.detachKeys = config.DetachKeys ?? ""
        return try await mapped { IDResponse(Id: try await engine.createExec(id, template)) }
    }

    /// `POST /exec/{id}/start` (hijacked).
    public func startExec(_ id: String, _ config: ExecStartConfig, stdin: AsyncStream<[UInt8]>) async throws
        -> ProcessOutput
    {
        let output = try await mapped { try await engine.startExec(id, stdin: stdin, detached: false) }
        return Self.processOutput(output)
    }

    /// `POST /exec/{id}/start` with `Detach`.
    public func startExecDetached(_ id: String, _ config: ExecStartConfig) async throws {
        _ = try await mapped { try await engine.startExec(id, stdin: nil, detached: true) }
    }

    /// `GET /exec/{id}/json`.
    public func exec(_ id: String) async throws -> ExecInspect {
        let exec = try await mapped { try await engine.exec(id) }
        var inspect = ExecInspect()
        inspect.ID = exec.id
        inspect.Running = exec.running
        inspect.ExitCode = exec.exitCode.map { Int($0) }
        inspect.ProcessConfig.tty = exec.tty
        inspect.ProcessConfig.entrypoint = exec.command.first ?? ""
        inspect.ProcessConfig.arguments = Array(exec.command.dropFirst())
        inspect.ProcessConfig.privileged = exec.privileged
        inspect.ProcessConfig.user = exec.user.isEmpty ? nil : exec.user
        inspect.OpenStdin = exec.attachStdin
        inspect.OpenStdout = exec.attachStdout
        inspect.OpenStderr = exec.attachStderr
        inspect.CanRemove = !exec.running && exec.started
        inspect.ContainerID = exec.containerID
        inspect.DetachKeys = exec.detachKeys
        inspect.Pid = Int(exec.pid)
        return inspect
    }

    /// `POST /exec/{id}/resize`.
    public func resizeExec(_ id: String, height: Int, width: Int) async throws {
        let size = try Self.terminalSize(height: height, width: width)
        try await mapped { try await engine.resizeExec(id, size: size) }
    }

    /// A terminal size from the API's `h` and `w`.
    static func terminalSize(height: Int, width: Int) throws(EngineError) -> TerminalSize {
        guard let rows = UInt16(exactly: height), let columns = UInt16(exactly: width) else {
            throw EngineError(.invalidArgument, "invalid terminal size \(height)x\(width)")
        }
        return TerminalSize(rows: rows, columns: columns)
    }
}
