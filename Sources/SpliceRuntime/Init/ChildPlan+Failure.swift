import SystemKit

extension ChildPlan {
    /// runc's wording for a failed step (`exec: "nope": executable file not found in $PATH`, `chdir to cwd …`),
    /// which clients match to choose exit codes 126 and 127.
    func failure(step index: Int32, errno: Errno, command: String, workingDirectory: String) -> String {
        guard steps.indices.contains(Int(index)) else { return "\(describe(step: index)): \(Self.goText(errno))" }
        switch steps[Int(index)] {
        case .execute:
            guard errno == .noSuchFileOrDirectory else { return "exec: \"\(command)\": \(Self.goText(errno))" }
            if !command.contains("/") { return "exec: \"\(command)\": executable file not found in $PATH" }
            return "exec: \"\(command)\": stat \(command): \(Self.goText(errno))"
        case .changeDirectory:
            return "chdir to cwd (\"\(workingDirectory)\") set in config.json failed: \(Self.goText(errno))"
        default:
            return "\(describe(step: index)): \(Self.goText(errno))"
        }
    }

    /// An errno as Go's runtime words it ("no such file or directory").
    static func goText(_ errno: Errno) -> String {
        let text = errno.message
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
