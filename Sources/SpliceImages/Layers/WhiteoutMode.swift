/// How an unpack writes a layer's whiteout entries (`.wh.<name>` and `.wh..wh..opq`).
public enum WhiteoutMode: Sendable {
    /// As overlayfs reads a lower directory: a 0:0 character device per deleted name and the
    /// `trusted.overlay.opaque=y` xattr on opaque directories. Needs root.
    case overlay
    /// Applied to the directory itself, for flattening layers into one tree: `.wh.<name>` deletes the name and an
    /// opaque marker empties the directory of what earlier layers put there.
    case apply
}
