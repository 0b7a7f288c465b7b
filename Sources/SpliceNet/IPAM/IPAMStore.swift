import FoundationEssentials
import Glibc
import SystemKit

/// The on-disk state of all pools: one JSON file, replaced atomically, changed only under an exclusive lock.
///
/// Layout of the state directory:
/// - `ipam.json`: the committed state (absent until the first pool is created).
/// - `ipam.json.tmp-PID`: the next state while `AtomicFile` writes it; one left over from a crash is never read.
/// - `ipam.lock`: the `flock(2)` target that serialises every read-modify-write across processes and threads.
/// - `ipam.reserve`: blocks set aside (`fallocate`) so that a release still commits on a full disk: without them
///   the address of a container removed while the disk is full would stay allocated for good.
struct IPAMStore: Sendable {
    static let stateFileName = "ipam.json"
    static let lockFileName = "ipam.lock"
    static let reserveFileName = "ipam.reserve"
    /// The reserve's minimum size; it is kept at twice the state file's size when that is larger.
    static let minimumReserve = 256 * 1024
    static let formatVersion = 1

    /// What `ipam.json` holds.
    struct State: Codable, Equatable {
        var version: Int
        var pools: [IPAMPool]

        static let empty = State(version: IPAMStore.formatVersion, pools: [])

        /// The index of the pool for `name`, if there is one.
        func index(of name: String) -> Int? { pools.firstIndex { $0.name == name } }
    }

    let directory: String

    var statePath: String { directory + "/" + Self.stateFileName }
    var lockPath: String { directory + "/" + Self.lockFileName }
    var reservePath: String { directory + "/" + Self.reserveFileName }

    /// Uses `directory` (a relative path is resolved against the working directory now), creating it and its
    /// parents if needed.
    init(directory: String) throws(IPAMError) {
        var absolute = directory
        if !absolute.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
            guard getcwd(&buffer, buffer.count) != nil else { throw .state(.current("getcwd")) }
            let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            absolute = cwd + "/" + absolute
        }
        while absolute.count > 1, absolute.hasSuffix("/") { absolute.removeLast() }
        self.directory = absolute
        do {
            try AtomicFile.makeDirectories(absolute, mode: 0o755)
        } catch {
            throw .state(error)
        }
        refillReserve(stateSize: 0)
    }

    /// Reads the committed state; a missing file is an empty state. Safe without the lock, because writers
    /// replace the file with `rename(2)`.
    func load() throws(IPAMError) -> State {
        let contents: [UInt8]?
        do {
            contents = try AtomicFile.read(statePath)
        } catch {
            throw .state(error)
        }
        guard let bytes = contents else { return .empty }
        let state: State
        do {
            state = try JSONDecoder().decode(State.self, from: Data(bytes))
        } catch {
            throw .corruptState(path: statePath, reason: "\(error)")
        }
        guard state.version == Self.formatVersion else {
            throw .corruptState(path: statePath, reason: "format version \(state.version) is not supported")
        }
        return state
    }

    /// Runs `body` on the current state under the exclusive lock and commits the result if it changed. A change
    /// that only frees (`usesReserve`: a release, a pool's removal) may spend the reserve when the disk is full.
    func modify<T>(usesReserve: Bool = false, _ body: (inout State) throws(IPAMError) -> T) throws(IPAMError) -> T {
        let lock: FileLock
        do {
            lock = try FileLock(path: lockPath)
        } catch {
            throw .state(error)
        }
        defer { lock.unlock() }
        let before = try load()
        var state = before
        let result = try body(&state)
        if state != before { try save(state, usesReserve: usesReserve) }
        return result
    }

    /// Replaces the state file atomically (temporary file, `fsync`, `rename`), then flushes the directory so the
    /// rename itself survives a power loss. On ENOSPC, a freeing change gives up the reserve and tries once more;
    /// the reserve is made again (as far as the disk allows) after every commit.
    private func save(_ state: State, usesReserve: Bool) throws(IPAMError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw .corruptState(path: statePath, reason: "cannot encode: \(error)")
        }
        let bytes = Array(data) + [0x0a]
        do {
            try commit(bytes)
        } catch where error.errno == .noSpace && usesReserve {
            unlink(reservePath)
            do { try commit(bytes) } catch { throw .state(error) }
        } catch {
            throw .state(error)
        }
        refillReserve(stateSize: bytes.count)
    }

    private func commit(_ bytes: [UInt8]) throws(SystemError) {
        try AtomicFile.write(bytes, to: statePath, mode: 0o644)
        let directoryHandle = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        try retryingInterrupts("fsync", path: directory) { fsync(directoryHandle.rawValue) }
    }

    /// Makes the reserve (at least `minimumReserve`, twice `stateSize`) if it is missing or smaller; a full disk
    /// leaves it as it is until a later commit.
    private func refillReserve(stateSize: Int) {
        let size = max(Self.minimumReserve, 2 * stateSize)
        var info = stat()
        if stat(reservePath, &info) == 0, Int(info.st_blocks) * 512 >= size { return }
        let descriptor = open(reservePath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = posix_fallocate(descriptor, 0, off_t(size))
    }
}
