import Foundation

/// Runs the machine's tools (`nsenter`, `tc`, `nft`, `ping`, `curl`) and reports what they printed.
enum Shell {
    /// What a finished command left.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stderr, or stdout when stderr is empty.
        var message: String { stderr.isEmpty ? stdout : stderr }
    }

    /// Runs `argv` to completion (posix_spawn + waitpid), with `input` on stdin (/dev/null when nil); its
    /// output goes through unlinked temporary files, so a daemon it leaves behind cannot hold a pipe open.
    static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil) -> Result {
        let scratch = NSTemporaryDirectory() + "splice-lab-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let paths = (input: scratch + ".in", out: scratch + ".out", err: scratch + ".err")
        defer { for path in [paths.input, paths.out, paths.err] { unlink(path) } }
        FileManager.default.createFile(atPath: paths.input, contents: Data((input ?? "").utf8))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, paths.input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, paths.out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, paths.err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let program = argv[0].hasPrefix("/") ? argv : ["/usr/bin/env"] + argv
        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArguments = program.map { strdup($0) } + [nil]
        var cEnvironment = environmentList.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program[0], &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else {
            return Result(
                status: 127, stdout: "", stderr: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = FileManager.default.contents(atPath: paths.out) ?? Data()
        let err = FileManager.default.contents(atPath: paths.err) ?? Data()
        return Result(
            status: exit, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs `argv` and throws when it exits non-zero.
    @discardableResult
    static func checked(_ argv: [String], input: String? = nil) throws(LabError) -> String {
        let result = run(argv, input: input)
        guard result.status == 0 else {
            throw .command(CommandFailure(command: argv, status: result.status, output: result.message))
        }
        return result.stdout
    }

    /// `argv` run inside the network namespace at `path`.
    static func inNamespace(_ path: String, _ argv: [String]) -> [String] {
        ["/usr/bin/nsenter", "--net=\(path)"] + argv
    }

    /// Whether `tool` is on PATH.
    static func has(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}
