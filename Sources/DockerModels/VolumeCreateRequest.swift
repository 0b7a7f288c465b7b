/// The body of `POST /volumes/create` (`vol-create.txt`); every field may be missing.
public struct VolumeCreateRequest: Codable, Sendable, Equatable {
    /// The name; empty or missing makes an anonymous volume with a random name.
    public var Name: String?
    /// The driver; only `local` exists here.
    public var Driver: String?
    /// The local driver's options: `type`, `device`, `o`.
    public var DriverOpts: [String: String]?
    /// User labels.
    public var Labels: [String: String]?

    /// Creates a request.
    public init(Name: String? = nil, Driver: String? = nil, DriverOpts: [String: String]? = nil,
                Labels: [String: String]? = nil) {
        self.Name = Name
        self.Driver = Driver
        self.DriverOpts = DriverOpts
        self.Labels = Labels
    }
}
