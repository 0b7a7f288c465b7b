import FoundationEssentials
import JSONKit
#if canImport(Glibc)
import Glibc
#endif

/// docker's `config.json` (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`): the `auths` entries
/// `login` writes (`{"auths":{"127.0.0.1:5000":{"auth":"base64(user:password)"}}}`), other keys kept as they are.
public struct DockerConfigFile {
    /// The file.
    public let path: String

    /// Docker Hub's key in `auths`.
    public static let dockerHubKey = "https://index.docker.io/v1/"

    /// The file for `environment`.
    public init(environment: [String: String]) {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            path = directory + "/config.json"
        } else {
            path = (environment["HOME"] ?? "/root") + "/.docker/config.json"
        }
    }

    /// The `auths` key of a registry: Docker Hub's URL for `docker.io` and its spellings, else `HOST[:PORT]`.
    public static func key(for server: String?) -> String {
        guard var text = server, !text.isEmpty else { return dockerHubKey }
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) {
            text = String(text.dropFirst(scheme.count))
        }
        text = String(text.prefix { $0 != "/" })
        if ["docker.io", "index.docker.io", "registry-1.docker.io"].contains(text) { return dockerHubKey }
        return text
    }

    /// The registry key of an image reference: its host when the first component names one, else Docker Hub.
    public static func key(forImage reference: String) -> String {
        let parts = reference.split(separator: "/", maxSplits: 1)
        if parts.count == 2, parts[0].contains(".") || parts[0].contains(":") || parts[0] == "localhost" {
            return key(for: String(parts[0]))
        }
        return dockerHubKey
    }

    /// The document, or an empty object when the file does not exist.
    func read() throws(ClientError) -> JSONValue {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return .object([]) }
            throw .client("open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) { return .object([]) }
        do { return try JSONValue.decode(bytes) } catch {
            throw .client("loading config file \(path): \(error)")
        }
    }

    /// The user name and password saved for `key`, if any.
    public func credentials(for key: String) throws(ClientError) -> (username: String, password: String)? {
        guard let entry = try read()["auths"]?[key], let auth = entry["auth"]?.stringValue,
              let decoded = Data(base64Encoded: auth), let text = String(data: decoded, encoding: .utf8),
              let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The `X-Registry-Auth` value for `key`: base64url of `{"username","password","serveraddress"}`, or `e30=`
    /// (`{}`) without saved credentials, as the docker CLI sends.
    public func registryAuthHeader(for key: String) throws(ClientError) -> String {
        guard let saved = try credentials(for: key) else { return "e30=" }
        let document = JSONValue.object([
            .init("username", .string(saved.username)), .init("password", .string(saved.password)),
            .init("serveraddress", .string(key)),
        ])
        return DockerConfigFile.base64URL(Array(document.compactText.utf8))
    }

    /// Saves credentials for `key` (mode 0600, written to a temporary file and renamed).
    public func save(username: String, password: String, for key: String) throws(ClientError) {
        let auth = Data("\(username):\(password)".utf8).base64EncodedString()
        try update { auths in
            auths.removeAll { $0.key == key }
            auths.append(.init(key, .object([.init("auth", .string(auth))])))
        }
    }

    /// Removes the credentials of `key`; false when there were none.
    public func remove(_ key: String) throws(ClientError) -> Bool {
        guard try read()["auths"]?[key] != nil else { return false }
        try update { auths in auths.removeAll { $0.key == key } }
        return true
    }

    /// Rewrites the file with `change` applied to its `auths` members.
    private func update(_ change: (inout [JSONValue.Member]) -> Void) throws(ClientError) {
        var members: [JSONValue.Member] = []
        if case .object(let existing) = try read() { members = existing }
        var auths: [JSONValue.Member] = []
        if let index = members.firstIndex(where: { $0.key == "auths" }), case .object(let old) = members[index].value {
            auths = old
        }
        change(&auths)
        if let index = members.firstIndex(where: { $0.key == "auths" }) {
            members[index].value = .object(auths)
        } else {
            members.insert(.init("auths", .object(auths)), at: 0)
        }
        let bytes = Array((JSONValue.object(members).indentedText + "\n").utf8)
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty { mkdir(directory, 0o700) }
        let temporary = path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .client("open \(temporary): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                close(fd)
                unlink(temporary)
                throw .client("write \(temporary): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        fchmod(fd, 0o600)
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .client("rename \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Base64 with the URL alphabet, as `X-Registry-Auth` carries it.
    static func base64URL(_ bytes: [UInt8]) -> String {
        String(Data(bytes).base64EncodedString().map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
