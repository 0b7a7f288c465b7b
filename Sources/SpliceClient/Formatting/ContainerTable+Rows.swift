import DockerModels
import JSONKit
import SystemKit

extension ContainerTable {
    /// Column titles of `ps --format 'table …'`, by field, as docker's formatter names them.
    public static let header = JSONValue.object([
        ("ID", "CONTAINER ID"), ("Image", "IMAGE"), ("Command", "COMMAND"), ("CreatedAt", "CREATED AT"),
        ("RunningFor", "CREATED"), ("Ports", "PORTS"), ("State", "STATE"), ("Status", "STATUS"), ("Size", "SIZE"),
        ("Names", "NAMES"), ("Labels", "LABELS"), ("Mounts", "MOUNTS"), ("Networks", "NETWORKS"),
    ].map { JSONValue.Member($0.0, .string($0.1)) })

    /// The fields `ps --format` sees for one container, as docker's: `ID`, `Image`, `Command` (quoted), `CreatedAt`
    /// (`2026-12-06 18:50:01 +0000 UTC`), `RunningFor`, `Ports`, `State`, `Status`, `Size`, `Names`, `Labels`
    /// (`k=v,k=v`), `Mounts`, `Networks`.
    public static func row(_ container: ContainerSummary, now: Int64, truncate: Bool) -> JSONValue {
        var image = container.Image
        if truncate, image.hasPrefix("sha256:") { image = String(image.dropFirst(7).prefix(12)) }
        let command = truncate ? ellipsis(container.Command, 20) : container.Command
        var size = ""
        if let written = container.SizeRw {
            size = HumanUnits.size(written)
            if let virtual = container.SizeRootFs { size += " (virtual \(HumanUnits.size(virtual)))" }
        }
        let mounts = container.Mounts.map { mount in
            let name = mount.Name ?? mount.Source
            return truncate && name.count > 15 ? ContainerTable.ellipsis(name, 15) : name
        }
        let fields: [(String, String)] = [
            ("ID", truncate ? String(container.Id.prefix(12)) : container.Id), ("Image", image),
            ("Command", JSONString.quoted(command)), ("CreatedAt", goTime(container.Created)),
            ("RunningFor", HumanUnits.ago(container.Created, now: now)), ("Ports", ports(container.Ports)),
            ("State", container.State), ("Status", container.Status), ("Size", size),
            ("Names", names(container.Names, truncate: truncate)),
            ("Labels", container.Labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ",")),
            ("Mounts", mounts.joined(separator: ",")),
            ("Networks", container.NetworkSettings.Networks.keys.sorted().joined(separator: ",")),
        ]
        return .object(fields.map { JSONValue.Member($0.0, .string($0.1)) })
    }

    /// Go's `time.Time.String()` of a Unix time in UTC: `2026-12-06 18:50:01 +0000 UTC`.
    static func goTime(_ seconds: Int64) -> String {
        let text = RFC3339.format(seconds: seconds, nanoseconds: 0)
        return text.dropLast().replacing("T", with: " ") + " +0000 UTC"
    }
}
