/// An API version `major.minor`, compared numerically (`1.9 < 1.41`).
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Major part.
    public var major: Int
    /// Minor part.
    public var minor: Int

    /// The version served and reported: `1.41`.
    public static let maximum = APIVersion(major: 1, minor: 41)
    /// The oldest version accepted: `1.24` (docker-py refuses anything lower).
    public static let minimum = APIVersion(major: 1, minor: 24)

    /// Creates a version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `1.41`; nil for anything else.
    public init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]),
              parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII), major >= 0, minor >= 0
        else { return nil }
        self.init(major: major, minor: minor)
    }

    /// `major.minor`.
    public var description: String { "\(major).\(minor)" }

    /// Numeric order.
    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
