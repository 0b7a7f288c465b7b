import Foundation
import NetlinkKit
import SystemKit

/// Brings a lab up and down: namespaces and the underlay through NetlinkKit, containers through each host's
/// spliced, impairments through tc and nftables. `up` validates everything first and only creates what is
/// missing, so a second `up` changes nothing; every object is recorded in the state file before it is made.
public struct LabRunner {
    /// The validated lab.
    public let lab: LabFile
    /// Where progress lines go.
    public let log: (String) -> Void
    var state: LabState
    var created = 0
    /// How many objects this run removed (gone from the file, or made again).
    var removed = 0
    /// Whether the lab was up (had a state file) before this run: then `up` applies the file's differences.
    let wasUp: Bool
    /// Nodes this run started, whose `exec` steps run once the links exist.
    var started: [String] = []

    /// The switch namespace of lab `name`.
    static func switchNamespace(_ name: String) -> String { "sl-\(name)" }

    /// Prepares to run `lab` (already validated), reusing its state file when the lab is up.
    public init(lab: LabFile, file: String, log: @escaping (String) -> Void) {
        self.lab = lab
        self.log = log
        if var state = try? LabState.load(name: lab.name) {
            // Ports by position, as state files from before ports were recorded had them.
            for index in state.hosts.indices where state.hosts[index].port == nil {
                state.hosts[index].port = "p\(index + 1)"
            }
            state.file = file
            self.state = state
            wasUp = true
        } else {
            state = LabState(
                name: lab.name, file: file, switchNamespace: Self.switchNamespace(lab.name),
                switchAddress: lab.switchAddress?.description ?? "")
            wasUp = false
        }
    }

    /// Adds the file's hosts and store members the state lacks and records every host's definition and flags.
    mutating func mergeFile() {
        let directory = LabState.directory(of: lab.name)
        state.definition = lab.labDefinition
        for host in lab.hosts where state.host(host.name) == nil {
            let ports = Set(state.hosts.compactMap(\.port))
            let port = (1...).lazy.map { "p\($0)" }.first { !ports.contains($0) } ?? "p\(state.hosts.count + 1)"
            state.hosts.append(
                LabState.Host(
                    name: host.name, namespace: "sl-\(lab.name)-\(host.name)",
                    uplink: host.uplinkAddress?.description ?? "", engine: host.engine,
                    directory: directory + "/hosts/" + host.name, port: port))
        }
        for index in state.hosts.indices {
            guard let spec = lab.host(state.hosts[index].name) else { continue }
            state.hosts[index].clusterStore = spec.clusterStore
            state.hosts[index].leaseTTL = spec.clusterStore == nil ? nil : lab.store?.leaseTTL
            state.hosts[index].definition = lab.definition(of: spec)
        }
        if let store = lab.store {
            var members = state.store ?? []
            for (index, address) in store.addresses.enumerated() {
                let name = StoreSpec.memberName(index)
                guard !members.contains(where: { $0.name == name }) else { continue }
                members.append(
                    LabState.StoreMember(
                        name: name, namespace: "sl-\(lab.name)-\(name)", address: address.description,
                        directory: directory + "/store/" + name))
            }
            state.store = members
        }
    }

    /// Refuses what cannot be built here before anything is created: netem, tools.
    public func preflight() throws(LabError) {
        if let link = lab.links.first(where: { $0.delay != nil || $0.jitter != nil }) {
            let what = link.delay != nil ? "delay" : "jitter"
            throw .kernel(feature: "link \(link.name) (line \(link.line)): \(what)", reason: Self.netemProbe())
        }
        var tools = ["nsenter", "setsid", "ip"]
        if lab.links.contains(where: { $0.rate != nil }) { tools.append("tc") }
        if lab.links.contains(where: { $0.loss != nil }) { tools.append("nft") }
        for tool in tools where !Shell.has(tool) {
            throw .kernel(feature: tool, reason: "'\(tool)' is not installed (scripts/setup.sh installs it)")
        }
        if lab.images.contains(where: { $0.source == .busybox }),
            !FileManager.default.fileExists(atPath: "/bin/busybox")
        {
            throw .kernel(feature: "image busybox", reason: "/bin/busybox is missing (apt-get install busybox-static)")
        }
        if lab.store != nil {
            guard FileManager.default.isExecutableFile(atPath: StoreProcess.binary) else {
                throw .kernel(
                    feature: "store", reason: "\(StoreProcess.binary) is missing (apt-get install etcd-server)")
            }
            guard Shell.has("curl") else {
                throw .kernel(feature: "store", reason: "'curl' is not installed (scripts/setup.sh installs it)")
            }
        }
        if lab.hosts.contains(where: \.engine), HostEngine.splicedBinary == "spliced", !Shell.has("spliced") {
            throw .kernel(feature: "spliced", reason: "no spliced beside splice-lab, on PATH or in $SPLICED_BIN")
        }
    }

    /// What the kernel answers to a netem qdisc, tried on `lo` of a scratch namespace.
    static func netemProbe() -> String {
        let probe = "sl-probe-\(getpid())"
        defer { _ = Shell.run(["ip", "netns", "delete", probe]) }
        guard Shell.run(["ip", "netns", "add", probe]).status == 0 else { return "cannot create a probe namespace" }
        let result = Shell.run(
            Shell.inNamespace(
                "/run/netns/\(probe)",
                ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"]))
        if result.status == 0 { return "netem works on this kernel, but splice lab does not apply delay yet" }
        let reason = result.message.trimmingCharacters(in: .whitespacesAndNewlines)
        return "this kernel has no netem (CONFIG_NET_SCH_NETEM): tc says \"\(reason)\""
    }

    /// Applies the file: on a lab that is up, removes what left the file and what changed (printing one line
    /// per object), then builds whatever is missing; returns how many objects were created and removed.
    public mutating func up() throws(LabError) -> (created: Int, removed: Int) {
        try preflight()
        let changes = try LabChanges(state: state, lab: lab)
        if wasUp {
            for line in changes.lines { log("  " + line) }
        }
        if !changes.removesNothing {
            try ensureStore()
            try applyRemovals(changes)
        }
        mergeFile()
        try state.save()
        try ensureUnderlay()
        try ensureStore()
        try ensureEngines()
        try ensureNetworks()
        try ensureNodes()
        try ensureLinks()
        try runNodeExec()
        try runHostExec()
        try state.save()
        return (created, removed)
    }

    // MARK: underlay

    mutating func ensureUnderlay() throws(LabError) {
        let switchName = state.switchNamespace
        let mtu = lab.underlay.mtu
        let fresh = !FileManager.default.fileExists(atPath: "/run/netns/\(switchName)")
        let switchNS = try namespace(switchName)
        do {
            let sock = try NetlinkSocket.open(in: switchNS)
            if fresh {
                created += 1
                try sock.setLink(named: "lo", LinkChange(up: true))
            }
            if try sock.link(named: "sw0") == nil {
                try sock.addLink(NetlinkKit.LinkSpec(name: "sw0", kind: .bridge, mtu: mtu, up: true))
                // On a routed underlay the switch joins the store's segment only; the router holds its address.
                if !lab.isRoutedUnderlay, let address = lab.switchAddress, let bridge = try sock.link(named: "sw0") {
                    try sock.addAddress(address, to: bridge.index, name: "sw0")
                }
                created += 1
            }
            guard let bridge = try sock.link(named: "sw0") else { return }
            let router = lab.isRoutedUnderlay ? try ensureRouter(switchSocket: sock, bridge: bridge.index) : nil
            if lab.hosts.count > 8 { log("underlay: \(lab.hosts.count) hosts") }
            for (index, host) in state.hosts.enumerated() {
                let port = host.port ?? "p\(index + 1)"
                let uplink = IPNetwork(host.uplink)
                guard let (hostSock, eth0) = try plug(host.namespace, into: router ?? sock,
                                                      bridge: router == nil ? bridge.index : nil, port: port,
                                                      address: uplink)
                else { continue }
                var gateway = lab.switchAddress?.address
                if let router, let uplink, let routerSide = LabFile.routerAddress(forUplink: uplink) {
                    // The host's own segment: the router's end of the veth holds the segment's first address.
                    guard let link = try router.link(named: port) else {
                        throw LabError.state(path: port, cause: POSIXError(.ENODEV))
                    }
                    try router.addAddress(routerSide, to: link.index, name: port)
                    gateway = routerSide.address
                }
                if uplink != nil, let gateway {
                    try hostSock.addRoute(RouteSpec(gateway: gateway, device: eth0))
                }
                if let spec = lab.host(host.name) {
                    for name in spec.bridges where try hostSock.link(named: name) == nil {
                        try hostSock.addLink(NetlinkKit.LinkSpec(name: name, kind: .bridge, up: true))
                    }
                }
                created += 1
            }
        } catch let error as NetlinkError {
            throw .netlink(error)
        } catch let error as LabError {
            throw error
        } catch {
            throw .state(path: switchName, cause: error)
        }
    }

    /// Plugs namespace `name` (made when missing) into the switch (or the router, with no `bridge`): port `port`
    /// on `bridge`, its end `eth0` in the namespace, up, with `address`, and `lo` up. Returns the namespace's
    /// socket and `eth0`'s index, or nil when the port was there already.
    mutating func plug(_ name: String, into sock: NetlinkSocket, bridge: InterfaceIndex?, port: String,
                       address: IPNetwork?)
        throws -> (NetlinkSocket, InterfaceIndex)?
    {
        let mtu = lab.underlay.mtu
        let fresh = !FileManager.default.fileExists(atPath: "/run/netns/\(name)")
        let target = try namespace(name)
        if fresh { created += 1 }
        if try sock.link(named: port) != nil { return nil }
        try sock.addLink(NetlinkKit.LinkSpec(name: port, kind: .veth(peer: VethPeer(name: "eth0", namespace: target,
                                                                                      mtu: mtu)),
                                             mtu: mtu, master: bridge, up: true))
        let inside = try NetlinkSocket.open(in: target)
        try inside.setLink(named: "lo", LinkChange(up: true))
        try inside.setLink(named: "eth0", LinkChange(up: true))
        guard let eth0 = try inside.link(named: "eth0") else {
            throw LabError.state(path: name, cause: POSIXError(.ENODEV))
        }
        if let address { try inside.addAddress(address, to: eth0.index, name: "eth0") }
        return (inside, eth0.index)
    }

    /// Opens the named namespace, creating it when missing.
    func namespace(_ name: String) throws(LabError) -> NetworkNamespace {
        do {
            if FileManager.default.fileExists(atPath: "/run/netns/\(name)") {
                return try NetworkNamespace.open(named: name)
            }
            return try NetworkNamespace.create(named: name)
        } catch {
            throw .system(error)
        }
    }

    // MARK: engines and images

    mutating func ensureEngines() throws(LabError) {
        let engines = state.hosts.indices.filter { state.hosts[$0].engine }
        guard !engines.isEmpty else { return }
        var tars: [String: String] = [:]
        for image in lab.images {
            switch image.source {
            case .tar(let path): tars[image.name] = lab.resolve(path)
            case .busybox: tars[image.name] = try busyboxTar()
            }
        }
        var stopped: [Int] = []
        for index in engines {
            var engine = HostEngine(host: state.hosts[index])
            engine.adoptPidFile()
            state.hosts[index].pid = engine.host.pid
            engine.awaitAnswer()
            if !engine.isAlive {
                log("host \(engine.host.name): starting spliced")
                stopped.append(index)
            }
        }
        // The hosts work at once, each starting its spliced if it must, then importing the images it lacks. Every
        // PID started is recorded before a failure is reported.
        let images = lab.images.map(\.name)
        let imageTars = tars
        let outcomes = Concurrently.map(engines.map { (stopped.contains($0), HostEngine(host: state.hosts[$0])) }) {
            start, engine -> (pid: Int32?, imported: Int, failure: LabError?) in
            var pid: Int32?
            var imported = 0
            do throws(LabError) {
                if start { pid = try engine.start() }
                for image in images where engine.splice(["images", "-q", image]).stdout.isEmpty {
                    guard let tar = imageTars[image] else { continue }
                    try engine.checked(["import", tar, image], step: "import \(image)")
                    imported += 1
                }
            } catch {
                return (pid, imported, error)
            }
            return (pid, imported, nil)
        }
        var failure: LabError?
        for (index, outcome) in zip(engines, outcomes) {
            if let pid = outcome.pid {
                state.hosts[index].pid = pid
                created += 1
            }
            created += outcome.imported
            failure = failure ?? outcome.failure
        }
        try state.save()
        if let failure { throw failure }
    }

    /// A root file system tar of the machine's busybox-static with a link per applet, made once per lab.
    func busyboxTar() throws(LabError) -> String {
        let directory = LabState.directory(of: lab.name)
        let tar = directory + "/busybox.tar"
        if FileManager.default.fileExists(atPath: tar) { return tar }
        let rootfs = directory + "/busybox-rootfs"
        try Shell.checked(["/bin/sh", "-c", """
            set -e; rm -rf '\(rootfs)'; mkdir -p '\(rootfs)'; cd '\(rootfs)'
            mkdir -p bin tmp etc proc sys dev www; cp /bin/busybox bin/busybox
            echo 'hello from splice lab' > www/index.html
            """])
        // The applet links are made here, not by one `ln` process each (some 400 of them).
        for applet in try Shell.checked(["/bin/busybox", "--list"]).split(separator: "\n") where applet != "busybox" {
            guard symlink("busybox", rootfs + "/bin/" + applet) == 0 else {
                throw .command(CommandFailure(command: ["ln", "-s", "busybox", rootfs + "/bin/" + applet],
                                              status: errno, output: String(cString: strerror(errno))))
            }
        }
        try Shell.checked(["/bin/sh", "-c", """
            set -e; cd '\(rootfs)'; tar -cf '\(tar).tmp' . && mv '\(tar).tmp' '\(tar)'; cd /; rm -rf '\(rootfs)'
            """])
        return tar
    }

    // MARK: networks and nodes

    mutating func ensureNetworks() throws(LabError) {
        for network in lab.networks {
            let hosts = lab.nodes.filter { node in node.networks.contains { $0.network == network.name } }.map(\.host)
            let unique = state.hosts.map(\.name).filter { hosts.contains($0) }
            guard let subnet = network.subnet else { continue }
            if let index = state.networks.firstIndex(where: { $0.name == network.name }) {
                state.networks[index].hosts = unique
                state.networks[index].definition = lab.definition(of: network)
            } else {
                state.networks.append(
                    LabState.Network(
                        name: network.name, subnet: subnet.description, hosts: unique,
                        definition: lab.definition(of: network)))
            }
            if network.isGlobal {
                try ensureGlobal(network, subnet: subnet, hosts: unique)
                continue
            }
            if network.driver == "macvlan", let index = state.networks.firstIndex(where: { $0.name == network.name }) {
                state.networks[index].parts = network.ranges.mapValues(\.description)
            }
            for name in unique {
                guard let host = state.host(name) else { continue }
                let engine = HostEngine(host: host)
                if engine.splice(["network", "inspect", network.name]).status == 0 { continue }
                var arguments = ["network", "create", "--subnet", subnet.description]
                if network.driver == "macvlan" {
                    // Each host's spliced hands out addresses alone: its own slice of the subnet keeps them apart.
                    arguments += ["-d", "macvlan", "-o", "parent=\(network.parent ?? "eth0")"]
                    if let range = network.ranges[name] { arguments += ["--ip-range", range.description] }
                    if let gateway = network.gateway { arguments += ["--gateway", gateway.description] }
                }
                if network.isInternal { arguments.append("--internal") }
                if let mtu = network.mtu { arguments += ["-o", "com.docker.network.driver.mtu=\(mtu)"] }
                try engine.checked(arguments + [network.name], step: "network create \(network.name)")
                created += 1
            }
        }
        try state.save()
    }

    /// Nodes in an order where every node comes after those it waits for or shares a namespace with.
    func nodeOrder() -> [NodeSpec] {
        var done = Set<String>()
        var order: [NodeSpec] = []
        func visit(_ node: NodeSpec, depth: Int) {
            guard !done.contains(node.name), depth < lab.nodes.count + 1 else { return }
            for name in Self.needs(of: node) { if let other = lab.node(name) { visit(other, depth: depth + 1) } }
            if done.insert(node.name).inserted { order.append(node) }
        }
        for node in lab.nodes { visit(node, depth: 0) }
        return order
    }

    mutating func ensureNodes() throws(LabError) {
        let order = nodeOrder()
        // Every node is recorded before any is made, so `down` finds it whatever happens next.
        for node in order {
            if let index = state.nodes.firstIndex(where: { $0.name == node.name }) {
                state.nodes[index].definition = lab.definition(of: node)
            } else {
                state.nodes.append(
                    LabState.Node(
                        name: node.name, host: node.host, image: node.image, definition: lab.definition(of: node)))
            }
        }
        try state.save()
        // Waves: a node comes in the wave after the last of those it waits for or shares a namespace with. In a
        // wave the hosts work at once, each through its nodes in file order.
        var depth: [String: Int] = [:]
        for node in order {
            depth[node.name] = Self.needs(of: node).compactMap { depth[$0] }.max().map { $0 + 1 } ?? 0
        }
        let hosts = Dictionary(state.hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let lab = lab
        for wave in 0...(depth.values.max() ?? 0) {
            let nodes = order.filter { depth[$0.name] == wave && hosts[$0.host] != nil }
            let groups = state.hosts.map { host in (host, nodes.filter { $0.host == host.name }) }
                .filter { !$0.1.isEmpty }
            let outcomes = Concurrently.map(groups) { group -> ([NodeOutcome], LabError?) in
                var done: [NodeOutcome] = []
                for node in group.1 {
                    do throws(LabError) {
                        done.append(try Self.bringUp(node, on: HostEngine(host: group.0), lab: lab, hosts: hosts))
                    } catch {
                        return (done, error)
                    }
                }
                return (done, nil)
            }
            var failure: LabError?
            for (done, error) in outcomes {
                for outcome in done { record(outcome) }
                failure = failure ?? error
            }
            if let failure {
                try? state.save()
                throw failure
            }
        }
        try state.save()
    }

    /// The nodes `node` waits for or shares a namespace with.
    static func needs(of node: NodeSpec) -> [String] {
        var needs = node.waitFor
        if let mode = node.networkMode, mode.hasPrefix("container:") { needs.append(String(mode.dropFirst(10))) }
        return needs
    }

    /// What bringing a node up did and saw.
    struct NodeOutcome: Sendable {
        var name: String
        /// Whether this run created or started it.
        var started: Bool
        /// Network name to address and to MAC, as its host's spliced reports them.
        var addresses: [String: String] = [:]
        var macs: [String: String] = [:]
        var pid: Int32 = 0
    }

    /// Creates `node` on its host, or starts it when it exists stopped; checks that the nodes it waits for run;
    /// reads its addresses.
    static func bringUp(_ node: NodeSpec, on engine: HostEngine, lab: LabFile, hosts: [String: LabState.Host])
        throws(LabError) -> NodeOutcome
    {
        var outcome = NodeOutcome(name: node.name, started: false)
        if engine.pid(of: node.name) == nil {
            if engine.inspect(node.name) != nil {
                try engine.checked(["start", node.name], step: "start \(node.name)")
            } else {
                try createNode(node, engine, lab: lab)
            }
            outcome.started = true
        }
        for other in node.waitFor {
            guard let spec = lab.node(other), let otherHost = hosts[spec.host] else { continue }
            guard HostEngine(host: otherHost).pid(of: other) != nil else {
                throw .engine(
                    host: node.host, step: "node \(node.name) waits for \(other)", status: 1,
                    output: "\(other) is not running")
            }
        }
        guard let inspect = engine.inspect(node.name) else { return outcome }
        let settings = inspect["NetworkSettings"] as? [String: Any] ?? [:]
        for (name, value) in settings["Networks"] as? [String: Any] ?? [:] {
            guard let endpoint = value as? [String: Any] else { continue }
            if let address = endpoint["IPAddress"] as? String, !address.isEmpty { outcome.addresses[name] = address }
            if let mac = endpoint["MacAddress"] as? String, !mac.isEmpty { outcome.macs[name] = mac }
        }
        outcome.pid = HostEngine.runningPid(in: inspect) ?? 0
        return outcome
    }

    /// Records what bringing a node up did and saw.
    mutating func record(_ outcome: NodeOutcome) {
        if outcome.started {
            created += 1
            started.append(outcome.name)
        }
        guard let index = state.nodes.firstIndex(where: { $0.name == outcome.name }) else { return }
        for (network, address) in outcome.addresses { state.nodes[index].addresses[network] = address }
        for (network, mac) in outcome.macs { state.nodes[index].macs[network] = mac }
        state.nodes[index].pid = outcome.pid
    }

    static func createNode(_ node: NodeSpec, _ engine: HostEngine, lab: LabFile) throws(LabError) {
        var arguments = ["run", "-d", "--name", node.name]
        if node.networkMode == nil || node.networkMode == "none" { arguments += ["--hostname", node.name] }
        if let mode = node.networkMode {
            arguments += ["--network", mode]
        } else if let first = node.networks.first {
            arguments += ["--network", first.network]
            if let address = first.address { arguments += ["--ip", address.description] }
            for alias in first.aliases { arguments += ["--network-alias", alias] }
        } else {
            arguments += ["--network", "none"]
        }
        for port in node.ports { arguments += ["-p", port] }
        for variable in node.env { arguments += ["-e", variable] }
        for capability in node.capAdd { arguments += ["--cap-add", capability] }
        for bind in node.binds {
            guard !bind.hasPrefix("/") else {
                arguments += ["-v", bind]
                continue
            }
            let directory = lab.directory.hasPrefix("/")
                ? lab.directory : FileManager.default.currentDirectoryPath + "/" + lab.directory
            arguments += ["-v", directory + "/" + bind]
        }
        for (key, value) in node.labels.sorted(by: { $0.key < $1.key }) { arguments += ["--label", key + "=" + value] }
        if let user = node.user { arguments += ["--user", user] }
        if let entrypoint = node.entrypoint { arguments += ["--entrypoint", entrypoint] }
        arguments.append(node.image)
        arguments += node.cmd.isEmpty ? ["sleep", "1000000"] : node.cmd
        try engine.checked(arguments, step: "run \(node.name)")
        for attachment in node.networks.dropFirst() {
            var connect = ["network", "connect"]
            if let address = attachment.address { connect += ["--ip", address.description] }
            for alias in attachment.aliases { connect += ["--alias", alias] }
            try engine.checked(connect + [attachment.network, node.name], step: "network connect \(node.name)")
        }
    }

    // MARK: exec steps

    func runNodeExec() throws(LabError) {
        for name in started {
            guard let node = lab.node(name), let host = state.host(node.host) else { continue }
            let engine = HostEngine(host: host)
            for command in node.exec {
                try engine.checked(["exec", node.name, "sh", "-c", command], step: "exec in \(node.name): \(command)")
            }
        }
    }

    mutating func runHostExec() throws(LabError) {
        for (index, host) in state.hosts.enumerated() where !host.execDone {
            guard let spec = lab.host(host.name) else { continue }
            for command in spec.exec {
                let result = Self.hostShell(host, command)
                guard result.status == 0 else {
                    throw .command(
                        CommandFailure(
                            command: ["host \(host.name):", command], status: result.status,
                            output: result.message))
                }
            }
            state.hosts[index].execDone = true
            if !spec.exec.isEmpty { created += 1 }
        }
        try state.save()
    }

    /// Runs a shell command in a host's namespace, with `SPLICE_HOST` set to its spliced and the tools
    /// shipped beside splice-lab (pipework) first on PATH.
    static func hostShell(_ host: LabState.Host, _ command: String) -> Shell.Result {
        var environment = ProcessInfo.processInfo.environment
        let here = (Bundle.main.executablePath.map { ($0 as NSString).deletingLastPathComponent }) ?? "."
        let daemonDirectory = (HostEngine.splicedBinary as NSString).deletingLastPathComponent
        environment["PATH"] =
            [here, daemonDirectory].filter { !$0.isEmpty }.joined(separator: ":") + ":"
            + (environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
        if host.engine { environment["SPLICE_HOST"] = "unix://" + host.socket }
        return Shell.run(
            Shell.inNamespace("/run/netns/\(host.namespace)", ["/bin/sh", "-c", command]),
            environment: environment)
    }
}
