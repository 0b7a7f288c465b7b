import Glibc
import SpliceDaemon

/// `spliced`: the Splice daemon, serving the Docker Engine API. Takes dockerd's 1.x flags (`DaemonOptions.parse`),
/// parsed by hand because Docker's booleans are written `--icc=false`.
@main
struct Spliced {
    static func main() async {
        let options: DaemonOptions
        do {
            options = try DaemonOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch where error == .help {
            print(DaemonOptions.usage)
            exit(0)
        } catch {
            Daemon.writeStandardError("spliced: \(error)\nSee 'spliced --help'.\n")
            exit(2)
        }
        for warning in options.warnings { Daemon.printWarning(warning) }
        do {
            let daemon = try await Daemon.start(options)
            try await daemon.runUntilSignalled()
        } catch {
            Daemon.writeStandardError("spliced: \(error)\n")
            exit(1)
        }
    }
}
