import CLinuxShims
import Glibc
import SystemKit

/// `splice-init -- COMMAND [ARG...]`, a container's pid 1 under `--init` (Docker's `docker-init`): starts the
/// command, forwards every signal it receives to it, reaps every process that ends in the container, and exits with
/// the command's status (128 + signal when a signal ended it). Single-threaded: all signals stay blocked and are
/// taken with `sigwaitinfo`, so a signal a pid 1 would otherwise drop (no handler) is still forwarded.
public enum MinimalInit {
    /// Where the engine mounts the init in the container, as Docker does.
    public static let containerPath = "/sbin/docker-init"

    /// Whether the ELF executable at `path` can run in any image: it exists and has no program interpreter
    /// (`PT_INTERP`, the dynamic loader an image may lack), so is statically linked.
    public static func isStaticExecutable(_ path: String) -> Bool {
        guard let bytes = try? FileDescriptor.open(path, O_RDONLY | O_CLOEXEC).readAll(), bytes.count >= 64,
              bytes[0..<4] == [0x7f, 0x45, 0x4c, 0x46], bytes[4] == 2  // ELF, 64-bit
        else { return false }
        func value(_ offset: Int, _ size: Int) -> Int {
            (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }  // little-endian
        }
        let (table, entrySize, count) = (value(32, 8), value(54, 2), value(56, 2))
        guard entrySize >= 4, table + entrySize * count <= bytes.count else { return false }
        let interpreter = 3  // PT_INTERP
        return !(0..<count).contains { value(table + $0 * entrySize, 4) == interpreter }
    }

    /// Runs the init for `command`; returns the exit status.
    public static func main(command: [String]) -> Int32 {
        guard let name = command.first, !name.isEmpty else {
            FileHandleWriter.standardError("usage: splice-init -- COMMAND [ARG...]\n")
            return 2
        }
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        sigprocmask(SIG_SETMASK, &all, &previous)
        let arena = CStringArena()
        let argv = arena.array(command)
        let file = arena.string(name)
        let child = cls_fork()
        if child < 0 {
            FileHandleWriter.standardError("splice-init: fork: \(String(cString: strerror(errno)))\n")
            return 1
        }
        if child == 0 {
            sigprocmask(SIG_SETMASK, &previous, nil)
            execvp(file, argv)
            let error = errno
            FileHandleWriter.standardError("splice-init: exec \(name) failed: \(String(cString: strerror(error)))\n")
            _exit(error == ENOENT ? 127 : 126)
        }
        while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&all, &info)
            if signal < 0 { continue }
            guard signal == SIGCHLD else {
                kill(child, signal)
                continue
            }
            var status: Int32 = 0
            while true {
                let pid = waitpid(-1, &status, WNOHANG)
                if pid <= 0 { break }
                // The kernel ends whatever else runs in the namespace once pid 1 exits.
                if pid == child {
                    let code = cls_wait_status_code(status)  // -N when signal N ended it
                    return code < 0 ? 128 - code : code
                }
            }
        }
    }
}
