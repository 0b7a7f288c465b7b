/// One entry of `GET /containers/json` (`ps-s.txt`).
public struct ContainerSummary: Codable, Sendable, Equatable {
    /// One `Ports` entry; unpublished ports have only `PrivatePort` and `Type`.
    public struct Port: Codable, Sendable, Equatable {
        /// Host address (`0.0.0.0`, `::`, ...).
        public var IP: String?
        /// Container port.
        public var PrivatePort: Int
        /// Host port.
        public var PublicPort: Int?
        /// `tcp` or `udp`.
        public var `Type`: String
        /// Creates a port entry.
        public init(IP: String? = nil, PrivatePort: Int, PublicPort: Int? = nil, Type: String = "tcp") {
            self.IP = IP
            self.PrivatePort = PrivatePort
            self.PublicPort = PublicPort
            self.Type = Type
        }
    }

    /// `{"NetworkMode": ...}`.
    public struct HostConfigSummary: Codable, Sendable, Equatable {
        /// Network mode.
        public var NetworkMode: String
        /// Creates a summary.
        public init(NetworkMode: String = "default") { self.NetworkMode = NetworkMode }
    }

    /// `{"Networks": {...}}`.
    public struct NetworkSettingsSummary: Codable, Sendable, Equatable {
        /// Endpoints by network name.
        public var Networks: [String: EndpointSettings]
        /// Creates a summary.
        public init(Networks: [String: EndpointSettings] = [:]) { self.Networks = Networks }
    }

    /// Full ID.
    public var Id: String = ""
    /// Names with leading `/`.
    public var Names: [String] = []
    /// Image as the user gave it.
    public var Image: String = ""
    /// Image ID.
    public var ImageID: String = ""
    /// argv joined with spaces; arguments with spaces single-quoted.
    public var Command: String = ""
    /// Creation time, unix seconds.
    public var Created: Int64 = 0
    /// Ports.
    public var Ports: [Port] = []
    /// Size of the writable layer (`size=1` only).
    public var SizeRw: Int64? = nil
    /// Size of the root filesystem (`size=1` only).
    public var SizeRootFs: Int64? = nil
    /// Labels.
    public var Labels: [String: String] = [:]
    /// State name, for example `running`.
    public var State: String = ""
    /// Human status, for example `Up 58 seconds`.
    public var Status: String = ""
    /// Host config summary.
    public var HostConfig: HostConfigSummary = HostConfigSummary()
    /// Network settings summary.
    public var NetworkSettings: NetworkSettingsSummary = NetworkSettingsSummary()
    /// Mounts.
    public var Mounts: [ContainerInspect.MountPoint] = []

    /// Creates an empty summary.
    public init() {}
}
