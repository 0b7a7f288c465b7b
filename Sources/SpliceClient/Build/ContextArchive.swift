import Glibc
import SystemKit

/// The build context as the docker CLI sends it: a ustar stream of the directory (PAX records for long names),
/// owner 0:0, real modes and times, without what `.dockerignore` excludes (the Dockerfile and `.dockerignore`
/// are always sent).
public struct ContextArchive {
    /// One file to send.
    struct Entry {
        let path: String
        let name: String
        let info: stat
    }

    let entries: [Entry]

    /// Lists `directory`, honouring its `.dockerignore`; `dockerfile` is the Dockerfile's name in it.
    public init(directory: String, dockerfile: String) throws(ClientError) {
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .client("unable to prepare context: path \"\(directory)\" not found")
        }
        let ignore = (try? FileDescriptor.open(directory + "/.dockerignore").readAll())
            .map { DockerignoreMatcher(String(decoding: $0, as: UTF8.self)) } ?? DockerignoreMatcher("")
        let kept: Set<String> = [".dockerignore", dockerfile]
        var entries: [Entry] = []
        func walk(_ relative: String) {
            for name in Directory.entries(relative.isEmpty ? directory : directory + "/" + relative).sorted() {
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(directory + "/" + path, &info) == 0 else { continue }
                let isDirectory = info.st_mode & S_IFMT == S_IFDIR
                if ignore.excludes(path) && !kept.contains(path) {
                    if isDirectory && ignore.hasExceptions { walk(path) }
                    continue
                }
                entries.append(Entry(path: directory + "/" + path, name: isDirectory ? path + "/" : path, info: info))
                if isDirectory { walk(path) }
            }
        }
        walk("")
        self.entries = entries
    }

    /// The size of the tar stream, for `Sending build context to Docker daemon`.
    public var size: Int64 {
        entries.reduce(1024) { total, entry in
            let data = entry.info.st_mode & S_IFMT == S_IFREG ? (Int64(entry.info.st_size) + 511) / 512 * 512 : 0
            return total + 512 + data + (entry.name.utf8.count > 100 ? 1024 : 0)
        }
    }

    /// A producer of the stream's pieces, for `DockerClient.upload`; nil at the end.
    public func pieces() -> () throws(ClientError) -> [UInt8]? {
        var index = 0
        var openFile: Int32 = -1
        var remaining: Int64 = 0
        var padding = 0
        var finished = false
        return { () throws(ClientError) -> [UInt8]? in
            if openFile >= 0 {
                var buffer = [UInt8](repeating: 0, count: 65536)
                let count = buffer.withUnsafeMutableBytes {
                    read(openFile, $0.baseAddress, min($0.count, Int(remaining)))
                }
                if count > 0 {
                    remaining -= Int64(count)
                    var piece = Array(buffer[0..<count])
                    if remaining == 0 {
                        close(openFile)
                        openFile = -1
                        piece += [UInt8](repeating: 0, count: padding)
                    }
                    return piece
                }
                close(openFile)
                openFile = -1
                throw .client("read error in the build context (a file shrank while it was sent)")
            }
            guard index < entries.count else {
                if finished { return nil }
                finished = true
                return [UInt8](repeating: 0, count: 1024)
            }
            let entry = entries[index]
            index += 1
            var link = ""
            let format = entry.info.st_mode & S_IFMT
            if format == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: 4096)
                let count = readlink(entry.path, &buffer, buffer.count - 1)
                if count > 0 { link = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            }
            let isFile = format == S_IFREG
            let header = Self.header(name: entry.name, link: link, info: entry.info)
            if isFile && entry.info.st_size > 0 {
                openFile = open(entry.path, O_RDONLY | O_CLOEXEC)
                guard openFile >= 0 else { throw .client("cannot read \(entry.path) for the build context") }
                remaining = Int64(entry.info.st_size)
                padding = Int((512 - entry.info.st_size % 512) % 512)
            }
            return header
        }
    }

    /// The header block(s) of one entry, with a PAX record first when the name or link is too long for ustar.
    static func header(name: String, link: String, info: stat) -> [UInt8] {
        var result: [UInt8] = []
        var records = ""
        if name.utf8.count > 100 { records += record("path", name) }
        if link.utf8.count > 100 { records += record("linkpath", link) }
        let format = info.st_mode & S_IFMT
        if !records.isEmpty {
            let data = Array(records.utf8)
            result += block(name: "PaxHeaders/" + String(name.suffix(80)), link: "", mode: 0o644,
                            size: Int64(data.count), mtime: Int64(info.st_mtim.tv_sec), type: UInt8(ascii: "x"))
            result += data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        let type: UInt8 = switch format {
        case S_IFDIR: UInt8(ascii: "5")
        case S_IFLNK: UInt8(ascii: "2")
        default: UInt8(ascii: "0")
        }
        result += block(name: String(decoding: name.utf8.prefix(100), as: UTF8.self),
                        link: String(decoding: link.utf8.prefix(100), as: UTF8.self),
                        mode: Int64(info.st_mode & 0o7777), size: format == S_IFREG ? Int64(info.st_size) : 0,
                        mtime: Int64(info.st_mtim.tv_sec), type: type)
        return result
    }

    /// One PAX record: `LEN key=value\n`, LEN counting itself.
    static func record(_ key: String, _ value: String) -> String {
        let body = " \(key)=\(value)\n"
        var length = body.utf8.count + 1
        while String(length).utf8.count + body.utf8.count != length { length += 1 }
        return String(length) + body
    }

    /// A ustar header block.
    static func block(name: String, link: String, mode: Int64, size: Int64, mtime: Int64, type: UInt8) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let text = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - text.count)) + text, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(mtime, at: 136, width: 12)
        block[156] = type
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for index in 148..<156 { block[index] = 0x20 }
        let sum = block.reduce(0) { $0 + Int64($1) }
        octal(sum, at: 148, width: 7)
        block[154] = 0
        block[155] = 0x20
        return block
    }
}
