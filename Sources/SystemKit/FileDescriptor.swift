import Glibc

/// An owned file descriptor, closed when the last reference goes away.
public final class FileDescriptor: Sendable {
    /// The raw descriptor number.
    public let rawValue: Int32

    /// Takes ownership of `rawValue`.
    public init(owning rawValue: Int32) { self.rawValue = rawValue }

    /// Opens `path` with `flags` (`O_CLOEXEC` is always added). Wraps `open(2)`.
    public static func open(_ path: String, _ flags: Int32 = O_RDONLY, mode: mode_t = 0) throws(SystemError)
        -> FileDescriptor
    {
        let fd = try retryingInterrupts("open", path: path) { Glibc.open(path, flags | O_CLOEXEC, mode) }
        return FileDescriptor(owning: fd)
    }

    /// Writes all of `bytes`. Wraps `write(2)`.
    public func write(_ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(rawValue, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if Errno.current == .interrupted { continue }
                throw SystemError.current("write")
            }
            offset += written
        }
    }

    /// Reads until end of file. Wraps `read(2)`.
    public func readAll() throws(SystemError) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in Glibc.read(rawValue, raw.baseAddress, raw.count) }
            if count < 0 {
                if Errno.current == .interrupted { continue }
                throw SystemError.current("read")
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// The device and inode of the file behind this descriptor. Wraps `fstat(2)`.
    public func identity() throws(SystemError) -> FileIdentity {
        var info = stat()
        try retryingInterrupts("fstat") { fstat(rawValue, &info) }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    deinit { Glibc.close(rawValue) }
}

/// A file's device and inode number: equal identities name the same kernel object.
public struct FileIdentity: Hashable, Sendable, CustomStringConvertible {
    public let device: UInt64
    public let inode: UInt64
    public var description: String { "\(device):\(inode)" }
}
