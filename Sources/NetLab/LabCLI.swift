import Foundation
import SpliceClient

/// `splice lab COMMAND`: up, down, test, inspect, graph, exec, ls.
public enum LabCLI {
    static let usage = """
        Usage:  splice lab COMMAND

        Commands:
          up FILE                        build the lab; on a lab that is up, apply the file's differences
          down [FILE | --name NAME]      remove everything the lab made, from its state file
          test [FILE | --name NAME]      run the file's tests: one line per check, then N passed, N failed
          inspect [FILE | --name NAME] [--format table|json]
          graph FILE [--format dot|mermaid|svg] [-o OUT]
          exec [--name NAME] NODE -- COMMAND...
          ls                             labs that are up
        """

    /// Runs `arguments` (after `lab`); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        var rest = arguments
        if rest.first == "lab" { rest.removeFirst() }
        guard let command = rest.first, !["help", "--help", "-h"].contains(command) else {
            emit(usage + "\n")
            return rest.isEmpty ? 1 : 0
        }
        rest.removeFirst()
        do {
            switch command {
            case "up": return try up(rest)
            case "down": return try down(rest)
            case "test": return try test(rest)
            case "inspect": return try inspect(rest)
            case "graph": return try graph(rest)
            case "exec": return try exec(rest)
            case "ls": return list()
            default: throw LabError.usage("splice lab: unknown command '\(command)'\n\n\(usage)")
            }
        } catch let error as LabError {
            FileHandle.standardError.write(Data("splice lab: \(error)\n".utf8))
            return 1
        } catch {
            FileHandle.standardError.write(Data("splice lab: \(error)\n".utf8))
            return 1
        }
    }

    static func say(_ line: String) {
        emit(line + "\n")
    }

    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Options `--name N`, `--format F`, `-o OUT` and one positional argument.
    struct Options {
        var name: String?
        var format: String?
        var output: String?
        var positional: [String] = []
    }

    static func options(_ arguments: [String]) throws(LabError) -> Options {
        var result = Options()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--name", "--format", "-o", "-f":
                guard index + 1 < arguments.count else { throw .usage("splice lab: \(argument) needs a value") }
                let value = arguments[index + 1]
                if argument == "--name" {
                    result.name = value
                } else if argument == "-o" {
                    result.output = value
                } else {
                    result.format = value
                }
                index += 2
            default:
                if argument.hasPrefix("--format=") {
                    result.format = String(argument.dropFirst(9))
                } else if argument.hasPrefix("--name=") {
                    result.name = String(argument.dropFirst(7))
                } else if argument.hasPrefix("-") {
                    throw .usage("splice lab: unknown flag \(argument)")
                } else {
                    result.positional.append(argument)
                }
                index += 1
            }
        }
        return result
    }

    /// The lab file and its name from FILE or `--name` (whose state names the file).
    static func target(_ options: Options, needFile: Bool) throws(LabError) -> (name: String, lab: LabFile?) {
        if let file = options.positional.first {
            let lab = try LabFile.load(path: file)
            return (lab.name, lab)
        }
        guard let name = options.name ?? (LabState.all().count == 1 ? LabState.all().first : nil) else {
            throw .usage("splice lab: give the lab FILE or --name NAME")
        }
        guard needFile else { return (name, nil) }
        let state = try LabState.load(name: name)
        return (name, try LabFile.load(path: state.file))
    }

    static func up(_ arguments: [String]) throws(LabError) -> Int32 {
        let options = try options(arguments)
        guard let file = options.positional.first else { throw .usage("splice lab up: FILE is required") }
        let lab = try LabFile.load(path: file)
        let path = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        var runner = LabRunner(lab: lab, file: path, log: say)
        let start = Date()
        let result: (created: Int, removed: Int)
        do {
            result = try runner.up()
        } catch {
            if LabState.all().contains(lab.name) {
                say("lab \(lab.name): up failed; what was made is recorded: "
                    + "'splice lab down --name \(lab.name)' removes it")
            }
            throw error
        }
        let elapsed = Int(Date().timeIntervalSince(start) * 1000)
        let removed = result.removed > 0 ? ", \(result.removed) removed" : ""
        say(
            result.created == 0 && result.removed == 0
                ? "lab \(lab.name) is up; nothing to change"
                : "lab \(lab.name) is up: \(lab.hosts.count) hosts, \(lab.nodes.count) nodes, \(lab.links.count) links "
                    + "(\(result.created) objects made\(removed) in \(elapsed) ms)")
        return 0
    }

    static func down(_ arguments: [String]) throws(LabError) -> Int32 {
        let (name, _) = try target(try options(arguments), needFile: false)
        let failures = try LabTeardown.down(name: name, log: say)
        for failure in failures { FileHandle.standardError.write(Data("splice lab down: \(failure)\n".utf8)) }
        if failures.isEmpty { say("lab \(name) is down") }
        return failures.isEmpty ? 0 : 1
    }

    static func test(_ arguments: [String]) throws(LabError) -> Int32 {
        let (name, lab) = try target(try options(arguments), needFile: true)
        guard let lab else { return 1 }
        var checks = LabChecks(lab: lab, state: try LabState.load(name: name), log: say)
        let result = checks.run()
        say(
            "\(result.passed) passed, \(result.failed) failed"
                + (result.skipped > 0 ? ", \(result.skipped) skipped" : ""))
        return result.failed == 0 ? 0 : 1
    }

    static func inspect(_ arguments: [String]) throws(LabError) -> Int32 {
        let options = try options(arguments)
        let (name, _) = try target(options, needFile: false)
        let state = try LabState.load(name: name)
        switch options.format ?? "table" {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            guard let data = try? encoder.encode(state) else { return 1 }
            say(String(decoding: data, as: UTF8.self))
        case "table": emit(LabTable.inspect(state))
        case let other: throw .usage("splice lab inspect: --format must be table or json, not '\(other)'")
        }
        return 0
    }

    static func graph(_ arguments: [String]) throws(LabError) -> Int32 {
        let options = try options(arguments)
        let (name, lab) = try target(options, needFile: true)
        guard let lab else { return 1 }
        let state = try? LabState.load(name: name)
        var addresses: [String: [String: String]] = [:]
        for node in state?.nodes ?? [] { addresses[node.name] = node.addresses }
        let graph = LabGraph(lab: lab, addresses: addresses)
        let text: String
        switch options.format ?? "dot" {
        case "dot": text = graph.dot()
        case "mermaid": text = graph.mermaid()
        case "svg":
            guard Shell.has("dot") else {
                throw .kernel(feature: "svg", reason: "Graphviz 'dot' is not installed (apt-get install graphviz)")
            }
            let result = Shell.run(["dot", "-Tsvg"], input: graph.dot())
            guard result.status == 0 else {
                throw .command(CommandFailure(command: ["dot", "-Tsvg"], status: result.status, output: result.stderr))
            }
            text = result.stdout
        case let other: throw .usage("splice lab graph: --format must be dot, mermaid or svg, not '\(other)'")
        }
        if let output = options.output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw .state(path: output, cause: error)
            }
        } else {
            emit(text)
        }
        return 0
    }

    static func exec(_ arguments: [String]) throws(LabError) -> Int32 {
        guard let separator = arguments.firstIndex(of: "--") else {
            throw .usage("splice lab exec: usage: splice lab exec [--name NAME] NODE -- COMMAND...")
        }
        let options = try options(Array(arguments[..<separator]))
        let command = Array(arguments[(separator + 1)...])
        guard let node = options.positional.first, !command.isEmpty else {
            throw .usage("splice lab exec: usage: splice lab exec [--name NAME] NODE -- COMMAND...")
        }
        let names = options.name.map { [$0] } ?? LabState.all()
        for name in names {
            guard let state = try? LabState.load(name: name), let record = state.node(node),
                let host = state.host(record.host)
            else { continue }
            var flags = ["-i"]
            if isatty(0) == 1 { flags.append("-t") }
            return SpliceCLI.main(["-H", "unix://" + host.socket, "exec"] + flags + [node] + command)
        }
        throw .usage("splice lab exec: no lab has a node named '\(node)'")
    }

    static func list() -> Int32 {
        var rows = [["NAME", "HOSTS", "NODES", "FILE"]]
        for name in LabState.all() {
            guard let state = try? LabState.load(name: name) else { continue }
            rows.append([name, "\(state.hosts.count)", "\(state.nodes.count)", state.file])
        }
        emit(LabTable.render(rows))
        return 0
    }
}
