#if canImport(Glibc)
import Glibc
#endif

/// A terminal put in raw mode, remembering the settings to restore (moby/term `SetRawTerminal`).
public final class TerminalMode {
    /// The terminal's file descriptor.
    public let fd: Int32
    private var saved: termios
    private var restored = false

    /// Puts `fd` in raw mode (`cfmakeraw`: no echo, no line editing, no signals from keys, no output processing);
    /// nil when `fd` is not a terminal.
    public init?(rawOn fd: Int32) {
        var current = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &current) == 0 else { return nil }
        self.fd = fd
        saved = current
        var raw = current
        cfmakeraw(&raw)
        withUnsafeMutableBytes(of: &raw.c_cc) { bytes in
            bytes[Int(VMIN)] = 1
            bytes[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
    }

    deinit { restore() }

    /// Restores the saved settings (idempotent).
    public func restore() {
        guard !restored else { return }
        restored = true
        _ = tcsetattr(fd, TCSANOW, &saved)
    }

    /// Whether `fd` refers to a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// `[rows, columns]` of the terminal on `fd` (`TIOCGWINSZ`); nil when unknown or zero.
    public static func size(of fd: Int32) -> [Int]? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return nil }
        return [Int(size.ws_row), Int(size.ws_col)]
    }
}
