/// The `/etc/hostname`, `/etc/hosts` and `/etc/resolv.conf` a container gets, rendered as Docker renders them.
public enum EtcFiles {
    /// `/etc/hostname`: the name and a newline.
    public static func hostname(_ name: String) -> String { name + "\n" }

    /// `/etc/hosts`: Docker's standard lines, then `entries`.
    public static func hosts(_ entries: [HostsEntry]) -> String {
        var text = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters

            """
        for entry in entries { text += "\(entry.address)\t\(entry.names.joined(separator: " "))\n" }
        return text
    }

    /// `/etc/resolv.conf` from `dns`.
    public static func resolvConf(_ dns: DNSConfig) -> String {
        var text = ""
        for server in dns.nameservers { text += "nameserver \(server)\n" }
        if !dns.searches.isEmpty { text += "search \(dns.searches.joined(separator: " "))\n" }
        if !dns.options.isEmpty { text += "options \(dns.options.joined(separator: " "))\n" }
        return text
    }
}
