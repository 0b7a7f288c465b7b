#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SpliceRuntime
import struct EngineErrors.EngineError

/// What `HostConfig.SecurityOpt` asks for, parsed as dockerd parses it.
public struct SecurityOptions: Sendable, Equatable {
    /// The seccomp filter (`seccomp=unconfined`, `seccomp=<profile JSON>`, or Docker's default).
    public var seccomp: SeccompSetting = .default
    /// `no-new-privileges[:true|false]`.
    public var noNewPrivileges = false
    /// Options accepted but not applicable here (AppArmor, SELinux labels), for the create response.
    public var warnings: [String] = []

    /// Creates the default options.
    public init() {}

    /// Parses `options` with dockerd's errors (`invalid --security-opt 1: "x"`); the docker CLI sends a seccomp
    /// profile's content, not its path.
    public static func parse(_ options: [String]) throws(EngineError) -> SecurityOptions {
        var result = SecurityOptions()
        for option in options {
            if option == "no-new-privileges" {
                result.noNewPrivileges = true
                continue
            }
            if option == "disable" {
                result.warnings.append(notApplicable(option, "SELinux"))
                continue
            }
            let separator: Character = option.contains("=") ? "=" : ":"
            guard let index = option.firstIndex(of: separator) else {
                throw EngineError(.invalidArgument, "invalid --security-opt 1: \"\(option)\"")
            }
            let key = String(option[..<index])
            let value = String(option[option.index(after: index)...])
            switch key {
            case "label":
                result.warnings.append(notApplicable(option, "SELinux"))
            case "apparmor":
                result.warnings.append(notApplicable(option, "AppArmor"))
            case "no-new-privileges":
                guard let flag = parseBool(value) else {
                    throw EngineError(.invalidArgument, "invalid --security-opt 2: \"\(option)\"")
                }
                result.noNewPrivileges = flag
            case "seccomp":
                result.seccomp = try seccomp(value)
            default:
                throw EngineError(.invalidArgument, "invalid --security-opt 2: \"\(option)\"")
            }
        }
        return result
    }

    /// `unconfined`, `builtin` (the default) or a profile in Docker's JSON format.
    static func seccomp(_ value: String) throws(EngineError) -> SeccompSetting {
        switch value {
        case "unconfined": return .unconfined
        case "builtin", "": return .default
        default: break
        }
        guard value.first == "{" else {
            throw EngineError(.invalidArgument, "Decoding seccomp profile failed: the value is neither"
                + " \"unconfined\" nor a JSON profile (the docker CLI sends the file's content)")
        }
        do {
            return .custom(profile: try JSONDecoder().decode(SeccompProfile.self, from: Data(value.utf8)))
        } catch {
            throw EngineError(.invalidArgument, "Decoding seccomp profile failed: \(error)", cause: error)
        }
    }

    /// Go's `strconv.ParseBool`.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }

    private static func notApplicable(_ option: String, _ system: String) -> String {
        "--security-opt \(option) is not applicable: Splice has no \(system) support; the option was ignored"
    }
}
