/// What a volume keeps beside its content, `<graph>/volumes/<name>/volume.json`: the labels and the local
/// driver's options it was created with.
public struct VolumeMetadata: Codable, Sendable, Equatable {
    /// User labels; nil for volumes created by `-v NAME:/path`.
    public var labels: [String: String]?
    /// The local driver's options (`type`, `device`, `o`); nil when none.
    public var options: [String: String]?

    /// Creates metadata.
    public init(labels: [String: String]? = nil, options: [String: String]? = nil) {
        self.labels = labels
        self.options = options
    }

    /// The option keys dockerd's local driver accepts.
    static let validOptions: Set<String> = ["type", "device", "o"]
    /// Options that need others beside them (dockerd's `mandatoryOpts`).
    static let requiredOptions: [(String, [String])] = [("device", ["type"]), ("type", ["device"]),
                                                        ("o", ["device", "type"])]

    /// Checks the options as dockerd's local driver does; the error text is dockerd's (without the
    /// `create NAME: ` prefix).
    func validate() -> String? {
        guard let options, !options.isEmpty else { return nil }
        for key in options.keys.sorted() where !Self.validOptions.contains(key) {
            return "invalid option key: \"\(key)\""
        }
        for (key, needed) in Self.requiredOptions where options[key] != nil {
            for other in needed where options[other] == nil { return "missing required option: \"\(other)\"" }
        }
        return nil
    }

    /// Whether the volume is a mount of its own (`type` and `device` given) rather than a plain directory.
    public var mountsDevice: Bool { options?["type"] != nil && options?["device"] != nil }
}
