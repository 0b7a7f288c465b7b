import DockerModels
import JSONKit

/// `docker ps` output.
public enum ContainerTable {
    /// Renders the table (or IDs with `quiet`) exactly as the docker CLI does.
    public static func render(_ containers: [ContainerSummary], now: Int64, quiet: Bool, truncate: Bool) -> String {
        if quiet { return containers.map { (truncate ? String($0.Id.prefix(12)) : $0.Id) + "\n" }.joined() }
        var table = TableWriter()
        table.append(["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"])
        for container in containers {
            var image = container.Image
            if truncate, image.hasPrefix("sha256:") { image = String(image.dropFirst(7).prefix(12)) }
            let command = truncate ? ellipsis(container.Command, 20) : container.Command
            table.append([truncate ? String(container.Id.prefix(12)) : container.Id, image, JSONString.quoted(command),
                          HumanUnits.ago(container.Created, now: now), container.Status, ports(container.Ports),
                          names(container.Names, truncate: truncate)])
        }
        return table.render()
    }

    /// Cuts `text` to `width` characters, the last being `…`.
    public static func ellipsis(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(width - 1)) + "…"
    }

    /// The PORTS column: `0.0.0.0:32768->9090/tcp, [::]:32768->9090/tcp`, unpublished ports as `80/tcp`.
    public static func ports(_ ports: [ContainerSummary.Port]) -> String {
        let sorted = ports.sorted { lhs, rhs in
            (lhs.PrivatePort, lhs.Type, (lhs.IP ?? "").contains(":") ? 1 : 0, lhs.PublicPort ?? 0)
                < (rhs.PrivatePort, rhs.Type, (rhs.IP ?? "").contains(":") ? 1 : 0, rhs.PublicPort ?? 0)
        }
        var seen: Set<String> = []
        var parts: [String] = []
        for port in sorted {
            let text: String
            if let published = port.PublicPort {
                let ip = port.IP ?? ""
                let host = ip.contains(":") ? "[\(ip)]" : ip
                text = "\(host):\(published)->\(port.PrivatePort)/\(port.Type)"
            } else {
                text = "\(port.PrivatePort)/\(port.Type)"
            }
            if seen.insert(text).inserted { parts.append(text) }
        }
        return parts.joined(separator: ", ")
    }

    /// The NAMES column: names without `/`, link names (`/a/b`) dropped unless untruncated.
    static func names(_ names: [String], truncate: Bool) -> String {
        let stripped = names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        return (truncate ? stripped.filter { !$0.contains("/") } : stripped).joined(separator: ",")
    }
}
