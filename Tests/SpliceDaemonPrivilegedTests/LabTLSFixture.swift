import Foundation
import TestSupport

/// (A copy of SpliceAPITests' TLSFixture for the daemon tests.) A scratch directory with a CA, a server
/// certificate for 127.0.0.1, a client certificate, a client signed by
/// another CA and a key that matches nothing, all made with the `openssl` CLI. Removed by `remove()`.
struct LabTLSFixture {
    let directory: String
    var ca: String { directory + "/ca.pem" }
    var serverCert: String { directory + "/server-cert.pem" }
    var serverKey: String { directory + "/server-key.pem" }
    var clientCert: String { directory + "/client-cert.pem" }
    var clientKey: String { directory + "/client-key.pem" }
    var rogueCert: String { directory + "/rogue-cert.pem" }
    var rogueKey: String { directory + "/rogue-key.pem" }
    var strayKey: String { directory + "/stray-key.pem" }

    /// Where the openssl CLI is, if installed.
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Where curl is, if installed.
    static let curl: String? = ["/usr/bin/curl", "/usr/local/bin/curl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func make() throws -> LabTLSFixture {
        let directory = NSTemporaryDirectory() + "splice-tls-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fixture = LabTLSFixture(directory: directory)
        do {
            try fixture.generate()
        } catch {
            fixture.remove()
            throw error
        }
        return fixture
    }

    private func generate() throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for (name, subject) in [("ca", "/CN=Splice test CA"), ("rogue-ca", "/CN=Someone else's CA")] {
            try openssl(["req", "-x509"] + ec + ["-keyout", "\(name)-key.pem", "-out", "\(name).pem", "-days", "2",
                         "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        try sign("server", subject: "/CN=localhost", by: "ca",
                 extensions: "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        try sign("client", subject: "/CN=client", by: "ca", extensions: "extendedKeyUsage=clientAuth\n")
        try sign("rogue", subject: "/CN=rogue", by: "rogue-ca", extensions: "extendedKeyUsage=clientAuth\n")
        try openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-out", "stray-key.pem"])
    }

    private func sign(_ name: String, subject: String, by ca: String, extensions: String) throws {
        try extensions.write(toFile: directory + "/\(name).ext", atomically: true, encoding: .utf8)
        try openssl(["req"] + ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
                    + ["-keyout", "\(name)-key.pem", "-out", "\(name).csr", "-subj", subject])
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).pem", "-CAkey", "\(ca)-key.pem",
                     "-CAcreateserial", "-out", "\(name)-cert.pem", "-days", "2", "-extfile", "\(name).ext"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try Self.run(Self.openssl ?? "openssl", arguments, directory: directory)
        guard result.status == 0 else {
            throw CommandFailure(command: "openssl " + arguments.joined(separator: " "), status: result.status,
                                 stderr: result.stderr)
        }
    }

    /// Runs a command to completion (call off the cooperative pool).
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil,
                    environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self))
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
