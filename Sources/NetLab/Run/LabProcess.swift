import Foundation

/// Processes a lab starts detached (spliced, etcd), found again by PID: pid files read, and PIDs checked against
/// the command line they must carry, so a PID the kernel gave to another program does not count.
enum LabProcess {
    /// The PID a pid file holds; nil when the file is missing or holds no positive number.
    static func pid(inFile path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else { return nil }
        return pid
    }

    /// Whether `pid` runs with `marker` (its socket, its data directory) in its command line.
    static func isRunning(_ pid: Int32, commandLineContains marker: String) -> Bool {
        guard pid > 0, kill(pid, 0) == 0,
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return false }
        return String(decoding: cmdline, as: UTF8.self).contains(marker)
    }
}
