import CLinuxShims
import Glibc
import NIOCore
import Synchronization
import SystemKit

/// A pipe from a layer's download to its extraction: the async download writes each received buffer to the
/// non-blocking write end (waiting a moment when the pipe is full, so no cooperative thread blocks in the kernel),
/// and libarchive reads the other end as `/dev/fd/N` on a thread of its own. The reader drains the pipe to its end
/// before closing it, so the writer never meets a closed pipe.
final class LayerPipe: Sendable {
    /// The read end, for the extraction.
    let readEnd: Int32
    /// The write end, for the download.
    let writeEnd: Int32

    /// Whether each end was closed (each is closed once).
    private let closed = Mutex((read: false, write: false))
    /// Set when the extraction never started: the download stops feeding the pipe (nothing would read it).
    private let abandoned = Mutex(false)

    /// The pipe's capacity (`F_SETPIPE_SZ`): 1 MiB, so a write rarely waits.
    static let capacity: Int32 = 1 << 20

    /// Closes whatever end is still open.
    deinit {
        finishWriting()
        let first = closed.withLock { state in
            defer { state.read = true }
            return !state.read
        }
        if first { close(readEnd) }
    }

    /// Makes the pipe. Wraps `pipe2(2)`.
    init() throws(ImageError) {
        var ends: [Int32] = [-1, -1]
        guard cls_pipe_cloexec(&ends) == 0 else { throw .system(.current("pipe2")) }
        readEnd = ends[0]
        writeEnd = ends[1]
        _ = cls_set_pipe_size(writeEnd, LayerPipe.capacity)
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
    }

    /// The path libarchive opens for the read end.
    var readPath: String { "/dev/fd/\(readEnd)" }

    /// Writes all of `buffer`, waiting a millisecond whenever the pipe is full.
    func write(_ buffer: ByteBuffer) async throws(ImageError) {
        var offset = 0
        while offset < buffer.readableBytes, !abandoned.withLock({ $0 }) {
            let written = buffer.withUnsafeReadableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(writeEnd, base + offset, raw.count - offset)
            }
            if written >= 0 {
                offset += written
                continue
            }
            switch Errno.current {
            case .interrupted: continue
            case .tryAgain:
                do { try await Task.sleep(for: .milliseconds(1)) } catch {
                    throw ImageError(.internal, "the pull was cancelled")
                }
            default:
                throw .system(.current("write", path: readPath))
            }
        }
    }

    /// Stops `write` from feeding a pipe that no extraction reads.
    func abandon() { abandoned.withLock { $0 = true } }

    /// Closes the write end: the reader sees the end of the layer.
    func finishWriting() {
        let first = closed.withLock { state in
            defer { state.write = true }
            return !state.write
        }
        if first { close(writeEnd) }
    }

    /// Reads the read end to its end (what the extraction did not need) and closes it.
    func drainAndClose() {
        let first = closed.withLock { state in
            defer { state.read = true }
            return !state.read
        }
        guard first else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, Errno.current == .interrupted { continue }
            if count <= 0 { break }
        }
        close(readEnd)
    }
}
