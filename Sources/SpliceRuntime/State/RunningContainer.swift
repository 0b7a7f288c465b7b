import Glibc
import SystemKit

/// A started container: its monitor and its pid 1, as host pids.
public struct RunningContainer: Codable, Sendable, Equatable {
    /// The `splice-init` monitor process (outside the container, reparented away from the engine).
    public var monitorPid: Int32
    /// The container's pid 1 as the host sees it.
    public var containerPid: Int32
    /// The state directory.
    public var stateDirectory: String

    /// Creates a record.
    public init(monitorPid: Int32, containerPid: Int32, stateDirectory: String) {
        self.monitorPid = monitorPid
        self.containerPid = containerPid
        self.stateDirectory = stateDirectory
    }

    /// Sends `signal` to the container's pid 1 (its pid namespace dies with it). Wraps `kill(2)`; a process already
    /// gone is not an error.
    public func signal(_ signal: Int32) throws(SystemError) {
        if kill(containerPid, signal) != 0, Errno.current != .noSuchProcess { throw .current("kill") }
    }
}
