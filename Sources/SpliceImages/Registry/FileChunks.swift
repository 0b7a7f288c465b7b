import Glibc
import NIOCore
import SystemKit

/// A file read in 1 MiB chunks as an async sequence of buffers (an upload body), reporting the bytes read so far.
struct FileChunks: AsyncSequence, Sendable {
    /// The file.
    let path: String
    /// Called after each chunk with the total read.
    let progress: @Sendable (Int64) -> Void

    /// The chunk size.
    static let chunkSize = 1 << 20

    /// Reads the next chunk with `pread(2)`.
    struct AsyncIterator: AsyncIteratorProtocol {
        let descriptor: SystemKit.FileDescriptor?
        let path: String
        let progress: @Sendable (Int64) -> Void
        var offset: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let descriptor else { throw ImageError.system(.current("open", path: path)) }
            var buffer = ByteBufferAllocator().buffer(capacity: FileChunks.chunkSize)
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: FileChunks.chunkSize) { raw in
                var result = -1
                repeat {
                    result = pread(descriptor.rawValue, raw.baseAddress, FileChunks.chunkSize, off_t(offset))
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
                      progress: progress)
    }
}
