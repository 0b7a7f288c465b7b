import SpliceImages
import SystemKit
import enum DockerModels.GoDuration

extension ImageBuilder {
    /// ENV, ARG, LABEL, EXPOSE, USER, WORKDIR, VOLUME, CMD, ENTRYPOINT, STOPSIGNAL, HEALTHCHECK, ONBUILD, SHELL and
    /// MAINTAINER: a new image with a changed config and no layer.
    func metadataStep(_ instruction: DockerfileInstruction, in stage: inout BuildStage) async throws {
        let words = ShellWords(escape: escape, variables: stage.variables)
        let line = instruction.line
        var config = stage.config
        switch instruction.keyword {
        case "ENV":
            let pairs = try Self.pairs(instruction.arguments, words: words, keyword: "ENV", line: line)
            ImageChange.env(pairs).apply(to: &config)
        case "LABEL":
            let pairs = try Self.pairs(instruction.arguments, words: words, keyword: "LABEL", line: line)
            ImageChange.label(pairs).apply(to: &config)
        case "ARG":
            try declareArgument(instruction, in: &stage)
        case "EXPOSE":
            let ports = try words.words(instruction.arguments)
            ImageChange.expose(ports.map { $0.contains("/") ? $0.lowercased() : $0 + "/tcp" }).apply(to: &config)
        case "USER":
            config.user = try words.word(instruction.arguments.trimmingSpaces())
        case "WORKDIR":
            let path = try words.word(instruction.arguments.trimmingSpaces())
            let joined = path.hasPrefix("/") ? path : stage.workingDirectory + "/" + path
            config.workingDir = "/" + ScopedPath.clean(joined).joined(separator: "/")
        case "VOLUME":
            let volumes = try instruction.jsonArguments ?? words.words(instruction.arguments)
            guard !volumes.isEmpty, !volumes.contains("") else {
                throw BuildFailure("Dockerfile line \(line): VOLUME specified can not be an empty string")
            }
            ImageChange.volume(volumes).apply(to: &config)
        case "CMD":
            config.cmd = instruction.jsonArguments ?? stage.shell + [instruction.arguments]
            stage.setCommand = true
        case "ENTRYPOINT":
            config.entrypoint = instruction.jsonArguments ?? stage.shell + [instruction.arguments]
            if !stage.setCommand { config.cmd = nil }
        case "STOPSIGNAL":
            config.stopSignal = try words.word(instruction.arguments.trimmingSpaces())
        case "HEALTHCHECK":
            config.healthcheck = try Self.healthcheck(instruction, line: line)
        case "ONBUILD":
            let trigger = instruction.arguments.trimmingSpaces()
            let keyword = String(trigger.prefix { $0 != " " && $0 != "\t" }).uppercased()
            guard keyword != "ONBUILD", keyword != "FROM", keyword != "MAINTAINER" else {
                throw BuildFailure("Dockerfile line \(line): \(keyword) isn't allowed as an ONBUILD trigger")
            }
            do { _ = try Dockerfile.instruction(trigger, line: line) } catch { throw BuildFailure(error.description) }
            config.onBuild = (config.onBuild ?? []) + [trigger]
        case "SHELL":
            guard let shell = instruction.jsonArguments, !shell.isEmpty else {
                throw BuildFailure("Dockerfile line \(line): SHELL requires the arguments to be in JSON form")
            }
            config.shell = shell
        case "MAINTAINER":
            break
        default:
            throw BuildFailure("Dockerfile line \(line): unknown instruction: \(instruction.keyword)")
        }
        let createdWorkdir = instruction.keyword == "WORKDIR" ? try await missingDirectory(config.workingDir, in: stage)
            : nil
        stage.config = config
        let createdBy = "/bin/sh -c #(nop)  " + instruction.original
        if let hit = try await cached(stage, createdBy: createdBy, content: "") {
            stage.imageID = hit
            return
        }
        // dockerd commits a config change through a container it creates (never starts) and removes: the same
        // ` ---> Running in` and `Removing intermediate container` lines, and the same container events. A stage
        // from scratch has no image to create one from.
        var container: String?
        if let parent = stage.imageID {
            container = try await intermediateContainer(of: parent, shell: stage.shell, for: instruction)
        }
        do {
            try await commitStep(&stage, layer: createdWorkdir, createdBy: createdBy, content: "")
        } catch {
            if let container, request.remove || request.forceRemove || error is CancellationError {
                await removeIntermediate(container)
            }
            throw error
        }
        if let container, request.remove {
            emit("Removing intermediate container \(Self.short(container))\n")
            await removeIntermediate(container)
        }
        if let id = stage.imageID { emit(" ---> \(Self.short(id))\n") }
    }

    /// A created (not started) container of `image` whose command is the step's `#(nop)` comment, as dockerd's
    /// legacy builder makes for each metadata step; its id is printed as ` ---> Running in`.
    func intermediateContainer(of image: String, shell: [String], for instruction: DockerfileInstruction)
        async throws -> String
    {
        var options = ContainerCreateOptions(image: image)
        options.cmd = shell + ["#(nop) ", instruction.original]
        options.entrypoint = []
        options.networkMode = "none"
        let id = try await engine.create(name: nil, options).id
        emit(" ---> Running in \(Self.short(id))\n")
        return id
    }

    /// Removes a step's container in a task of its own, so a cancelled build still removes it.
    func removeIntermediate(_ id: String) async {
        let engine = engine
        await Task { try? await engine.remove(id, force: true) }.value
    }

    /// A layer holding `directory` (root, 0755) when the stage's image does not have it, as dockerd's WORKDIR
    /// creates it; nil when it exists.
    func missingDirectory(_ directory: String?, in stage: BuildStage) async throws -> UpperDirectory? {
        guard let directory, directory != "/" else { return nil }
        let images = engine.images
        let parent = stage.imageID
        let lower = try await BlockingWork.run { try parent.map { try images.lowerDirectories(for: $0) } ?? [] }
        let view = UpperDirectory(path: "", lower: lower)
        guard view.lowerInfo(directory) == nil else { return nil }
        let staging = work + "/layer-\(step)"
        try await BlockingWork.run {
            try AtomicFile.makeDirectories(staging, mode: 0o755)
            try Self.makeParents(of: directory + "/_", in: staging, view: view, copier: FileTreeCopier(uid: 0, gid: 0))
        }
        return UpperDirectory(path: staging, lower: [])
    }

    /// `ARG name[=default]`: the value is `--build-arg`'s, else the default, else (in a stage) the meta argument's.
    func declareArgument(_ instruction: DockerfileInstruction, in stage: inout BuildStage) throws {
        let words = ShellWords(escape: escape, variables: stage.variables)
        for word in try words.words(instruction.arguments) {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard !name.isEmpty else {
                throw BuildFailure("Dockerfile line \(instruction.line): ARG names can not be blank")
            }
            if !stage.argumentOrder.contains(name) { stage.argumentOrder.append(name) }
            if let given = request.buildArgs[name] {
                stage.arguments[name] = given
            } else if parts.count == 2 {
                stage.arguments[name] = parts[1]
            } else if let inherited = meta.arguments[name] {
                stage.arguments[name] = inherited
            }
        }
    }

    /// ENV and LABEL pairs: `k=v k2="v 2"`, or the legacy `k v` form.
    static func pairs(_ text: String, words: ShellWords, keyword: String, line: Int) throws -> [(String, String)] {
        let tokens = try words.words(text)
        guard let first = tokens.first else {
            throw BuildFailure("Dockerfile line \(line): \(keyword) requires at least one argument")
        }
        guard first.contains("=") else {
            let trimmed = text.trimmingSpaces()
            let name = String(trimmed.prefix { $0 != " " && $0 != "\t" })
            let rest = String(trimmed.dropFirst(name.count)).trimmingSpaces()
            guard !rest.isEmpty else {
                throw BuildFailure("Dockerfile line \(line): \(keyword) must have two arguments")
            }
            return [(try words.word(name), try words.word(rest))]
        }
        return try tokens.map { token in
            guard let equals = token.firstIndex(of: "="), equals != token.startIndex else {
                throw BuildFailure("Dockerfile line \(line): \(keyword) names can not be blank")
            }
            return (String(token[..<equals]), String(token[token.index(after: equals)...]))
        }
    }

    /// `HEALTHCHECK NONE` or `HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D] [--retries=N] CMD …`.
    static func healthcheck(_ instruction: DockerfileInstruction, line: Int) throws -> ContainerConfig.Healthcheck {
        let text = instruction.arguments.trimmingSpaces()
        if text.uppercased() == "NONE" { return ContainerConfig.Healthcheck(test: ["NONE"]) }
        let keyword = text.prefix { $0 != " " && $0 != "\t" }
        guard keyword.uppercased() == "CMD" else {
            throw BuildFailure("Dockerfile line \(line): Unknown type \"\(keyword)\" in HEALTHCHECK (try CMD)")
        }
        let rest = String(text.dropFirst(keyword.count)).trimmingSpaces()
        let command = DockerfileInstruction(keyword: "CMD", arguments: rest, original: text, line: line)
        var check = ContainerConfig.Healthcheck(
            test: command.jsonArguments.map { ["CMD"] + $0 } ?? ["CMD-SHELL", command.arguments])
        for (name, value) in instruction.flags {
            switch name {
            case "interval": check.interval = try duration(value, name: name, line: line)
            case "timeout": check.timeout = try duration(value, name: name, line: line)
            case "start-period": check.startPeriod = try duration(value, name: name, line: line)
            case "start-interval": check.startInterval = try duration(value, name: name, line: line)
            case "retries":
                guard let retries = Int(value), retries >= 0 else {
                    throw BuildFailure("Dockerfile line \(line): invalid value for retries: \(value)")
                }
                check.retries = retries
            default: throw BuildFailure("Dockerfile line \(line): Unknown flag: \(name)")
            }
        }
        return check
    }

    /// A Go duration (`30s`, `1m30s`, `500ms`) in nanoseconds.
    static func duration(_ text: String, name: String, line: Int) throws -> Int64 {
        guard let nanoseconds = GoDuration.nanoseconds(text), nanoseconds >= 0 else {
            throw BuildFailure("Dockerfile line \(line): invalid duration for --\(name): \(text)")
        }
        return nanoseconds
    }
}
