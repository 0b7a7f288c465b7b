import Foundation

extension HostEngine {
    /// The client URLs of the host's cluster store (`etcd://A:2379,B:2379` gives `http://A:2379`, ...).
    var storeURLs: [String] {
        guard let store = host.clusterStore, store.hasPrefix("etcd://") else { return [] }
        return store.dropFirst("etcd://".count).split(separator: ",").map { "http://\($0)" }
    }

    /// POSTs `body` to etcd's JSON gateway at `path`, from the host's namespace, trying each member of the store
    /// until one answers; returns the decoded answer.
    func storeRequest(_ path: String, body: [String: String]) throws(LabError) -> [String: Any] {
        let payload = (try? JSONSerialization.data(withJSONObject: body)).map { String(decoding: $0, as: UTF8.self) }
        var last = Shell.Result(status: 1, stdout: "", stderr: "host \(host.name) has no cluster store")
        for url in storeURLs {
            last = Shell.run(
                Shell.inNamespace(
                    "/run/netns/\(host.namespace)",
                    ["curl", "-s", "-m", "2", "-X", "POST", "-d", payload ?? "{}", url + path]))
            guard last.status == 0 else { continue }
            if let data = last.stdout.data(using: .utf8),
                let answer = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                return answer
            }
        }
        throw .command(CommandFailure(command: ["curl", "-X", "POST"] + storeURLs.map { $0 + path },
                                      status: last.status, output: last.message))
    }

    /// The ID of the lease the store keeps the host's record under, or nil when the store has no record of it.
    /// The record is found by the host's uplink address, which spliced advertises (its name in the store is the
    /// machine's hostname and that address).
    func storeLease() throws(LabError) -> String? {
        let prefix = "/splice/v1/hosts/"
        let end = String(prefix.dropLast()) + "0"
        let answer = try storeRequest(
            "/v3/kv/range",
            body: ["key": Data(prefix.utf8).base64EncodedString(), "range_end": Data(end.utf8).base64EncodedString()])
        let address = host.uplink.split(separator: "/").first.map(String.init) ?? host.uplink
        for record in answer["kvs"] as? [[String: Any]] ?? [] {
            guard let value = (record["value"] as? String).flatMap({ Data(base64Encoded: $0) }),
                let fields = try? JSONSerialization.jsonObject(with: value) as? [String: Any],
                fields["address"] as? String == address
            else { continue }
            return record["lease"] as? String
        }
        return nil
    }

    /// Revokes lease `id`: the host's record and its endpoints leave the store at once, so the other hosts see
    /// it gone without waiting for the lease to expire. Returns false when the lease was gone already.
    func revokeLease(_ id: String) throws(LabError) -> Bool {
        let answer = try storeRequest("/v3/lease/revoke", body: ["ID": id])
        guard let error = answer["error"] as? String ?? answer["message"] as? String else { return true }
        if error.contains("lease not found") { return false }
        throw .engine(host: host.name, step: "revoke lease \(id)", status: 1, output: error)
    }
}
