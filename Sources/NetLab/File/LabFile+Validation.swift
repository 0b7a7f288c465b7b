import Foundation
import SystemKit

extension LabFile {
    /// The default underlay pool.
    static let defaultUnderlay = "10.99.0.0/16"
    /// Where networks without a subnet take a /24 from.
    static let networkPool = "172.30.0.0/16"

    /// Checks every name, reference and address, and fills in what the file leaves to pools: uplink addresses
    /// and network subnets. Nothing is created; a failure names the line.
    public mutating func validate() throws(LabError) {
        try Self.checkName(name, what: "lab name", line: 0, maxLength: 24)
        var seen = Set<String>()
        for image in images where !seen.insert("image:" + image.name).inserted {
            throw .invalid(line: image.line, message: "image '\(image.name)' is declared twice")
        }
        for image in images {
            if case .tar(let path) = image.source, !FileManager.default.fileExists(atPath: resolve(path)) {
                throw .invalid(line: image.line, message: "image '\(image.name)': no tar file at \(resolve(path))")
            }
        }
        for host in hosts {
            try Self.checkName(host.name, what: "host name", line: host.line, maxLength: 24)
            for bridge in host.bridges {
                if let problem = InterfaceName.problem(with: bridge) {
                    throw .invalid(line: host.line, message: "host '\(host.name)': bridge '\(bridge)': \(problem)")
                }
            }
        }
        for node in nodes {
            try Self.checkName(node.name, what: "node name", line: node.line, maxLength: 48)
            if (try? /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.wholeMatch(in: node.name)) == nil {
                throw .invalid(
                    line: node.line,
                    message: "node '\(node.name)': Invalid container name (\(node.name)), "
                        + "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed (at least two characters)")
            }
            if host(node.name) != nil {
                throw .invalid(line: node.line, message: "'\(node.name)' names both a host and a node")
            }
        }
        try Self.checkUnique(hosts.map { ($0.name, $0.line) }, what: "host")
        try Self.checkUnique(nodes.map { ($0.name, $0.line) }, what: "node")
        try Self.checkUnique(networks.map { ($0.name, $0.line) }, what: "network")
        try resolveUnderlay()
        try resolveStore()
        try resolveNetworks()
        try checkRoutedUnderlayNetworks()
        try validateNodes()
        try resolveMacvlan()
        try validateLinks()
        try validateChecks()
    }

    /// `path` against the file's directory.
    func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + "/" + path }

    static func checkName(_ name: String, what: String, line: Int, maxLength: Int) throws(LabError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
        guard !name.isEmpty, allowed, name.first != "-", name.utf8.count <= maxLength else {
            throw .invalid(
                line: line, message: "\(what) '\(name)' must be 1 to \(maxLength) letters, digits, '-' or '_'")
        }
    }

    static func checkUnique(_ names: [(String, Int)], what: String) throws(LabError) {
        var seen = Set<String>()
        for (name, line) in names where !seen.insert(name).inserted {
            throw .invalid(line: line, message: "\(what) '\(name)' is declared twice")
        }
    }

    mutating func resolveUnderlay() throws(LabError) {
        guard ["switch", "routed"].contains(underlay.kind) else {
            throw .invalid(
                line: underlay.line, message: "underlay kind must be switch or routed, not '\(underlay.kind)'")
        }
        let pool = underlay.subnet ?? IPNetwork(Self.defaultUnderlay)
        guard let pool, let first = pool.ipv4First, let last = pool.ipv4Last, pool.prefixLength <= 30 else {
            throw .invalid(line: underlay.line, message: "the underlay subnet must be an IPv4 network of /30 or larger")
        }
        underlay.subnet = pool.aligned
        if isRoutedUnderlay {
            try resolveRoutedUnderlay(pool: pool.aligned)
            return
        }
        var taken = Set<UInt32>([last - 1])
        if var store {
            // The store's members sit just below the switch, so adding a host never moves them.
            let members = UInt32(clamping: max(store.members, 0))
            guard last - first > members + 2 else {
                throw .invalid(
                    line: store.line, message: "the underlay subnet \(pool.aligned) has no room for the store")
            }
            store.addresses = (0..<members).compactMap { index in
                taken.insert(last - 2 - index)
                return IPNetwork(
                    address: .v4(IPv4Address(value: last - 2 - index)), prefixLength: Int(pool.prefixLength))
            }
            self.store = store
        }
        for host in hosts {
            guard let given = host.uplinkAddress else { continue }
            guard case .v4(let address) = given.address, pool.contains(given.address),
                given.prefixLength == pool.prefixLength
            else {
                throw .invalid(
                    line: host.line,
                    message: "host '\(host.name)': uplink-ip \(given) is outside the underlay "
                        + "subnet \(pool.aligned)")
            }
            guard address.value != first, address.value != last, taken.insert(address.value).inserted else {
                throw .invalid(line: host.line, message: "host '\(host.name)': uplink-ip \(given) is taken or reserved")
            }
        }
        var next = first + 1
        for index in hosts.indices where hosts[index].uplinkAddress == nil {
            while taken.contains(next) { next += 1 }
            guard next < last - 1 else {
                throw .invalid(
                    line: hosts[index].line,
                    message: "the underlay subnet \(pool.aligned) has no address left "
                        + "for host '\(hosts[index].name)'")
            }
            taken.insert(next)
            hosts[index].uplinkAddress = IPNetwork(
                address: .v4(IPv4Address(value: next)),
                prefixLength: Int(pool.prefixLength))
        }
    }

    /// Checks the store and gives every host with an engine its cluster store: the lab's etcd unless the host
    /// says `none` or names another; overlay networks need one on every host with a node on them.
    mutating func resolveStore() throws(LabError) {
        if let store {
            guard store.kind == "etcd" else {
                throw .invalid(line: store.line, message: "store kind must be etcd, not '\(store.kind)'")
            }
            guard store.members == 1 || store.members == 3 else {
                throw .invalid(
                    line: store.line,
                    message: "store members must be 1, or 3 (survives one loss), not \(store.members)")
            }
            if let ttl = store.leaseTTL, !(2...3600).contains(ttl) {
                throw .invalid(line: store.line, message: "store lease-ttl must be 2 to 3600 seconds, not \(ttl)")
            }
        }
        for index in hosts.indices {
            let host = hosts[index]
            switch host.clusterStore {
            case nil:
                hosts[index].clusterStore = host.engine ? store?.url : nil
            case "none":
                hosts[index].clusterStore = nil
            case "etcd":
                guard let store else {
                    throw .invalid(
                        line: host.line,
                        message: "host '\(host.name)': cluster-store etcd names the lab's store, "
                            + "but the lab has none (add store: {kind: etcd})")
                }
                hosts[index].clusterStore = store.url
            case let url?:
                guard url.hasPrefix("etcd://"), url.count > "etcd://".count else {
                    throw .invalid(
                        line: host.line,
                        message: "host '\(host.name)': cluster-store must be etcd (the lab's), none, "
                            + "or etcd://HOST:PORT, not '\(url)'")
                }
            }
            if hosts[index].clusterStore != nil, !host.engine {
                throw .invalid(
                    line: host.line, message: "host '\(host.name)': cluster-store needs an engine, not engine: none")
            }
        }
        for network in networks where network.isGlobal {
            if network.driver == "routed", store == nil, !hosts.contains(where: { $0.clusterStore != nil }) {
                throw .invalid(
                    line: network.line,
                    message: "network '\(network.name)': the routed driver needs a cluster store (each host leases "
                        + "its part of the subnet from it); add store: {kind: etcd} to the lab")
            }
            var storeOf: (host: String, url: String)?
            for node in nodes where node.networks.contains(where: { $0.network == network.name }) {
                guard let host = host(node.host), host.engine else { continue }
                guard let url = host.clusterStore else {
                    throw .invalid(
                        line: network.line,
                        message: "network '\(network.name)': the \(network.driver) driver needs a cluster store on "
                            + "host '\(host.name)' (node '\(node.name)'); add store: {kind: etcd} to the lab")
                }
                if let first = storeOf, first.url != url {
                    throw .invalid(
                        line: network.line,
                        message: "network '\(network.name)': hosts '\(first.host)' and '\(host.name)' use different "
                            + "cluster stores (\(first.url), \(url)); a \(network.driver) network lives in one")
                }
                storeOf = storeOf ?? (host.name, url)
            }
        }
    }

    /// The switch's own address on the underlay (the last usable one); on a routed underlay, the router's on the
    /// store's segment.
    var switchAddress: IPNetwork? {
        guard let pool = underlay.subnet, let last = pool.ipv4Last else { return nil }
        let prefix = isRoutedUnderlay ? Self.storeSegmentPrefix : Int(pool.prefixLength)
        return IPNetwork(address: .v4(IPv4Address(value: last - 1)), prefixLength: prefix)
    }

    mutating func resolveNetworks() throws(LabError) {
        for network in networks {
            guard ["bridge", "macvlan", "overlay", "routed"].contains(network.driver) else {
                throw .invalid(
                    line: network.line,
                    message: "network '\(network.name)': driver must be bridge, macvlan, "
                        + "overlay or routed, not '\(network.driver)'")
            }
            if let subnet = network.subnet {
                guard subnet.ipv4Address != nil, subnet.isAligned, subnet.prefixLength <= 30 else {
                    throw .invalid(
                        line: network.line,
                        message: "network '\(network.name)': subnet \(subnet) must be an "
                            + "aligned IPv4 network of /30 or larger (such as \(subnet.aligned))")
                }
            }
            if let mtu = network.mtu, mtu < 68 {
                throw .invalid(line: network.line, message: "network '\(network.name)': mtu \(mtu) is below 68")
            }
            try checkDriverOptions(network)
        }
        for (index, network) in networks.enumerated() {
            // Overlay networks are kept apart by the driver (VNI, and a bridge without a host address where they
            // overlap on a host): two tenants' overlays may share a subnet.
            for other in networks[..<index] where network.driver != "overlay" || other.driver != "overlay" {
                if let mine = network.subnet, let theirs = other.subnet, mine.overlaps(theirs) {
                    throw .invalid(
                        line: network.line,
                        message: "network '\(network.name)': subnet \(mine) overlaps "
                            + "network '\(other.name)' (\(theirs))")
                }
            }
        }
        guard let pool = IPNetwork(Self.networkPool), let base = pool.ipv4First else { return }
        var third: UInt32 = 1
        for index in networks.indices where networks[index].subnet == nil {
            // A routed network takes a block with one per-host subnet for every host on the store (two at least).
            let prefix = networks[index].driver == "routed" ? routedPoolPrefix(networks[index]) : 24
            let step = UInt32(1) << UInt32(24 - prefix)
            third = (third + step - 1) / step * step
            while true {
                guard third + step <= 256,
                    let candidate = IPNetwork(address: .v4(IPv4Address(value: base + third << 8)), prefixLength: prefix)
                else {
                    throw .invalid(
                        line: networks[index].line,
                        message: "no free /\(prefix) left in \(pool) for network "
                            + "'\(networks[index].name)'")
                }
                third += step
                if !networks.contains(where: { $0.subnet?.overlaps(candidate) ?? false }) {
                    networks[index].subnet = candidate
                    break
                }
            }
        }
        for network in networks where network.driver == "routed" { try checkRoutedSize(network) }
    }

    /// Options that belong to one driver only, and what a driver cannot take.
    func checkDriverOptions(_ network: NetworkSpec) throws(LabError) {
        let name = "network '\(network.name)'"
        if network.parent != nil, network.driver != "macvlan" {
            throw .invalid(line: network.line, message: "\(name): parent is for macvlan networks")
        }
        if network.hostPrefix != nil, network.driver != "routed" {
            throw .invalid(line: network.line, message: "\(name): host-prefix is for routed networks")
        }
        switch network.driver {
        case "routed":
            if network.mtu != nil {
                throw .invalid(
                    line: network.line,
                    message: "\(name): a routed network takes the underlay's MTU (nothing is encapsulated); "
                        + "set the underlay's mtu instead")
            }
            if let prefix = network.hostPrefix, !(8...30).contains(prefix) {
                throw .invalid(line: network.line, message: "\(name): host-prefix must be 8 to 30, not \(prefix)")
            }
        case "macvlan":
            if network.isInternal {
                throw .invalid(
                    line: network.line,
                    message: "\(name): a macvlan network cannot be internal (its children are on the parent's LAN)")
            }
        default: break
        }
    }

    /// How many hosts lease a part of every routed network: those with a cluster store (two at least).
    var routedHostCount: Int { max(2, hosts.filter { $0.clusterStore != nil }.count) }

    /// The prefix of a pool block for routed network `network`: room for a per-host subnet per store host.
    func routedPoolPrefix(_ network: NetworkSpec) -> Int {
        var bits = 0
        while 1 << bits < routedHostCount { bits += 1 }
        return max(16, (network.hostPrefix ?? 24) - bits)
    }

    /// A routed network's subnet must hold a per-host subnet for every host on the cluster store.
    func checkRoutedSize(_ network: NetworkSpec) throws(LabError) {
        guard let subnet = network.subnet else { return }
        let prefix = network.hostPrefix ?? 24
        let parts = prefix > Int(subnet.prefixLength) ? 1 << min(prefix - Int(subnet.prefixLength), 24) : 0
        guard parts >= routedHostCount else {
            throw .invalid(
                line: network.line,
                message: "network '\(network.name)': subnet \(subnet) holds \(parts) per-host subnet"
                    + "\(parts == 1 ? "" : "s") of /\(prefix), fewer than the \(routedHostCount) hosts that lease one "
                    + "(every host on the cluster store); give a larger subnet or a longer host-prefix")
        }
    }

    func validateNodes() throws(LabError) {
        var addresses: [String: String] = [:]
        for node in nodes {
            guard !node.host.isEmpty else {
                throw .invalid(
                    line: node.line,
                    message: "node '\(node.name)': 'host' is required when the lab has "
                        + "\(hosts.count) hosts")
            }
            guard let host = host(node.host) else {
                throw .invalid(
                    line: node.line,
                    message: "node '\(node.name)': no host named '\(node.host)' "
                        + "(hosts: \(hosts.map(\.name).joined(separator: ", ")))")
            }
            guard host.engine else {
                throw .invalid(line: node.line, message: "node '\(node.name)': host '\(host.name)' has engine: none")
            }
            guard images.contains(where: { $0.name == node.image }) else {
                throw .invalid(
                    line: node.line,
                    message: "node '\(node.name)': no image named '\(node.image)' in images "
                        + "(declared: \(images.map(\.name).joined(separator: ", ")))")
            }
            if let mode = node.networkMode {
                if mode.hasPrefix("container:") {
                    let target = String(mode.dropFirst("container:".count))
                    guard let other = self.node(target), other.host == node.host, target != node.name else {
                        throw .invalid(
                            line: node.line,
                            message: "node '\(node.name)': network-mode \(mode) needs another "
                                + "node named '\(target)' on host '\(node.host)'")
                    }
                } else if mode != "none" && mode != "host" {
                    throw .invalid(
                        line: node.line,
                        message: "node '\(node.name)': network-mode must be none, host or "
                            + "container:NODE, not '\(mode)'")
                }
                if !node.networks.isEmpty {
                    throw .invalid(
                        line: node.line, message: "node '\(node.name)': network-mode and networks exclude each other")
                }
            }
            for attachment in node.networks {
                guard let network = network(attachment.network) else {
                    throw .invalid(
                        line: attachment.line,
                        message: "node '\(node.name)': no network named "
                            + "'\(attachment.network)' (networks: \(networks.map(\.name).joined(separator: ", ")))")
                }
                guard let address = attachment.address else { continue }
                if network.driver == "routed" {
                    throw .invalid(
                        line: attachment.line,
                        message: "node '\(node.name)': no fixed ip on routed network '\(network.name)': each host "
                            + "leases its own part of the subnet from the store at up, so its addresses are not "
                            + "known before")
                }
                guard let subnet = network.subnet, case .v4(let v4) = address, subnet.contains(address),
                    let first = subnet.ipv4First, let last = subnet.ipv4Last
                else {
                    throw .invalid(
                        line: attachment.line,
                        message: "node '\(node.name)': address \(address) is outside "
                            + "network '\(network.name)' (\(network.subnet.map(\.description) ?? "no subnet"))")
                }
                guard v4.value > first + 1, v4.value < last else {
                    throw .invalid(
                        line: attachment.line,
                        message: "node '\(node.name)': address \(address) is the "
                            + "network address, gateway or broadcast of '\(network.name)'")
                }
                let key = network.name + "/" + address.description
                if let other = addresses[key] {
                    throw .invalid(
                        line: attachment.line,
                        message: "nodes '\(other)' and '\(node.name)' both have "
                            + "address \(address) on network '\(network.name)'")
                }
                addresses[key] = node.name
            }
            for other in node.waitFor where self.node(other) == nil {
                throw .invalid(line: node.line, message: "node '\(node.name)': wait-for names no node '\(other)'")
            }
        }
    }

    func validateLinks() throws(LabError) {
        var interfaces: [String: Int] = [:]
        for host in hosts {
            interfaces[host.name + ":eth0"] = host.line
            for bridge in host.bridges { interfaces[host.name + ":" + bridge] = host.line }
        }
        for node in nodes {
            for index in node.networks.indices { interfaces[node.name + ":eth\(index)"] = node.line }
        }
        let rateSyntax = /^[0-9]+(\.[0-9]+)?(bit|kbit|mbit|gbit)$/
        for link in links {
            for endpoint in link.endpoints {
                guard node(endpoint.owner) != nil || host(endpoint.owner) != nil else {
                    throw .invalid(
                        line: link.line, message: "link \(link.name): no node or host named '\(endpoint.owner)'")
                }
                if let problem = InterfaceName.problem(with: endpoint.interface) {
                    throw .invalid(
                        line: link.line, message: "link \(link.name): interface '\(endpoint.interface)': \(problem)")
                }
                if interfaces.updateValue(link.line, forKey: endpoint.description) != nil {
                    throw .invalid(
                        line: link.line, message: "link \(link.name): interface \(endpoint) is already in use")
                }
                if let node = node(endpoint.owner), node.networkMode?.hasPrefix("container:") == true {
                    throw .invalid(
                        line: link.line,
                        message: "link \(link.name): node '\(node.name)' shares another "
                            + "node's namespace; link that node instead")
                }
            }
            if link.endpoints[0].owner == link.endpoints[1].owner {
                throw .invalid(
                    line: link.line, message: "link \(link.name): both ends are on '\(link.endpoints[0].owner)'")
            }
            guard link.mtu.count <= 2 else {
                throw .invalid(line: link.line, message: "link \(link.name): mtu is one number or one per end")
            }
            guard link.addresses.isEmpty || link.addresses.count == 2 else {
                throw .invalid(line: link.line, message: "link \(link.name): addresses needs one per end")
            }
            if let bridge = link.bridge {
                let hostEnds = link.endpoints.filter { host($0.owner) != nil }
                guard hostEnds.count == 1, let end = hostEnds.first, let host = host(end.owner),
                    host.bridges.contains(bridge)
                else {
                    throw .invalid(
                        line: link.line,
                        message: "link \(link.name): bridge '\(bridge)' must be one of the "
                            + "bridges of the link's host end")
                }
            }
            if let rate = link.rate, (try? rateSyntax.wholeMatch(in: rate)) == nil {
                throw .invalid(
                    line: link.line,
                    message: "link \(link.name): rate '\(rate)' must be a number with bit, "
                        + "kbit, mbit or gbit (tc's units), such as 10mbit")
            }
            if let loss = link.loss, !(0...100).contains(loss) {
                throw .invalid(line: link.line, message: "link \(link.name): loss is a percentage from 0 to 100")
            }
        }
    }

    /// The link named `name` (`a:eth1--b:eth1`, or one of its endpoints `a:eth1`).
    func link(named name: String) -> LinkSpec? {
        links.first { $0.name == name || $0.endpoints.contains { $0.description == name } }
    }

    func validateChecks() throws(LabError) {
        func place(_ name: String, _ line: Int) throws(LabError) {
            guard node(name) != nil || host(name) != nil || name == "underlay" else {
                throw .invalid(line: line, message: "test: no node or host named '\(name)'")
            }
        }
        func target(_ name: String, _ line: Int) throws(LabError) {
            if IPAddress(name) != nil { return }
            try place(name, line)
        }
        func hostNamed(_ name: String, _ line: Int) throws(LabError) {
            guard host(name) != nil else { throw .invalid(line: line, message: "test: no host named '\(name)'") }
        }
        func nodeNamed(_ name: String, _ line: Int) throws(LabError) {
            guard node(name) != nil else { throw .invalid(line: line, message: "test: no node named '\(name)'") }
        }
        for check in tests {
            switch check.kind {
            case .reach(let from, let to, _, _, _, _), .tcp(let from, let to, _, _), .http(let from, let to, _, _, _),
                .throughput(let from, let to, _, _, _, _):
                try place(from, check.line)
                try target(to, check.line)
            case .dns(let from, _, _, _): try nodeNamed(from, check.line)
            case .route(let host, let destination, let via, _):
                try hostNamed(host, check.line)
                if IPNetwork(destination) == nil, IPAddress(destination) == nil, destination != "default" {
                    try nodeNamed(destination, check.line)
                }
                if let via, IPAddress(via) == nil { try hostNamed(via, check.line) }
            case .fdb(let host, _, let node, let dst, _):
                try hostNamed(host, check.line)
                if let dst, IPAddress(dst) == nil { try hostNamed(dst, check.line) }
                if let node { try nodeNamed(node, check.line) }
            case .steps(let steps):
                for step in steps {
                    switch step {
                    case .linkDown(let name), .linkUp(let name):
                        guard link(named: name) != nil else {
                            throw .invalid(line: check.line, message: "step: no link named '\(name)'")
                        }
                    case .killEngine(let host), .startEngine(let host), .hostExec(let host, _):
                        try hostNamed(host, check.line)
                    case .leaveHost(let name), .rejoinHost(let name):
                        try hostNamed(name, check.line)
                        if let host = host(name), host.clusterStore == nil {
                            throw .invalid(
                                line: check.line,
                                message: "step: host '\(name)' has no cluster store to leave or rejoin "
                                    + "(kill-spliced and start-spliced stop and start its spliced)")
                        }
                    case .nodeExec(let node, _): try nodeNamed(node, check.line)
                    case .stopStore(let member), .startStore(let member):
                        let names = (store?.addresses.indices ?? 0..<0).map(StoreSpec.memberName)
                        guard !names.isEmpty else {
                            throw .invalid(line: check.line, message: "step: the lab has no store to stop or start")
                        }
                        guard member == "all" || names.contains(member) else {
                            throw .invalid(
                                line: check.line,
                                message: "step: no store member '\(member)' (members: "
                                    + "\(names.joined(separator: ", ")), or all)")
                        }
                    case .wait: break
                    }
                }
            }
        }
    }
}
