extension HostConfig {
    /// One `HostConfig.Mounts` entry (`--mount type=bind|volume|tmpfs,source=…,target=…,readonly`).
    public struct Mount: Codable, Sendable, Equatable {
        /// `{"Propagation": "rprivate"}` of a bind mount.
        public struct BindOptions: Codable, Sendable, Equatable {
            /// `private`, `rprivate`, `shared`, `rshared`, `slave`, `rslave`.
            public var Propagation: String?
            /// Bind only the top mount, not the ones below it.
            public var NonRecursive: Bool?
            /// Create the host path when missing.
            public var CreateMountpoint: Bool?
            /// Creates bind options.
            public init(Propagation: String? = nil, NonRecursive: Bool? = nil, CreateMountpoint: Bool? = nil) {
                self.Propagation = Propagation
                self.NonRecursive = NonRecursive
                self.CreateMountpoint = CreateMountpoint
            }
        }

        /// `{"Name": "local", "Options": {}}`.
        public struct DriverConfig: Codable, Sendable, Equatable {
            /// Volume driver.
            public var Name: String?
            /// Driver options.
            public var Options: [String: String]?
            /// Creates a driver config.
            public init(Name: String? = nil, Options: [String: String]? = nil) {
                self.Name = Name
                self.Options = Options
            }
        }

        /// `{"NoCopy": true, "Labels": {}}` of a volume mount.
        public struct VolumeOptions: Codable, Sendable, Equatable {
            /// Do not copy the image's content at the target into a new volume.
            public var NoCopy: Bool?
            /// Labels of a volume created for this mount.
            public var Labels: [String: String]?
            /// Driver of a volume created for this mount.
            public var DriverConfig: DriverConfig?
            /// A path inside the volume to mount instead of its root.
            public var Subpath: String?
            /// Creates volume options.
            public init(NoCopy: Bool? = nil, Labels: [String: String]? = nil, DriverConfig: DriverConfig? = nil,
                        Subpath: String? = nil) {
                self.NoCopy = NoCopy
                self.Labels = Labels
                self.DriverConfig = DriverConfig
                self.Subpath = Subpath
            }
        }

        /// `{"SizeBytes": 65536, "Mode": 1777}` of a tmpfs mount.
        public struct TmpfsOptions: Codable, Sendable, Equatable {
            /// Size in bytes; 0 or nil for the kernel's default.
            public var SizeBytes: Int64?
            /// Permission bits of the tmpfs root (decimal on the wire, as Go's `os.FileMode`).
            public var Mode: UInt32?
            /// Further `[name, value]` tmpfs options.
            public var Options: [[String]]?
            /// Creates tmpfs options.
            public init(SizeBytes: Int64? = nil, Mode: UInt32? = nil, Options: [[String]]? = nil) {
                self.SizeBytes = SizeBytes
                self.Mode = Mode
                self.Options = Options
            }
        }

        /// `bind`, `volume` or `tmpfs`.
        public var `Type`: String?
        /// Host path (bind) or volume name (volume); none for tmpfs.
        public var Source: String?
        /// Absolute path in the container.
        public var Target: String?
        /// Mounted read-only.
        public var ReadOnly: Bool?
        /// `default`, `consistent`, `cached`, `delegated` (ignored on Linux).
        public var Consistency: String?
        /// Bind options.
        public var BindOptions: BindOptions?
        /// Volume options.
        public var VolumeOptions: VolumeOptions?
        /// Tmpfs options.
        public var TmpfsOptions: TmpfsOptions?

        /// Creates a mount.
        public init(Type: String? = nil, Source: String? = nil, Target: String? = nil, ReadOnly: Bool? = nil) {
            self.Type = Type
            self.Source = Source
            self.Target = Target
            self.ReadOnly = ReadOnly
        }
    }
}
