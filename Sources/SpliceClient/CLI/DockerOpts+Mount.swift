import DockerModels

extension DockerOpts {
    /// Parses a `--mount` value as the docker CLI does (`type=bind,source=/a,target=/b,readonly`,
    /// `bind-propagation=rshared`, `volume-nocopy`, `tmpfs-size=64m`, `tmpfs-mode=1770`); the type defaults to
    /// `volume`.
    public static func mount(_ value: String) throws(Failure) -> HostConfig.Mount {
        var mount = HostConfig.Mount(Type: "volume")
        func flag(_ key: String, _ text: String?) throws(Failure) -> Bool {
            switch text?.lowercased() {
            case nil, "1", "true": return true
            case "0", "false": return false
            default: throw Failure("invalid value for \(key): \(text ?? "")")
            }
        }
        for field in value.split(separator: ",").map(String.init) {
            let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0].lowercased()
            let text = parts.count == 2 ? parts[1] : nil
            if text == nil && !["readonly", "ro", "volume-nocopy", "bind-nonrecursive"].contains(key) {
                throw Failure("invalid field '\(field)' must be a key=value pair")
            }
            let given = text ?? ""
            switch key {
            case "type": mount.Type = given
            case "source", "src": mount.Source = given
            case "target", "dst", "destination": mount.Target = given
            case "readonly", "ro": mount.ReadOnly = try flag(key, text)
            case "consistency": mount.Consistency = given
            case "bind-propagation":
                mount.BindOptions = mount.BindOptions ?? .init()
                mount.BindOptions?.Propagation = given
            case "bind-nonrecursive":
                mount.BindOptions = mount.BindOptions ?? .init()
                mount.BindOptions?.NonRecursive = try flag(key, text)
            case "volume-nocopy":
                mount.VolumeOptions = mount.VolumeOptions ?? .init()
                mount.VolumeOptions?.NoCopy = try flag(key, text)
            case "volume-driver":
                mount.VolumeOptions = mount.VolumeOptions ?? .init()
                mount.VolumeOptions?.DriverConfig = .init(Name: given)
            case "volume-subpath":
                mount.VolumeOptions = mount.VolumeOptions ?? .init()
                mount.VolumeOptions?.Subpath = given
            case "tmpfs-size":
                mount.TmpfsOptions = mount.TmpfsOptions ?? .init()
                mount.TmpfsOptions?.SizeBytes = try ramInBytes(given)
            case "tmpfs-mode":
                guard let mode = UInt32(given, radix: 8) else { throw Failure("invalid value for \(key): \(given)") }
                mount.TmpfsOptions = mount.TmpfsOptions ?? .init()
                mount.TmpfsOptions?.Mode = mode
            default:
                throw Failure("unexpected key '\(key)' in '\(field)'")
            }
        }
        guard let target = mount.Target, !target.isEmpty else { throw Failure("target is required") }
        return mount
    }
}
