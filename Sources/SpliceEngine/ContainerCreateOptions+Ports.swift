extension ContainerCreateOptions {
    /// The `-p` texts a start publishes: the port bindings, plus with `-P` every exposed port that has none (a
    /// dynamic host port each), as dockerd does.
    public var publishedPorts: [String] {
        guard publishAllPorts else { return portBindings }
        let bound = Set(portBindings.map { Self.containerPortKey(of: $0) })
        let dynamic = ContainerEngine.exposedPorts(of: self).filter { !bound.contains($0) }
        return portBindings + dynamic
    }

    /// The `port/proto` key of a `-p` text's container side (`127.0.0.1:8080:80` → `80/tcp`).
    static func containerPortKey(of binding: String) -> String {
        let container = binding.split(separator: ":").last.map(String.init) ?? binding
        return container.contains("/") ? container.lowercased() : container + "/tcp"
    }
}
