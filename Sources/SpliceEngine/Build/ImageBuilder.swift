import Glibc
import SpliceImages
import SystemKit
import struct DockerModels.BuildOptions
import struct EngineErrors.EngineError
import struct DockerModels.ProgressMessage

/// dockerd's legacy builder: runs a Dockerfile's instructions against an extracted context, one image per step
/// (RUN in a container through the engine, COPY and ADD as a layer from a staging directory, the rest as a
/// config change), with a cache keyed on the parent image, the step and the content it reads, and reports each
/// step as the docker CLI expects.
actor ImageBuilder {
    let engine: ContainerEngine
    let request: BuildOptions
    /// The build's scratch directory (`<graph>/tmp/build-…`), removed at the end.
    let work: String
    /// The extracted context.
    let context: String
    let output: AsyncThrowingStream<ProgressMessage, any Error>.Continuation
    /// Finished stages, in order.
    var stages: [BuildStage] = []
    /// Flattened trees of images that `COPY --from` read, by image id.
    var trees: [String: String] = [:]
    /// The Dockerfile's escape character.
    var escape: Character = "\\"
    /// The ARGs declared before the first FROM (what FROM lines and a stage's bare `ARG name` see).
    var meta = BuildStage()
    var step = 0
    var totalSteps = 0

    /// Fetches a `FROM` image missing from the store; nil: such a `FROM` is an error.
    let pull: ImagePull?
    /// The context held only the Dockerfile, which is not part of the build's context.
    let contextless: Bool

    init(engine: ContainerEngine, request: BuildOptions, work: String,
         output: AsyncThrowingStream<ProgressMessage, any Error>.Continuation, pull: ImagePull? = nil,
         contextless: Bool = false) {
        self.engine = engine
        self.pull = pull
        self.contextless = contextless
        self.request = request
        self.work = work
        context = work + "/context"
        self.output = output
    }

    /// Prints `text` unless the build is quiet.
    func emit(_ text: String) {
        if !request.quiet { output.yield(ProgressMessage(stream: text)) }
    }

    /// The first 12 hex digits of an image or container id.
    static func short(_ id: String) -> String {
        String((id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id).prefix(12))
    }

    /// Runs the build from the context tar at `archive`; returns the final image id.
    func run(archive: String) async throws -> String {
        let images = engine.images
        let context = context
        try await BlockingWork.run {
            try AtomicFile.makeDirectories(context, mode: 0o700)
            try LayerUnpacker.unpack(archiveAt: archive, into: context, whiteouts: .apply)
        }
        let dockerfilePath = try ScopedPath.resolve(request.dockerfile, in: context)
        guard let bytes = try? FileDescriptor.open(dockerfilePath, O_RDONLY).readAll() else {
            throw BuildFailure("Cannot locate specified Dockerfile: \(request.dockerfile)")
        }
        // A Dockerfile given by URL comes with no context: COPY and ADD find nothing, as in dockerd.
        if contextless { unlink(dockerfilePath) }
        let dockerfile: Dockerfile
        do {
            dockerfile = try Dockerfile(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw BuildFailure(error.description)
        }
        escape = dockerfile.escape
        var instructions = dockerfile.instructions
        // ARGs before the first FROM are the meta arguments FROM lines may use.
        var metaStage = BuildStage()
        while let first = instructions.first, first.keyword == "ARG" {
            instructions.removeFirst()
            try declareArgument(first, in: &metaStage)
        }
        meta = metaStage
        guard let first = instructions.first else {
            throw BuildFailure("the Dockerfile (\(request.dockerfile)) cannot be empty")
        }
        guard first.keyword == "FROM" else {
            throw BuildFailure("Dockerfile line \(first.line): no build stage in current context: "
                + "\(first.keyword) must come after FROM")
        }
        var groups: [[DockerfileInstruction]] = []
        for instruction in instructions {
            if instruction.keyword == "FROM" { groups.append([]) }
            groups[groups.count - 1].append(instruction)
        }
        if let target = request.target {
            guard let index = groups.firstIndex(where: { Self.stageName($0[0]) == target.lowercased() }) else {
                throw BuildFailure("failed to reach build target \(target) in Dockerfile")
            }
            groups = Array(groups[...index])
        }
        totalSteps = groups.reduce(0) { $0 + $1.count }
        for group in groups {
            var stage = BuildStage()
            for instruction in group {
                // A client that went away (the stream was dropped) stops the build between steps.
                try Task.checkCancellation()
                step += 1
                emit("Step \(step)/\(totalSteps) : \(instruction.original)")
                emit("\n")
                do {
                    try await execute(instruction, in: &stage)
                } catch let failure as BuildFailure {
                    throw failure
                } catch let error as ImageError {
                    throw BuildFailure("Dockerfile line \(instruction.line): \(error.message)")
                } catch let error as EngineError {
                    throw BuildFailure("Dockerfile line \(instruction.line): \(error.message)")
                } catch let error as DockerfileLexError {
                    throw BuildFailure("Dockerfile line \(instruction.line): \(error.message)")
                }
            }
            if !request.labels.isEmpty, group == groups.last {
                var labels = stage.config.labels ?? [:]
                for (key, value) in request.labels { labels[key] = value }
                stage.config.labels = labels
                try await commitStep(&stage, layer: nil, createdBy: "/bin/sh -c #(nop)  LABEL "
                    + request.labels.keys.sorted().map { "\($0)=\(request.labels[$0] ?? "")" }.joined(separator: " "),
                    content: "")
            }
            if let id = stage.imageID, !request.quiet {
                var aux = ProgressMessage()
                aux.aux = ["ID": id]
                output.yield(aux)
            }
            stages.append(stage)
        }
        guard let final = stages.last?.imageID else {
            throw BuildFailure("No image was generated. Is your Dockerfile empty?")
        }
        emit("Successfully built \(Self.short(final))\n")
        for tag in request.tags {
            let reference = try ImageReference(parsing: tag)
            try await BlockingWork.run { try images.tag(source: final, target: tag) }
            emit("Successfully tagged \(reference.description)\n")
        }
        if request.quiet { output.yield(ProgressMessage(stream: final + "\n")) }
        return final
    }

    /// The lower-cased stage name of a FROM instruction (`FROM x AS name`), or nil.
    static func stageName(_ instruction: DockerfileInstruction) -> String? {
        let words = instruction.arguments.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 3, words[1].lowercased() == "as" else { return nil }
        return words[2].lowercased()
    }

    /// Runs one instruction against `stage`.
    func execute(_ instruction: DockerfileInstruction, in stage: inout BuildStage) async throws {
        switch instruction.keyword {
        case "FROM": try await from(instruction, in: &stage)
        case "RUN": try await runStep(instruction, in: &stage)
        case "COPY", "ADD": try await copyStep(instruction, in: &stage)
        default:
            try await metadataStep(instruction, in: &stage)
        }
    }

    /// FROM: an earlier stage, `scratch` or an image in the store; then the image's ONBUILD triggers.
    func from(_ instruction: DockerfileInstruction, in stage: inout BuildStage) async throws {
        let words = try ShellWords(escape: escape, variables: meta.arguments).words(instruction.arguments)
        guard words.count == 1 || (words.count == 3 && words[1].lowercased() == "as") else {
            throw BuildFailure("Dockerfile line \(instruction.line): FROM requires either one or three arguments")
        }
        let name = words[0]
        stage.name = words.count == 3 ? words[2].lowercased() : nil
        if let earlier = stages.last(where: { $0.name != nil && $0.name == name.lowercased() }) {
            stage.imageID = earlier.imageID
            stage.config = earlier.config
        } else if name.lowercased() == "scratch" {
            stage.imageID = nil
            stage.config = ContainerConfig()
        } else {
            let images = engine.images
            let lookup = { () async throws -> (String, ContainerConfig?) in
                try await BlockingWork.run { () throws -> (String, ContainerConfig?) in
                    let id = try images.resolve(name).description
                    return (id, try images.image(named: id).configuration.config)
                }
            }
            let resolved: (String, ContainerConfig?)
            do {
                resolved = try await lookup()
            } catch let error as ImageError where error.code == .notFound {
                guard let pull else {
                    throw BuildFailure("Dockerfile line \(instruction.line): pull access denied for \(name): No such "
                        + "image: \(name) (import or build it first)")
                }
                // As dockerd's legacy builder: the missing base image is pulled, its progress in the build's output.
                do {
                    try await pull(name, output)
                } catch {
                    let message = (error as? EngineError)?.message ?? (error as? ImageError)?.message ?? "\(error)"
                    throw BuildFailure("Dockerfile line \(instruction.line): \(message)")
                }
                resolved = try await lookup()
            }
            stage.imageID = resolved.0
            stage.config = resolved.1 ?? ContainerConfig()
        }
        if let id = stage.imageID { emit(" ---> \(Self.short(id))\n") }
        let triggers = stage.config.onBuild ?? []
        guard !triggers.isEmpty else { return }
        emit("# Executing \(triggers.count) build trigger\(triggers.count == 1 ? "" : "s")\n")
        stage.config.onBuild = nil
        for trigger in triggers {
            let parsed: DockerfileInstruction
            do { parsed = try Dockerfile.instruction(trigger, line: instruction.line) } catch {
                throw BuildFailure(error.description)
            }
            try await execute(parsed, in: &stage)
        }
    }

    /// Records `stage`'s new image for a step (from the cache when `key` has one and the cache is on).
    func commitStep(_ stage: inout BuildStage, layer: UpperDirectory?, createdBy: String, content: String)
        async throws
    {
        let images = engine.images
        let commit = ImageCommit(parent: stage.imageID, layer: layer, config: stage.config, createdBy: createdBy)
        let key = ImageStore.buildCacheKey(parent: stage.imageID ?? "scratch", step: createdBy, content: content)
        let id = try await BlockingWork.run { () throws -> String in
            let made = try images.commit(commit)
            try images.cacheBuildStep(key, image: made)
            return made.description
        }
        stage.imageID = id
    }

    /// The cache hit for a step, printed as ` ---> Using cache`; nil when there is none or the cache is off.
    func cached(_ stage: BuildStage, createdBy: String, content: String) async throws -> String? {
        guard !request.noCache else { return nil }
        let images = engine.images
        let key = ImageStore.buildCacheKey(parent: stage.imageID ?? "scratch", step: createdBy, content: content)
        guard let id = try await BlockingWork.run({ try images.cachedBuildStep(key) }) else { return nil }
        emit(" ---> Using cache\n")
        emit(" ---> \(Self.short(id.description))\n")
        return id.description
    }
}
