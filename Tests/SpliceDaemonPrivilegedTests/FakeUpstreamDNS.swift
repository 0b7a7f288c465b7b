import Foundation
import Glibc

/// A small upstream DNS server in Python for the embedded resolver's forwarding tests: it answers every A query
/// with 198.19.0.77 and every other query with an empty answer; names starting with `hangPrefix` get no answer at
/// all. Started in a namespace and stopped by its own PID.
final class FakeUpstreamDNS {
    let process = Process()

    /// The server's script, bound to `address` port 53.
    static func script(address: String, hangPrefix: String?) -> String {
        // Interpolated text keeps its own indentation: the `if` sits in the loop (4 spaces), `continue` in the if.
        let hang = hangPrefix.map { "\n    if q[13:\(13 + $0.utf8.count)] == b\"\($0)\":\n        continue" } ?? ""
        return """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("\(address)", 53))
            while True:
                q, peer = s.recvfrom(512)
                end = 12
                while q[end]:
                    end += q[end] + 1\(hang)
                question = q[12:end + 5]
                qtype = q[end + 1:end + 3]
                answer = b"\\xc0\\x0c\\x00\\x01\\x00\\x01\\x00\\x00\\x00\\x3c\\x00\\x04" + bytes([198, 19, 0, 77])
                count = b"\\x00\\x01" if qtype == b"\\x00\\x01" else b"\\x00\\x00"
                s.sendto(q[:2] + b"\\x81\\x80\\x00\\x01" + count + b"\\x00\\x00\\x00\\x00" + question
                         + (answer if count == b"\\x00\\x01" else b""), peer)
            """
    }

    /// Starts the server on `address` inside namespace `namespace` and gives it a moment to bind.
    init(namespace: String, address: String, hangPrefix: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        process.arguments = ["--net=/run/netns/\(namespace)", "/usr/bin/python3", "-c",
                             Self.script(address: address, hangPrefix: hangPrefix)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(200_000)
    }

    /// SIGKILL by its own pid (the test runner's children may have SIGTERM blocked).
    deinit { kill(process.processIdentifier, SIGKILL) }
}
