import FoundationEssentials
import Glibc
import SystemKit

/// The on-disk state of all pools: one JSON file, replaced atomically, changed only under an exclusive lock.
///
/// Layout of the state directory:
/// - `ipam.json`: the committed state (absent until the first pool is created).
/// - `ipam.json.tmp-PID`: the next state while `AtomicFile` writes it; one left over from a crash is never read.
/// - `ipam.lock`: the `flock(2)` target that serialises every read-modify-write across processes and threads.
struct IPAMStore: Sendable {
    static let stateFileName = "ipam.json"
    static let lockFileName = "ipam.lock"
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

    /// Runs `body` on the current state under the exclusive lock and commits the result if it changed.
    func modify<T>(_ body: (inout State) throws(IPAMError) -> T) throws(IPAMError) -> T {
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
        if state != before { try save(state) }
        return result
    }

    /// Replaces the state file atomically (temporary file, `fsync`, `rename`), then flushes the directory so the
    /// rename itself survives a power loss.
    private func save(_ state: State) throws(IPAMError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw .corruptState(path: statePath, reason: "cannot encode: \(error)")
        }
        do {
            try AtomicFile.write(Array(data) + [0x0a], to: statePath, mode: 0o644)
            let directoryHandle = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
            try retryingInterrupts("fsync", path: directory) { fsync(directoryHandle.rawValue) }
        } catch {
            throw .state(error)
        }
    }
}
