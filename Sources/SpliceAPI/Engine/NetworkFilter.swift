import DockerModels

/// `GET /networks` filters as dockerd applies them: `name` (equal, or a regular expression: `FilterPattern`), `id`
/// (prefix), `label` (`k` or `k=v`), `driver`, `type` (`custom`, `builtin`), `scope`, `dangling`. Several values
/// of one key are ORed, keys ANDed.
public enum NetworkFilter {
    /// Whether `network` passes `filters`; `predefined` marks `bridge`, `host`, `none`; `inUse` means endpoints.
    public static func matches(_ network: NetworkResource, predefined: Bool, inUse: Bool,
                               filters: [String: [String]]) -> Bool
    {
        for (key, values) in filters where !values.isEmpty {
            let passes: Bool
            switch key {
            case "name": passes = values.contains { FilterPattern.matches($0, network.Name) }
            case "id": passes = values.contains { network.Id.hasPrefix($0) }
            case "driver": passes = values.contains(network.Driver)
            case "scope": passes = values.contains(network.Scope)
            case "type": passes = values.contains { ($0 == "custom" && !predefined) || ($0 == "builtin" && predefined) }
            case "dangling":
                passes = values.contains { value in
                    let wanted = value == "true" || value == "1"
                    return !predefined && (wanted ? !inUse : inUse) || (predefined && !wanted)
                }
            case "label": passes = values.allSatisfy { label(network.Labels, $0) }
            case "label!": passes = !values.contains { label(network.Labels, $0) }
            default: passes = true
            }
            if !passes { return false }
        }
        return true
    }

    private static func label(_ labels: [String: String], _ filter: String) -> Bool {
        guard let equals = filter.firstIndex(of: "=") else { return labels[filter] != nil }
        return labels[String(filter[..<equals])] == String(filter[filter.index(after: equals)...])
    }
}
