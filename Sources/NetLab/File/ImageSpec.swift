/// An image every engine host gets: built from the machine's busybox-static, or imported from a tar file.
public struct ImageSpec: Sendable {
    /// Where the root file system comes from.
    public enum Source: Sendable, Equatable {
        /// `/bin/busybox` and a link per applet.
        case busybox
        /// A root file system tar (what `splice import` takes).
        case tar(path: String)
    }
    /// The image name nodes use.
    public var name: String
    /// Where it comes from.
    public var source: Source
    /// Line in the file.
    public var line: Int
}
