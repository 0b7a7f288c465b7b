import Glibc
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Removes the veths of attaches cut by a `kill -9`: host ends still carrying the intent mark
    /// (`pending=PID`) of a `pipework` that no longer runs. Deleting the host end deletes the guest end, and with
    /// it the address and routes given to it. Returns the names removed. Run by `pipework --cleanup` and before
    /// every attach, so running the cut command again completes it.
    @discardableResult
    public func removeAbandoned() throws(PipeworkError) -> [String] {
        var removed: [String] = []
        do {
            for link in try host.links() {
                guard let mark = SpliceMark(alias: link.alias), let pid = mark.pending, !Self.isPipework(pid) else {
                    continue
                }
                do {
                    try host.deleteLink(link.index, name: link.name)
                    removed.append(link.name)
                } catch where error.errno?.meansAlreadyGone == true {
                }
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
        return removed
    }

    /// Whether `pid` is a running `pipework` (this one included).
    static func isPipework(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        guard pid > 0, let comm = try? AtomicFile.read("/proc/\(pid)/comm") else { return false }
        return String(decoding: comm, as: UTF8.self).trimmingSuffixNewline == "pipework"
    }
}

extension String {
    /// The text without one trailing newline.
    fileprivate var trimmingSuffixNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
