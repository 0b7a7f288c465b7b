extension SystemError {
    /// The error as Go, and so dockerd, words it: the operation, the path and the C library's text in lower case,
    /// such as `write /var/lib/splice/containers/ID/container.json: no space left on device`.
    public var goDescription: String {
        let text = errno.message.lowercased()
        if let path { return "\(operation) \(path): \(text)" }
        return "\(operation): \(text)"
    }
}
