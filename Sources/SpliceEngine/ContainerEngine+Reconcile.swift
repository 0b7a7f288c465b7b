import Glibc
import SpliceRuntime

extension ContainerEngine {
    /// Matches the records with what is alive after a daemon (re)start: a live monitor keeps its container
    /// running (and watched); a dead one turns it exited with the status in `exit.json` and releases its network;
    /// auto-remove containers that ended meanwhile are removed.
    func reconcile() async {
        for (id, record) in records {
            switch record.state.status {
            case .running:
                let directory = runDirectory(of: id)
                let monitor = record.state.monitorPid
                if ContainerRuntime.status(stateDirectory: directory) == nil, monitor > 0, Glibc.kill(monitor, 0) == 0 {
                    watch(id: id, running: RunningContainer(monitorPid: monitor, containerPid: record.state.pid,
                                                            stateDirectory: directory))
                } else {
                    let exit = ContainerRuntime.status(stateDirectory: directory)
                        ?? ContainerExit(exitCode: 255, finishedAt: JSONLogLine.now(),
                                         error: "the container ended while the daemon was down")
                    await handleExit(id: id, exit: exit)
                }
            case .removing:
                removeNow(id)
            case .created, .exited, .dead:
                if record.configuration.request.autoRemove && record.state.status == .exited { removeNow(id) }
            }
        }
    }
}
