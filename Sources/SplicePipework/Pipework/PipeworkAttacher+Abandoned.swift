import Glibc
import NetlinkKit
import SystemKit

extension PipeworkAttacher {
    /// Removes the veths of attaches cut by a `kill -9`: host ends still carrying the intent mark
    /// (`pending=PID`) of a `pipework` that no longer runs. Deleting the host end deletes the guest end, and with
    /// it the address and routes given to it; a default route the attach had replaced is put back. Returns what was
    /// done, one line each (`removed NAME`). Run by `pipework --cleanup` and before
    /// every attach, so running the cut command again completes it.
    @discardableResult
    public func removeAbandoned() throws(PipeworkError) -> [String] {
        var removed: [String] = []
        do {
            for link in try host.links() {
                guard let mark = SpliceMark(alias: link.alias), let pid = mark.pending, !Self.isPipework(pid) else {
                    continue
                }
                // The list was read before the check: a run that completed (and cleared its mark) and exited in
                // between is not abandoned. Read the mark again now that its run is known to be gone.
                guard let current = try host.link(named: link.name), current.index == link.index,
                      SpliceMark(alias: current.alias)?.pending == pid
                else { continue }
                do {
                    try host.deleteLink(link.index, name: link.name)
                    removed.append("removed \(link.name)")
                } catch where error.errno?.meansAlreadyGone == true {
                }
                if let route = mark.previousRoute, restoreRoute(route, guest: mark.guest) {
                    removed.append("restored the default route via \(route) in \(mark.guest)")
                }
            }
        } catch {
            throw PipeworkError(wrapping: error)
        }
        return removed
    }

    /// Puts back the guest's default route `GATEWAY%DEVICE` a cut attach replaced; whether it did.
    private func restoreRoute(_ route: String, guest: String) -> Bool {
        let parts = route.split(separator: "%", maxSplits: 1)
        guard parts.count == 2, let router = IPAddress(String(parts[0])),
              let reference = try? PipeworkParser.guestReference(guest),
              let namespace = try? GuestResolver().resolve(reference), let socket = try? socket(in: namespace),
              let device = try? socket.link(named: String(parts[1]))
        else { return false }
        let spec = RouteSpec(gateway: router, device: device.index, family: router.family)
        return (try? socket.replaceRoute(spec)) != nil
    }

    /// Whether `pid` is a running `pipework` (this one included): its command name is this process's (the binary
    /// may be installed under another name).
    static func isPipework(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        guard pid > 0, let theirs = try? AtomicFile.read("/proc/\(pid)/comm") else { return false }
        let ours = (try? AtomicFile.read("/proc/self/comm")) ?? Array("pipework\n".utf8)
        return theirs == ours
    }
}
