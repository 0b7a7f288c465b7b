#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Waits, after the hijack's status line, until the client has read it off its socket, before any output follows.
/// A client that reads the status line through a buffered reader and then takes the raw socket (docker-py on
/// Python 3, docker-py issue 1799) loses whatever arrived together with the head; dockerd's slower exec start hides
/// this race, Splice's fast one hit it (the soak saw `exec_run` answer an empty output with exit code 0). On a unix
/// socket the sender's `SO_MEMINFO` write allocation falls to 0 once the peer has consumed every byte sent; on TCP,
/// once it is acknowledged. The wait is bounded, so a client that never reads only delays its own output.
enum PeerReadWait {
    /// `SO_MEMINFO` (asm-generic/socket.h) and the index of `SK_MEMINFO_WMEM_ALLOC` (linux/sock_diag.h).
    private static let memInfoOption: Int32 = 55
    /// The nine `u32` counters `SO_MEMINFO` answers.
    private struct MemInfo: Sendable {
        var counters: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// Returns once the bytes written on `channel` so far have been read by the peer, or after `limit`.
    static func untilRead(_ channel: any Channel, limit: Duration = .seconds(1)) async {
        guard let provider = channel as? any SocketOptionProvider else { return }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let info: MemInfo
            do {
                info = try await provider.unsafeGetSocketOption(
                    level: NIOBSDSocket.OptionLevel(rawValue: SOL_SOCKET),
                    name: NIOBSDSocket.Option(rawValue: memInfoOption)).get()
            } catch {
                return
            }
            if info.counters.2 == 0 { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
}
