import Glibc
import SpliceAPI
import SpliceEngine
import SpliceImages
import Synchronization
import SystemKit
import struct EngineErrors.EngineError

extension SpliceDockerEngine {
    /// `HEAD /containers/{id}/archive?path=`: the path's stat, resolved inside the container's root.
    public func archiveStat(_ id: String, path: String) async throws -> PathStat {
        let access = try await mapped { try await engine.openRootfs(id, for: .read) }
        let info = try await imageCall { try access.filesystem.stat(path, container: id) }
        return Self.pathStat(info)
    }

    /// `GET /containers/{id}/archive?path=`: the stat, then the tar streamed as it is written.
    public func archive(_ id: String, path: String) async throws -> ArchiveOutput {
        let access = try await mapped { try await engine.openRootfs(id, for: .read) }
        let info = try await imageCall { try access.filesystem.stat(path, container: id) }
        let tar = try Self.tarStream { fd throws(ImageError) in
            try access.filesystem.archive(path, container: id, to: fd)
        }
        await engine.recordRootfsEvent("archive-path", id: access.id)
        return ArchiveOutput(stat: Self.pathStat(info), tar: tar)
    }

    /// `GET /containers/{id}/export`: a tar of the container's layers (no volumes, `/proc` or binds), streamed.
    public func export(_ id: String) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let access = try await mapped { try await engine.openRootfs(id, for: .layers) }
        let tar = try Self.tarStream { fd throws(ImageError) in try access.filesystem.export(to: fd) }
        await engine.recordRootfsEvent("export", id: access.id)
        return tar
    }

    /// `PUT /containers/{id}/archive?path=DIR`: the body is spooled to an unlinked file, then extracted into DIR
    /// inside the container's root; a stopped container's layer is mounted for it and the container held meanwhile.
    public func extractArchive(_ id: String, path: String, noOverwriteDirNonDir: Bool, body: RequestBody)
        async throws
    {
        let spool = try await spoolBody(body, what: "archive")
        defer { close(spool) }
        let (held, result) = await extract(id, path: path, noOverwriteDirNonDir: noOverwriteDirNonDir, spool: spool)
        if let held { await engine.releaseRootfs(id: held) }
        try result.get()
        if let record = try? await engine.container(id) {
            await engine.recordRootfsEvent("extract-to-dir", id: record.id)
        }
    }

    /// Opens the root, extracts, and lets the access go before the caller releases the container (the writable
    /// overlay of a stopped container lives as long as its descriptor). Returns the id to release, if held.
    private func extract(_ id: String, path: String, noOverwriteDirNonDir: Bool, spool: Int32) async
        -> (String?, Result<Void, any Error>)
    {
        let access: RootfsAccess
        do { access = try await mapped { try await engine.openRootfs(id, for: .write) } } catch {
            return (nil, .failure(error))
        }
        let held = access.holdsContainer ? access.id : nil
        if access.readOnly {
            return (held, .failure(EngineError(.invalidArgument, "container rootfs is marked read-only")))
        }
        let options = ExtractOptions(noOverwriteDirNonDir: noOverwriteDirNonDir, owner: access.owner)
        do {
            try await imageCall {
                try access.filesystem.extract(from: spool, into: path, container: id, options: options)
            }
            return (held, .success(()))
        } catch {
            return (held, .failure(error))
        }
    }

    /// The API's stat of a path.
    static func pathStat(_ info: PathInfo) -> PathStat {
        PathStat(name: info.name, size: info.size, mode: info.mode, mtime: info.mtime, linkTarget: info.linkTarget)
    }

    /// A tar written by `produce` on a thread of its own into a pipe, read back chunk by chunk as the client takes it
    /// (so a slow client slows the writer instead of filling memory). A failure after the first bytes ends the stream.
    static func tarStream(_ produce: @escaping @Sendable (Int32) throws(ImageError) -> Void) throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw EngineError.system("pipe") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let reader = FileDescriptor(owning: ends[0])
        let writer = ends[1]
        let failure = Mutex<ImageError?>(nil)
        let started = KernelThread.detach {
            // Closing the write end is what tells the reader the tar is complete (or cut short by a failure).
            defer { close(writer) }
            do throws(ImageError) { try produce(writer) } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if !started {
            close(writer)
            throw EngineError(.internal, "cannot start a thread for the tar")
        }
        return AsyncThrowingStream<[UInt8], any Error> {
            let chunk = try await BlockingWork.run { () throws -> [UInt8] in
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(reader.rawValue, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 { throw EngineError.system("read") }
                    return Array(buffer[0..<count])
                }
            }
            if chunk.isEmpty {
                if let error = failure.withLock({ $0 }) { throw EngineError(.internal, error.message) }
                return nil
            }
            return chunk
        }
    }

    /// Writes a request body to an unlinked file under `<graph>/tmp` and returns its descriptor, rewound.
    func spoolBody(_ body: RequestBody, what: String) async throws -> Int32 {
        let directory = engine.configuration.graph + "/tmp"
        mkdir(directory, 0o700)
        let path = directory + "/\(what)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw EngineError.system("open", path: path) }
        unlink(path)
        do {
            for try await chunk in body {
                var written = 0
                while written < chunk.count {
                    let count = chunk[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else {
                        let failure = SystemError.current("write", path: directory)
                        throw EngineError(.internal, "cannot spool the \(what): \(failure.goDescription)",
                                          cause: failure)
                    }
                    written += count
                }
            }
            lseek(descriptor, 0, SEEK_SET)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }
}
