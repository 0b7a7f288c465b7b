import Foundation
import SystemKit

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
    /// output goes through temporary files unlinked as soon as they are open, so a daemon it leaves behind cannot
    /// hold a pipe open and a run killed midway leaves no file behind.
    static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil) -> Result {
        let stdin: FileDescriptor, stdout: FileDescriptor, stderr: FileDescriptor
        do {
            (stdin, stdout, stderr) = (try scratchFile(), try scratchFile(), try scratchFile())
            try stdin.write(Array((input ?? "").utf8))
        } catch {
            return Result(status: 127, stdout: "", stderr: "cannot run \(argv[0]): \(error)")
        }
        lseek(stdin.rawValue, 0, SEEK_SET)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.rawValue, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout.rawValue, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr.rawValue, 2)
        let program = argv[0].hasPrefix("/") ? argv : ["/usr/bin/env"] + argv
        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArguments = program.map { strdup($0) } + [nil]
        var cEnvironment = environmentList.map { strdup($0) } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        // The scratch files stay open until the child has its copies (an owned descriptor closes at its last use).
        let spawned = withExtendedLifetime((stdin, stdout, stderr)) {
            posix_spawn(&pid, program[0], &actions, nil, &cArguments, &cEnvironment)
        }
        guard spawned == 0 else {
            return Result(
                status: 127, stdout: "", stderr: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exit, stdout: output(stdout), stderr: output(stderr))
    }

    /// A new file in the temporary directory, open for reading and writing and already unlinked (close-on-exec:
    /// the child gets it only through the dup2 of its spawn).
    private static func scratchFile() throws(SystemError) -> FileDescriptor {
        let path = NSTemporaryDirectory() + "splice-lab-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let file = try FileDescriptor.open(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        unlink(path)
        return file
    }

    /// What a command wrote to the scratch file `file`, from its start.
    private static func output(_ file: FileDescriptor) -> String {
        lseek(file.rawValue, 0, SEEK_SET)
        return String(decoding: (try? file.readAll()) ?? [], as: UTF8.self)
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
