import DockerModels
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension SpliceCLI {
    /// `splice cp [-a] [-L] CONTAINER:SRC DEST|-` and `splice cp [-a] [-L] SRC|- CONTAINER:DEST`, as docker cp.
    static func copy(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "cp", flags: [.init("archive", "a"), .init("follow-link", "L"),
                                                             .init("quiet", "q")])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 2...2, usage: "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-")
        let source = splitCopyPath(parsed.positionals[0]), destination = splitCopyPath(parsed.positionals[1])
        switch (source.container, destination.container) {
        case (let container?, nil):
            try copyFrom(container, source.path, to: destination.path, follow: parsed.bool("follow-link"), context)
        case (nil, let container?):
            try copyTo(container, destination.path, from: source.path, follow: parsed.bool("follow-link"),
                       keepOwners: parsed.bool("archive"), context)
        case (.some, .some):
            throw .client("copying between containers is not supported")
        case (nil, nil):
            throw .client("must specify at least one container source")
        }
        return 0
    }

    /// `CONTAINER:PATH` split as docker splits it (a path with a slash before the colon is local).
    static func splitCopyPath(_ argument: String) -> (container: String?, path: String) {
        guard let colon = argument.firstIndex(of: ":"), !argument.hasPrefix("/"), !argument.hasPrefix("."),
              !argument[..<colon].contains("/") else { return (nil, argument) }
        return (String(argument[..<colon]), String(argument[argument.index(after: colon)...]))
    }

    /// The `X-Docker-Container-Path-Stat` of a response.
    static func pathStat(_ response: HTTPResponse) throws(ClientError) -> PathStat {
        guard let header = response.headers["x-docker-container-path-stat"],
              let data = Data(base64Encoded: header),
              let stat = try? JSONDecoder().decode(PathStat.self, from: data) else {
            throw .transport("the daemon sent no path stat")
        }
        return stat
    }

    private static func copyFrom(_ container: String, _ sourcePath: String, to destination: String, follow: Bool,
                                 _ context: CommandContext) throws(ClientError) {
        let archivePath = path("containers", container, "/archive")
        var response = try context.client.checked(method: "GET", path: archivePath, query: [("path", sourcePath)])
        var remote = try pathStat(response)
        var rename: String?
        if follow, remote.mode & PathStat.modeSymlink != 0, !remote.linkTarget.isEmpty {
            response = try context.client.checked(method: "GET", path: archivePath,
                                                  query: [("path", remote.linkTarget)])
            remote = try pathStat(response)
            rename = baseName(sourcePath)
        }
        if destination == "-" {
            while let piece = try response.nextChunk() { context.console.stdout(piece) }
            return
        }
        var info = stat()
        let exists = stat(destination, &info) == 0
        let isDirectory = exists && info.st_mode & S_IFMT == S_IFDIR
        if isDirectory {
            try LocalTar.extract(into: destination, rename: rename) { () throws(ClientError) in
                try response.nextChunk()
            }
            return
        }
        if destination.hasSuffix("/") {
            throw .client("destination directory \"\(destination)\" must exist")
        }
        if exists, remote.mode & PathStat.modeDirectory != 0 {
            throw .client("cannot copy a directory to a file: \(destination)")
        }
        let parent = parentDirectory(destination)
        try LocalTar.extract(into: parent, rename: baseName(destination)) { () throws(ClientError) in
            try response.nextChunk()
        }
    }

    private static func copyTo(_ container: String, _ destination: String, from source: String, follow: Bool,
                               keepOwners: Bool, _ context: CommandContext) throws(ClientError) {
        let archivePath = path("containers", container, "/archive")
        var query: [(String, String)] = [("noOverwriteDirNonDir", "true")]
        if keepOwners { query.append(("copyUIDGID", "true")) }
        if source == "-" {
            _ = try context.client.upload("PUT", archivePath, query: query + [("path", destination)],
                                          contentType: "application/x-tar") { () throws(ClientError) in
                try readPiece(0, what: "standard input")
            }
            return
        }
        var info = stat()
        guard (follow ? stat(source, &info) : lstat(source, &info)) == 0 else {
            throw .client("stat \(source): no such file or directory")
        }
        let sourceIsDirectory = info.st_mode & S_IFMT == S_IFDIR
        var target = destination
        var remote = try statInContainer(container, target, context)
        if let found = remote, found.mode & PathStat.modeSymlink != 0 {
            target = found.linkTarget.hasPrefix("/") ? found.linkTarget
                : parentDirectory(target) + "/" + found.linkTarget
            remote = try statInContainer(container, target, context)
        }
        let directory: String, name: String
        if let remote, remote.mode & PathStat.modeDirectory != 0 {
            directory = target
            name = baseName(source)
        } else if remote != nil, sourceIsDirectory {
            throw .client("cannot copy a directory to a file: \(destination)")
        } else {
            if remote == nil, destination.hasSuffix("/"), !sourceIsDirectory {
                throw .daemon(status: 404, message: "Could not find the file \(destination) in container \(container)")
            }
            directory = parentDirectory(target)
            name = baseName(target)
        }
        let spool = try temporaryFile()
        defer { close(spool) }
        try LocalTar.create(source, name: name, followLink: follow, keepOwners: keepOwners, into: spool)
        lseek(spool, 0, SEEK_SET)
        _ = try context.client.upload("PUT", archivePath, query: query + [("path", directory)],
                                      contentType: "application/x-tar") { () throws(ClientError) in
            try readPiece(spool, what: "the tar")
        }
    }

    /// `HEAD …/archive?path=`: the stat, or nil when the path does not exist.
    private static func statInContainer(_ container: String, _ target: String, _ context: CommandContext)
        throws(ClientError) -> PathStat?
    {
        let response = try context.client.exchange(method: "HEAD", path: path("containers", container, "/archive"),
                                                   query: [("path", target)], isHead: true)
        if response.status == 404 { return nil }
        guard response.status < 400 else {
            throw .daemon(status: response.status, message: "cannot stat \(target) in container \(container)")
        }
        return try pathStat(response)
    }

    /// `splice export [-o FILE] CONTAINER`: the container's file system as a tar, to stdout or `-o`.
    static func export(_ arguments: [String], _ context: CommandContext) throws(ClientError) -> Int32 {
        let scanner = ArgumentScanner(command: "export", flags: [.init("output", "o", value: true)])
        let parsed = try scanner.scan(arguments)
        try scanner.requireArguments(parsed, 1...1, usage: "[OPTIONS] CONTAINER")
        let response = try context.client.checked(method: "GET", path: path("containers", parsed.positionals[0],
                                                                            "/export"))
        try download(response, to: parsed.value("output"), context)
        return 0
    }

    /// Writes a response body to `output` (made anew, mode 0600 as docker's) or to stdout.
    static func download(_ response: HTTPResponse, to output: String?, _ context: CommandContext) throws(ClientError) {
        guard let output else {
            while let piece = try response.nextChunk() { context.console.stdout(piece) }
            return
        }
        let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .client("failed to export: open \(output): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while let piece = try response.nextChunk() {
            var offset = 0
            while offset < piece.count {
                let count = piece[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw .client("write \(output): \(String(cString: strerror(errno)))") }
                offset += count
            }
        }
    }

    /// The next piece of `fd`; nil at end of file.
    static func readPiece(_ fd: Int32, what: String) throws(ClientError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .client("read \(what): \(String(cString: strerror(errno)))") }
            return count == 0 ? nil : Array(buffer[0..<count])
        }
    }

    /// An unlinked temporary file, open for reading and writing.
    static func temporaryFile() throws(ClientError) -> Int32 {
        var template = Array("/tmp/splice-cp-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw .client("cannot make a temporary file: \(String(cString: strerror(errno)))") }
        unlink(String(cString: template))
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// The last component of `path` (`.` kept), as `filepath.Base`.
    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? "/"
    }

    /// The directory of `path` (`.` for a bare name), as `filepath.Dir`.
    static func parentDirectory(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty else { return "/" }
        parts.removeLast()
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
