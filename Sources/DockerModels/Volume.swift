/// One volume as `GET /volumes/{name}`, `GET /volumes` and `POST /volumes/create` answer it (`vol-inspect.txt`).
public struct Volume: Codable, Sendable, Equatable {
    /// `UsageData` in `GET /system/df`: how many containers use the volume and its size in bytes.
    public struct UsageData: Codable, Sendable, Equatable {
        /// Containers referencing the volume.
        public var RefCount: Int
        /// Bytes used by the volume's content (-1 when not computed).
        public var Size: Int64
        /// Creates usage data.
        public init(RefCount: Int, Size: Int64) {
            self.RefCount = RefCount
            self.Size = Size
        }
    }

    /// RFC 3339 creation time, seconds precision (`2026-12-06T14:49:42Z`).
    public var CreatedAt: String
    /// The driver, always `local`.
    public var Driver: String
    /// User labels; absent for volumes created by `-v NAME:/path`.
    public var Labels: [String: String]?
    /// The host directory mounted into containers.
    public var Mountpoint: String
    /// The volume's name.
    public var Name: String
    /// The driver options (`type`, `device`, `o`); absent when none.
    public var Options: [String: String]?
    /// Always `local`.
    public var Scope: String
    /// Only in `GET /system/df`.
    public var UsageData: UsageData?

    /// Creates a volume description.
    public init(CreatedAt: String, Driver: String = "local", Labels: [String: String]?, Mountpoint: String,
                Name: String, Options: [String: String]?, Scope: String = "local", UsageData: UsageData? = nil) {
        self.CreatedAt = CreatedAt
        self.Driver = Driver
        self.Labels = Labels
        self.Mountpoint = Mountpoint
        self.Name = Name
        self.Options = Options
        self.Scope = Scope
        self.UsageData = UsageData
    }

    private enum CodingKeys: String, CodingKey {
        case CreatedAt, Driver, Labels, Mountpoint, Name, Options, Scope, UsageData
    }

    /// Encodes like dockerd: absent labels and options as `null`, `UsageData` only when present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(CreatedAt, forKey: .CreatedAt)
        try container.encode(Driver, forKey: .Driver)
        try container.encode(Labels, forKey: .Labels)
        try container.encode(Mountpoint, forKey: .Mountpoint)
        try container.encode(Name, forKey: .Name)
        try container.encode(Options, forKey: .Options)
        try container.encode(Scope, forKey: .Scope)
        try container.encodeIfPresent(self.UsageData, forKey: .UsageData)
    }
}
