import FoundationEssentials

/// What a registry is asked with: a user name and password (or an identity token). Never logged.
public struct RegistryCredentials: Hashable, Sendable {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The `Authorization: Basic …` value of these credentials.
    var basicAuthorization: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }
}
