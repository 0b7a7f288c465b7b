extension ContainerCreateOptions {
    /// The `-p` texts a start publishes: the port bindings, plus with `-P` every exposed port that has none (a
    /// dynamic host port each), as dockerd does.
    public var publishedPorts: [String] {
        guard publishAllPorts else { return portBindings }
        let bound = Set(portBindings.map { Self.containerPortKey(of: $0) })
        let dynamic = ContainerEngine.exposedPorts(of: self).filter { !bound.contains($0) }
        return portBindings + dynamic
    }

    /// The exposed ports as `port/proto` keys (`ExposedPorts` and the container side of every binding), by number.
    public var exposedPortKeys: [String] { ContainerEngine.exposedPorts(of: self) }

    /// Whether `key` (`80/tcp`) passes a `publish`/`expose` filter value: `80`, `80/udp` or `8000-8080/tcp`.
    public static func portFilter(_ value: String, matches key: String) -> Bool {
        let wanted = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let have = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let range = wanted.first, let port = have.first.flatMap({ Int($0) }) else { return false }
        if wanted.count == 2, have.count == 2, wanted[1].lowercased() != have[1].lowercased() { return false }
        let bounds = range.split(separator: "-", maxSplits: 1).compactMap { Int($0) }
        guard let low = bounds.first, let high = bounds.last, bounds.count == (range.contains("-") ? 2 : 1) else {
            return false
        }
        return (low...max(low, high)).contains(port)
    }

    /// The `port/proto` key of a `-p` text's container side (`127.0.0.1:8080:80` → `80/tcp`).
    static func containerPortKey(of binding: String) -> String {
        let container = binding.split(separator: ":").last.map(String.init) ?? binding
        return container.contains("/") ? container.lowercased() : container + "/tcp"
    }
}
