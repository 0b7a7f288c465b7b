import Foundation
import NetlinkKit
import SpliceClient
import SystemKit
import Yams

/// Why a lab file was refused or a lab step failed; every case names what the user has to fix.
public enum LabError: Error, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, cause: SystemError)
    /// The file is not YAML.
    case syntax(path: String, cause: YamlError)
    /// A key the section does not know.
    case unknownKey(key: String, line: Int, section: String, allowed: [String])
    /// A value that is wrong where it stands.
    case invalid(line: Int, message: String)
    /// A kernel feature the lab needs is missing.
    case kernel(feature: String, reason: String)
    /// No lab of that name is up (no state file).
    case noSuchLab(name: String)
    /// A command the lab ran failed.
    case command(CommandFailure)
    /// A kernel call failed.
    case netlink(NetlinkError)
    /// A system call failed.
    case system(SystemError)
    /// A host's spliced answered with an error or could not be reached.
    case engine(host: String, step: String, status: Int32, output: String)
    /// The lab's state file could not be written or read.
    case state(path: String, cause: any Error)
    /// The command line was wrong.
    case usage(String)

    /// The message for the user.
    public var description: String {
        switch self {
        case .unreadable(let path, let cause): "cannot read \(path): \(cause)"
        case .syntax(let path, let cause): "\(path) is not valid YAML: \(cause)"
        case .unknownKey(let key, let line, let section, let allowed):
            "line \(line): unknown key '\(key)' in \(section); allowed: \(allowed.joined(separator: ", "))"
        case .invalid(let line, let message): line > 0 ? "line \(line): \(message)" : message
        case .kernel(let feature, let reason): "\(feature): \(reason)"
        case .noSuchLab(let name): "no lab named '\(name)' is up (no state under \(LabState.root)/\(name))"
        case .command(let failure): failure.description
        case .netlink(let error): "\(error)"
        case .system(let error): "\(error)"
        case .engine(let host, let step, let status, let output):
            "host \(host): \(step) failed (exit \(status))" + (output.isEmpty ? "" : ": \(output)")
        case .state(let path, let cause): "lab state \(path): \(cause)"
        case .usage(let text): text
        }
    }
}
