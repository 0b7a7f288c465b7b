import struct EngineErrors.EngineError
import struct DockerModels.EventMessage

/// The `filters` of `GET /events` (container, event, type, image, label), matched as dockerd matches them: values
/// of one key are alternatives, different keys must all match.
public struct EventFilter: Sendable, Equatable {
    /// The decoded filters, key to accepted values.
    public var filters: [String: [String]]

    /// The keys dockerd's `GET /events` accepts.
    static let keys: Set<String> = [
        "config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret",
        "service", "type", "volume",
    ]

    /// Creates a filter; empty accepts everything.
    public init(_ filters: [String: [String]] = [:]) { self.filters = filters }

    /// A filter from the API's `filters`, refusing an unknown key with dockerd's 400.
    public init(validating filters: [String: [String]]) throws(EngineError) {
        for key in filters.keys.sorted() where !Self.keys.contains(key) {
            throw EngineError(.invalidArgument, "invalid filter '\(key)'")
        }
        self.init(filters)
    }

    /// Whether `event` passes.
    public func matches(_ event: EventMessage) -> Bool {
        let action = event.Action.split(separator: ":", maxSplits: 1).first.map(String.init) ?? event.Action
        if let wanted = nonEmpty("event"), !wanted.contains(action) && !wanted.contains(event.Action) { return false }
        if let wanted = nonEmpty("type"), !wanted.contains(event.Type) { return false }
        if let wanted = nonEmpty("container") {
            guard event.Type == "container" || event.Actor.Attributes["container"] != nil else { return false }
            let id = event.Type == "container" ? event.Actor.ID : event.Actor.Attributes["container"] ?? ""
            let name = event.Type == "container" ? event.Actor.Attributes["name"] : nil
            guard wanted.contains(where: { !$0.isEmpty && (id.hasPrefix($0) || $0 == name) }) else { return false }
        }
        if let wanted = nonEmpty("image") {
            let image = event.Type == "image" ? event.Actor.ID : event.Actor.Attributes["image"] ?? ""
            guard wanted.contains(where: { Self.imageMatches(image, $0) }) else { return false }
        }
        if let wanted = nonEmpty("label"), !LabelFilter.matches(event.Actor.Attributes, wanted) { return false }
        if let wanted = nonEmpty("network") {
            guard event.Type == "network", wanted.contains(event.Actor.ID) || wanted.contains(
                event.Actor.Attributes["name"] ?? "") else { return false }
        }
        return true
    }

    /// The values of `key`, nil when it is absent or empty.
    private func nonEmpty(_ key: String) -> [String]? {
        guard let values = filters[key], !values.isEmpty else { return nil }
        return values
    }

    /// Whether the image reference of an event matches a filter value (`bb`, `bb:latest`, or an id prefix).
    static func imageMatches(_ image: String, _ wanted: String) -> Bool {
        if image == wanted { return true }
        let bare = image.hasSuffix(":latest") ? String(image.dropLast(7)) : image
        let wantedBare = wanted.hasSuffix(":latest") ? String(wanted.dropLast(7)) : wanted
        return bare == wantedBare || (wanted.count >= 4 && image.hasPrefix(wanted))
    }
}
