import Foundation
import CLinuxShims
import Glibc
import SystemKit

/// A stand-in for a Docker-compatible engine on a unix socket that answers `GET /containers/NAME/json` with
/// the shape of the captured dockerd reply (chunked, `State.Pid`), or 404. It serves one thread, in process.
final class FakeEngine: @unchecked Sendable {
    // Invariant: `listener` is written once in init and only closed by stop(); the thread only reads it.
    let path: String
    private let listener: Int32
    private let containers: [String: Int32]

    init(containers: [String: Int32]) throws {
        self.containers = containers
        path = NSTemporaryDirectory() + "splice-engine-\(getpid())-\(UInt32.random(in: 0 ... .max)).sock"
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard var address = sockaddr_un(path: path), withSocketAddress(&address, { bind(listener, $0, $1) }) == 0,
              listen(listener, 8) == 0, KernelThread.detach({ [self] in serve() })
        else { throw CocoaError(.fileWriteUnknown) }
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(client, &buffer, buffer.count)
            let request = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            let target = request.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let name = target.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            let response: String
            if target.hasPrefix("/containers/"), let pid = containers[name] {
                let body = #"{"Id":"b3672ed9","State":{"Status":"running","Running":true,"Pid":\#(pid)},"Name":"/\#(name)"}"#
                let size = String(body.utf8.count, radix: 16)
                response = "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n\(size)\r\n\(body)\r\n0\r\n\r\n"
            } else {
                let body = #"{"message":"No such container: \#(name)"}"#
                response = "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            let out = Array(response.utf8)
            _ = out.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }
}
