/// One entry of `GET /images/json` (`images.txt`).
public struct ImageSummary: Codable, Sendable, Equatable {
    /// Always -1 unless computed.
    public var Containers: Int = -1
    /// Creation time, unix seconds.
    public var Created: Int64 = 0
    /// Image ID, `sha256:...`.
    public var Id: String = ""
    /// Labels, `null` when none.
    public var Labels: [String: String]? = nil
    /// Parent image ID or empty.
    public var ParentId: String = ""
    /// `repo@sha256:...` digests.
    public var RepoDigests: [String] = []
    /// `repo:tag` names; `["<none>:<none>"]` when untagged.
    public var RepoTags: [String] = []
    /// Always -1 unless computed.
    public var SharedSize: Int64 = -1
    /// Size in bytes.
    public var Size: Int64 = 0
    /// Same as `Size`.
    public var VirtualSize: Int64 = 0

    /// Creates an empty summary.
    public init() {}
}
