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

    /// Runs `argv` to completion, with `input` on stdin (empty when nil).
    static func run(_ argv: [String], input: String? = nil, environment: [String: String]? = nil) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        do {
            try process.run()
        } catch {
            return Result(status: 127, stdout: "", stderr: "cannot run \(argv[0]): \(error.localizedDescription)")
        }
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes on other threads so neither fills while the other is read.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
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
