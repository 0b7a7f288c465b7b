import ArgumentParser
import SpliceDaemon

/// `spliced`: the Splice daemon, serving the Docker Engine API.
@main
struct Spliced: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spliced",
                                                    abstract: "The Splice daemon: the Docker Engine API on a socket.")

    @Option(name: [.customShort("H"), .customLong("host")], help: "Socket to listen on (unix:///path or tcp://host:port).")
    var host: [String] = []

    @Option(name: [.customShort("g"), .customLong("graph")], help: "Root of the daemon's state.")
    var graph: String = "/var/lib/splice"

    @Option(name: [.customShort("b"), .customLong("bridge")], help: "Bridge device of the default network.")
    var bridge: String?

    @Option(name: .customLong("bip"), help: "Address/prefix of the default bridge.")
    var bip: String = "172.18.0.1/16"

    @Option(name: .customLong("iptables"), help: "Install nftables rules (true/false).")
    var iptables: Bool = true

    @Option(name: [.customShort("p"), .customLong("pidfile")], help: "Write the daemon's pid here.")
    var pidfile: String?

    @Flag(name: [.customShort("D"), .customLong("debug")], help: "Debug output.")
    var debug = false

    func run() async throws {
        var options = DaemonOptions()
        for value in host { try options.setHost(value) }
        options.graph = graph
        options.bridge = bridge
        options.bridgeAddress = bip
        options.firewall = iptables
        options.pidFile = pidfile
        options.debug = debug
        let daemon = try await Daemon.start(options)
        if debug { print("spliced: listening on unix://\(options.socketPath), graph \(graph)") }
        try await daemon.runUntilSignalled()
    }
}
