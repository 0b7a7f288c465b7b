import CArchive

/// libarchive's last error text for a handle.
enum ArchiveMessage {
    /// The handle's error string, or a generic text when it has none.
    static func of(_ archive: OpaquePointer?) -> String {
        guard let archive, let text = archive_error_string(archive) else { return "unknown archive error" }
        return String(cString: text)
    }
}
