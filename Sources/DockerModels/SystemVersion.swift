// Property names in Models/ are Docker's wire names (PascalCase, or camelCase where Docker uses it), so the
// synthesized Codable conformances produce the captured JSON field for field without CodingKeys tables.
// A `nil` optional is omitted on encode; the CLI treats a missing field like `null` (its zero value).

/// `GET /version` response body (`docker-api-captures/version.txt`).
public struct SystemVersion: Codable, Sendable, Equatable {
    /// `{"Name": ""}` in dockerd's answer.
    public struct Platform: Codable, Sendable, Equatable {
        /// Platform name (dockerd sends an empty string).
        public var Name: String = ""
        /// Creates a platform with an empty name.
        public init(Name: String = "") { self.Name = Name }
    }

    /// One entry of `Components` (Engine, containerd, runc, ...).
    public struct Component: Codable, Sendable, Equatable {
        /// Component name, for example `Engine`.
        public var Name: String
        /// Component version string.
        public var Version: String
        /// Free-form string details (`ApiVersion`, `GitCommit`, ...).
        public var Details: [String: String]?
        /// Creates a component entry.
        public init(Name: String, Version: String, Details: [String: String]? = nil) {
            self.Name = Name
            self.Version = Version
            self.Details = Details
        }
    }

    /// Platform block.
    public var Platform: Platform? = nil
    /// Components, printed one by one by the CLI.
    public var Components: [Component]? = nil
    /// Server version, for example `0.1.0`.
    public var Version: String = ""
    /// Maximum API version, `1.41`.
    public var ApiVersion: String = APIVersion.maximum.description
    /// Minimum API version, `1.24`.
    public var MinAPIVersion: String = APIVersion.minimum.description
    /// Source revision.
    public var GitCommit: String = ""
    /// Toolchain version (dockerd: Go version).
    public var GoVersion: String = ""
    /// Operating system, `linux`.
    public var Os: String = "linux"
    /// Architecture, for example `amd64`.
    public var Arch: String = ""
    /// Kernel release.
    public var KernelVersion: String = ""
    /// Build time in RFC 3339.
    public var BuildTime: String = ""
    /// Whether experimental features are on.
    public var Experimental: Bool? = nil

    /// Creates a version body with contract defaults.
    public init() {}
}
