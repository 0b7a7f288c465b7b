import Glibc
import NIOCore
import SystemKit

/// A file (or the range `start..<end` of it) read in 1 MiB chunks as an async sequence of buffers (an upload
/// body), reporting the offset reached so far.
struct FileChunks: AsyncSequence, Sendable {
    /// The file.
    let path: String
    /// Called after each chunk with the offset reached.
    let progress: @Sendable (Int64) -> Void
    /// Where reading starts.
    var start: Int64 = 0
    /// Where it stops (the end of the file when nil).
    var end: Int64?

    /// The chunk size.
    static let chunkSize = 1 << 20

    /// Reads the next chunk with `pread(2)`.
    struct AsyncIterator: AsyncIteratorProtocol {
        let descriptor: SystemKit.FileDescriptor?
        let path: String
        let progress: @Sendable (Int64) -> Void
        var offset: Int64
        let end: Int64?

        mutating func next() async throws -> ByteBuffer? {
            guard let descriptor else { throw ImageError.system(.current("open", path: path)) }
            let wanted = Swift.min(Int64(FileChunks.chunkSize), (end ?? Int64.max) - offset)
            guard wanted > 0 else { return nil }
            var buffer = ByteBufferAllocator().buffer(capacity: Int(wanted))
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(wanted)) { raw in
                var result = -1
                repeat {
                    result = pread(descriptor.rawValue, raw.baseAddress, Int(wanted), off_t(offset))
                } while result < 0 && Errno.current == .interrupted
                return Swift.max(result, 0)
            }
            guard count > 0 else { return nil }
            offset += Int64(count)
            progress(offset)
            return buffer
        }
    }

    /// Opens the file.
    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(descriptor: try? SystemKit.FileDescriptor.open(path, O_RDONLY | O_CLOEXEC), path: path,
                      progress: progress, offset: start, end: end)
    }
}
