import SpliceImages

extension ImageBuilder {
    /// RUN: the command in a container of the current image (the stage's environment, build arguments, user,
    /// directory and the build's network), its output streamed, then its layer committed; the container is
    /// removed whether the command succeeded or not (kept with `rm=0`).
    func runStep(_ instruction: DockerfileInstruction, in stage: inout BuildStage) async throws {
        guard let parent = stage.imageID else {
            throw BuildFailure("Dockerfile line \(instruction.line): RUN needs an image: FROM scratch has no shell")
        }
        let argv = instruction.jsonArguments ?? stage.shell + [instruction.arguments]
        let environment = stage.environment
        let arguments = stage.argumentOrder.compactMap { name -> String? in
            guard environment[name] == nil, let value = stage.arguments[name] else { return nil }
            return "\(name)=\(value)"
        }
        let createdBy = (arguments.isEmpty ? "" : "|\(arguments.count) " + arguments.joined(separator: " ") + " ")
            + argv.joined(separator: " ")
        if let hit = try await cached(stage, createdBy: createdBy, content: "") {
            stage.imageID = hit
            return
        }
        var options = ContainerCreateOptions(image: parent)
        options.cmd = argv
        options.entrypoint = []
        options.env = (stage.config.env ?? []) + arguments
        options.user = stage.config.user
        options.workingDir = stage.config.workingDir
        options.networkMode = request.networkMode.isEmpty ? "default" : request.networkMode
        let record = try await engine.create(name: nil, options)
        let id = record.id
        emit(" ---> Running in \(Self.short(id))\n")
        do {
            let exit = try await engine.wait(id, condition: .nextExit)
            _ = try await engine.start(id)
            var query = LogQuery()
            query.follow = true
            for try await entry in try await engine.logs(id, query) { emit(entry.log) }
            // A client gone mid-build cancels the build: the step's container is killed below, not waited for.
            try Task.checkCancellation()
            let code = await exit()
            guard code == 0 else {
                throw BuildFailure("The command '\(argv.joined(separator: " "))' returned a non-zero code: \(code)",
                                   code: Int(code))
            }
            let upper = try await engine.upperDirectory(of: id)
            try await commitStep(&stage, layer: upper, createdBy: createdBy, content: "")
        } catch {
            // A failed step's container goes too (unlike dockerd without --force-rm), unless --rm=false keeps them;
            // a cancelled step's always goes (it may still run).
            if request.remove || request.forceRemove || error is CancellationError { await removeIntermediate(id) }
            throw error
        }
        if request.remove {
            emit("Removing intermediate container \(Self.short(id))\n")
            await removeIntermediate(id)
        }
        if let made = stage.imageID { emit(" ---> \(Self.short(made))\n") }
    }
}
