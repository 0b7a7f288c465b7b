import Glibc
import struct EngineErrors.EngineError

/// Signals as users type them (`SIGTERM`, `term`, `15`, `RTMIN+3`), parsed as moby's `signal.ParseSignal` does.
public enum SignalName {
    /// The Linux signal names without `SIG`.
    static let table: [String: Int32] = [
        "ABRT": SIGABRT, "ALRM": SIGALRM, "BUS": SIGBUS, "CHLD": SIGCHLD, "CLD": SIGCHLD, "CONT": SIGCONT,
        "FPE": SIGFPE, "HUP": SIGHUP, "ILL": SIGILL, "INT": SIGINT, "IO": SIGIO, "IOT": SIGABRT, "KILL": SIGKILL,
        "PIPE": SIGPIPE, "POLL": SIGIO, "PROF": SIGPROF, "PWR": SIGPWR, "QUIT": SIGQUIT, "SEGV": SIGSEGV,
        "STKFLT": SIGSTKFLT, "STOP": SIGSTOP, "SYS": SIGSYS, "TERM": SIGTERM, "TRAP": SIGTRAP, "TSTP": SIGTSTP,
        "TTIN": SIGTTIN, "TTOU": SIGTTOU, "URG": SIGURG, "USR1": SIGUSR1, "USR2": SIGUSR2, "VTALRM": SIGVTALRM,
        "WINCH": SIGWINCH, "XCPU": SIGXCPU, "XFSZ": SIGXFSZ,
    ]

    /// The number of `text`: a number 1…64, a name with or without `SIG` (any case), or `RTMIN+n`/`RTMAX-n`.
    public static func number(_ text: String) throws(EngineError) -> Int32 {
        let invalid = EngineError(.invalidArgument, "Invalid signal: \(text)")
        if let number = Int32(text) {
            guard (1...64).contains(number) else { throw invalid }
            return number
        }
        var name = text.uppercased()
        if name.hasPrefix("SIG") { name = String(name.dropFirst(3)) }
        if let number = table[name] { return number }
        for (prefix, base, sign) in [("RTMIN", Int32(34), Int32(1)), ("RTMAX", Int32(64), Int32(-1))]
        where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if rest.isEmpty { return base }
            guard rest.first == (sign > 0 ? "+" : "-"), let offset = Int32(rest.dropFirst()), (0...30).contains(offset)
            else { throw invalid }
            return base + sign * offset
        }
        throw invalid
    }
}
