import Glibc
import SpliceImages
import SystemKit

extension ImageBuilder {
    /// COPY and ADD: the sources (globs allowed) from the context or, with `--from`, from a stage or image,
    /// written into a staging directory at the destination (`--chown` applied, ADD extracting local tars), which
    /// becomes the step's layer. The cache key covers what the sources hold.
    func copyStep(_ instruction: DockerfileInstruction, in stage: inout BuildStage) async throws {
        let keyword = instruction.keyword
        let line = instruction.line
        let shell = ShellWords(escape: escape, variables: stage.variables)
        var words: [String]
        if let json = instruction.jsonArguments {
            words = try json.map { try shell.word($0) }
        } else {
            words = try shell.words(instruction.arguments)
        }
        guard words.count >= 2, let destination = words.popLast() else {
            throw BuildFailure("Dockerfile line \(line): \(keyword) requires at least two arguments, but only one "
                + "was provided. Destination could not be determined.")
        }
        let root: String
        if let from = instruction.flags["from"] {
            root = try await tree(for: try shell.word(from), line: line)
        } else {
            root = context
        }
        var sources: [(host: String, name: String)] = []
        var downloaded: Set<String> = []
        for pattern in words {
            if pattern.hasPrefix("http://") || pattern.hasPrefix("https://") {
                guard keyword == "ADD", instruction.flags["from"] == nil else {
                    throw BuildFailure("Dockerfile line \(line): source can't be a URL for \(keyword)")
                }
                let source = try await download(pattern, index: downloaded.count, line: line)
                downloaded.insert(source.host)
                sources.append(source)
                continue
            }
            let matches = try Self.expand(pattern, in: root)
            guard !matches.isEmpty else {
                throw BuildFailure("\(keyword) failed: file not found in build context or excluded by .dockerignore: "
                    + "stat \(pattern): file does not exist (Dockerfile line \(line))")
            }
            sources += matches
        }
        let images = engine.images
        let parent = stage.imageID
        let lower = try await BlockingWork.run { try parent.map { try images.lowerDirectories(for: $0) } ?? [] }
        let view = UpperDirectory(path: "", lower: lower)
        let joined = destination.hasPrefix("/") ? destination : stage.workingDirectory + "/" + destination
        let target = "/" + ScopedPath.clean(joined).joined(separator: "/")
        let existingDirectory = view.lowerInfo(target).map { $0.st_mode & S_IFMT == S_IFDIR } ?? false
        let intoDirectory = destination.hasSuffix("/") || destination.hasSuffix("/.") || destination == "."
            || sources.count > 1 || existingDirectory

        let owner = try instruction.flags["chown"].map { try Self.owner(try shell.word($0), lower: lower, line: line) }
        let header = "\(instruction.flags.sorted { $0.key < $1.key }) \(target) \(intoDirectory)"
        let hashed = sources
        let fromURLs = downloaded
        let content = try await BlockingWork.run { () -> String in
            var hasher = ContentHasher()
            hasher.update(header)
            for source in hashed { FileTreeCopier.hash(source.host, as: source.name, into: &hasher) }
            return hasher.finish()
        }
        let kind = sources.count == 1 && !Self.isDirectory(sources[0].host) ? "file" : "dir"
        let createdBy = "/bin/sh -c #(nop) \(keyword) \(kind):\(content) in \(destination) "
        if let hit = try await cached(stage, createdBy: createdBy, content: content) {
            stage.imageID = hit
            return
        }
        let staging = work + "/layer-\(step)"
        let copier = FileTreeCopier(uid: owner?.0 ?? 0, gid: owner?.1 ?? 0)
        let isAdd = keyword == "ADD"
        try await BlockingWork.run {
            try AtomicFile.makeDirectories(staging, mode: 0o755)
            for source in hashed {
                let directory = Self.isDirectory(source.host)
                // A downloaded file is never extracted, as in docker.
                let archive = !directory && isAdd && !fromURLs.contains(source.host) && Self.isArchive(source.host)
                let path = directory || archive || !intoDirectory ? target
                    : target + "/" + (source.name.split(separator: "/").last.map(String.init) ?? source.name)
                if directory || archive {
                    try Self.makeParents(of: path + "/_", in: staging, view: view, copier: copier)
                    if directory {
                        try copier.copy(source.host, to: staging + path)
                    } else {
                        try LayerUnpacker.unpack(archiveAt: source.host, into: staging + path, whiteouts: .apply)
                    }
                } else {
                    try Self.makeParents(of: path, in: staging, view: view, copier: copier)
                    try copier.copy(source.host, to: staging + path)
                }
            }
        }
        try await commitStep(&stage, layer: UpperDirectory(path: staging, lower: []), createdBy: createdBy,
                             content: content)
        if let made = stage.imageID { emit(" ---> \(Self.short(made))\n") }
    }

    /// `ADD <url>`: downloads the URL (`https://` verified as `HTTPDownload` says) into a file of mode 0600 named
    /// after the URL path's last component, as docker does; the step's cache key then covers its content.
    func download(_ url: String, index: Int, line: Int) async throws -> (host: String, name: String) {
        let path = url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }.prefix { $0 != "?" && $0 != "#" }
        guard let name = path.split(separator: "/").last.map(String.init), name != ".", name != ".." else {
            throw BuildFailure("Dockerfile line \(line): cannot determine a file name for the source URL \(url)")
        }
        let directory = work + "/url-\(step)-\(index)"
        let file = directory + "/" + name
        try AtomicFile.makeDirectories(directory, mode: 0o700)
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError.current("open", path: file) }
        defer { close(descriptor) }
        do {
            try await HTTPDownload.fetch(url, into: descriptor)
        } catch {
            throw BuildFailure("Dockerfile line \(line): \(error.message)")
        }
        _ = fchmod(descriptor, 0o600)
        return (file, name)
    }

    /// The tree `COPY --from=NAME` reads: an earlier stage (by name or index) or an image, its layers applied
    /// into one directory once per build.
    func tree(for name: String, line: Int) async throws -> String {
        let imageID: String
        if let stage = stages.first(where: { $0.name == name.lowercased() }) ?? Int(name).flatMap({
            $0 >= 0 && $0 < stages.count ? stages[$0] : nil
        }) {
            guard let id = stage.imageID else { return try makeEmptyTree() }
            imageID = id
        } else {
            let images = engine.images
            do {
                imageID = try await BlockingWork.run { try images.resolve(name).description }
            } catch let error as ImageError where error.code == .notFound {
                throw BuildFailure("Dockerfile line \(line): invalid from flag value \(name): No such image: \(name)")
            }
        }
        if let existing = trees[imageID] { return existing }
        let directory = work + "/from-\(Self.short(imageID))"
        let images = engine.images
        try await BlockingWork.run {
            try AtomicFile.makeDirectories(directory, mode: 0o755)
            for layer in try images.image(named: imageID).layers {
                try images.unpack(layer: layer, into: directory, whiteouts: .apply)
            }
        }
        trees[imageID] = directory
        return directory
    }

    /// An empty directory (the tree of `FROM scratch` without layers).
    private func makeEmptyTree() throws -> String {
        let directory = work + "/from-scratch"
        try AtomicFile.makeDirectories(directory, mode: 0o755)
        return directory
    }

    /// The sources `pattern` names inside `root`: one path, or the matches of `*`, `?` and `[...]` per component.
    static func expand(_ pattern: String, in root: String) throws -> [(host: String, name: String)] {
        let components = ScopedPath.clean(pattern)
        guard components.contains(where: { $0.contains(where: { "*?[".contains($0) }) }) else {
            let host = try ScopedPath.resolve(components.joined(separator: "/"), in: root)
            var info = stat()
            guard lstat(host, &info) == 0 else { return [] }
            return [(host, components.last ?? ".")]
        }
        var current: [[String]] = [[]]
        for component in components {
            var next: [[String]] = []
            for prefix in current {
                let directory = try ScopedPath.resolve(prefix.joined(separator: "/"), in: root)
                if component.contains(where: { "*?[".contains($0) }) {
                    for name in Directory.entries(directory).sorted() where fnmatch(component, name, 0) == 0 {
                        next.append(prefix + [name])
                    }
                } else {
                    var info = stat()
                    if lstat(directory + "/" + component, &info) == 0 { next.append(prefix + [component]) }
                }
            }
            current = next
        }
        return try current.map { (try ScopedPath.resolve($0.joined(separator: "/"), in: root), $0.last ?? ".") }
    }

    /// Creates the directories above `path` in the staging tree, each with the mode and owner the image has for
    /// it (so a layer does not reset `/tmp`'s mode), else 0755 root.
    static func makeParents(of path: String, in staging: String, view: UpperDirectory, copier: FileTreeCopier)
        throws
    {
        let components = ScopedPath.clean(path).dropLast()
        var current = ""
        for component in components {
            current += "/" + component
            var info = stat()
            if lstat(staging + current, &info) == 0 {
                // Never write through a link an earlier source of the step put there.
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw BuildFailure("cannot copy to \(current): it exists and is not a directory")
                }
                continue
            }
            guard mkdir(staging + current, 0o755) == 0 else {
                throw BuildFailure("cannot create \(current): errno \(errno)")
            }
            if let below = view.lowerInfo(current), below.st_mode & S_IFMT == S_IFDIR {
                chmod(staging + current, below.st_mode & 0o7777)
                lchown(staging + current, below.st_uid, below.st_gid)
                var times = [below.st_atim, below.st_mtim]
                utimensat(AT_FDCWD, staging + current, &times, AT_SYMLINK_NOFOLLOW)
            } else if current == "/" + components.joined(separator: "/") {
                lchown(staging + current, copier.uid, copier.gid)
            }
        }
    }

    /// `--chown=user[:group]`: numbers, or names from the image's `/etc/passwd` and `/etc/group`.
    static func owner(_ spec: String, lower: [String], line: Int) throws -> (uid_t, gid_t) {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 1, let uid = UInt32(parts[0]) { return (uid, uid) }
        do {
            let identity = try UserDatabase.read(layers: lower).resolve(spec)
            return (identity.uid, identity.gid)
        } catch {
            throw BuildFailure("Dockerfile line \(line): unable to convert uid/gid chown string to host mapping: "
                + error.message)
        }
    }

    /// Whether `path` is a directory (not following a final symlink).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `path` is a tar archive, plain or compressed with gzip, bzip2 or xz (what ADD extracts).
    static func isArchive(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var block = [UInt8](repeating: 0, count: 512)
        let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        let bytes = Array(block[0..<count])
        if bytes.starts(with: [0x1F, 0x8B]) || bytes.starts(with: Array("BZh".utf8))
            || bytes.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])
        {
            return true
        }
        return bytes.count >= 262 && Array(bytes[257..<262]) == Array("ustar".utf8)
    }
}
