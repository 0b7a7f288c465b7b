/// What `ImageStore.commit` makes a new image from: a parent, a layer (or none), the run defaults and one
/// history step (`docker commit`, and each step of `docker build`).
public struct ImageCommit: Sendable {
    /// The parent image id or name; nil for `FROM scratch`.
    public var parent: String?
    /// The directory whose content becomes the new layer; nil for a step that adds no layer.
    public var layer: UpperDirectory?
    /// The new image's run defaults.
    public var config: ContainerConfig
    /// The history's `created_by` (`/bin/sh -c #(nop)  ENV A=1`).
    public var createdBy: String
    /// The image and history comment (`-m`).
    public var comment: String?
    /// The author (`-a`).
    public var author: String?
    /// Tags to give the new image (`bb:x`).
    public var references: [String]

    /// Creates a commit.
    public init(parent: String?, layer: UpperDirectory?, config: ContainerConfig, createdBy: String,
                comment: String? = nil, author: String? = nil, references: [String] = []) {
        self.parent = parent
        self.layer = layer
        self.config = config
        self.createdBy = createdBy
        self.comment = comment
        self.author = author
        self.references = references
    }
}
