import SpliceAPI
import SpliceEngine
import struct EngineErrors.EngineError

extension MountOption {
    /// The engine's mount from a `HostConfig.Mounts` entry, with dockerd's errors for a malformed one (a bind
    /// source that does not exist is checked at create).
    init(_ mount: HostConfig.Mount) throws(EngineError) {
        let type = mount.Type ?? ""
        func invalid(_ reason: String) -> EngineError {
            EngineError(.invalidArgument, "invalid mount config for type \"\(type)\": \(reason)")
        }
        guard let kind = Kind(rawValue: type) else { throw invalid("mount type unknown") }
        let target = mount.Target ?? ""
        guard !target.isEmpty else { throw invalid("field Target must not be empty") }
        guard target.hasPrefix("/") else {
            throw invalid("invalid mount path: '\(target)' mount path must be absolute")
        }
        let source = mount.Source ?? ""
        if kind != .bind && mount.BindOptions != nil { throw invalid("field BindOptions must not be specified") }
        if kind != .volume && mount.VolumeOptions != nil { throw invalid("field VolumeOptions must not be specified") }
        if kind != .tmpfs && mount.TmpfsOptions != nil { throw invalid("field TmpfsOptions must not be specified") }
        switch kind {
        case .bind where source.isEmpty: throw invalid("field Source must not be empty")
        case .bind where !source.hasPrefix("/"):
            throw invalid("invalid mount path: '\(source)' mount path must be absolute")
        case .tmpfs where !source.isEmpty: throw invalid("field Source must not be specified")
        default: break
        }
        // Options spliced cannot honour are refused rather than dropped.
        if mount.BindOptions?.NonRecursive == true { throw invalid("bind-nonrecursive is not supported by spliced") }
        if let subpath = mount.VolumeOptions?.Subpath, !subpath.isEmpty {
            throw invalid("volume-subpath is not supported by spliced")
        }
        if let driver = mount.VolumeOptions?.DriverConfig?.Name, !driver.isEmpty, driver != "local" {
            throw invalid("volume driver \"\(driver)\" is not supported by spliced (local is)")
        }
        let propagation = mount.BindOptions?.Propagation ?? ""
        guard propagation.isEmpty || ["private", "rprivate", "shared", "rshared", "slave", "rslave"]
            .contains(propagation) else { throw invalid("invalid propagation mode: \(propagation)") }
        let size = mount.TmpfsOptions?.SizeBytes ?? 0
        guard size >= 0 else { throw invalid("invalid tmpfs size: \(size)") }
        self.init(kind: kind, source: source, target: target, readOnly: mount.ReadOnly ?? false,
                  propagation: propagation, noCopy: mount.VolumeOptions?.NoCopy ?? false, tmpfsSize: size,
                  tmpfsMode: mount.TmpfsOptions?.Mode.flatMap { $0 == 0 ? nil : $0 })
    }

    /// The entry as inspect's `HostConfig.Mounts` shows it.
    var docker: HostConfig.Mount {
        var mount = HostConfig.Mount(Type: kind.rawValue, Source: source.isEmpty ? nil : source, Target: target,
                                     ReadOnly: readOnly ? true : nil)
        if kind == .bind && !propagation.isEmpty { mount.BindOptions = .init(Propagation: propagation) }
        if kind == .volume && noCopy { mount.VolumeOptions = .init(NoCopy: true) }
        if kind == .tmpfs && (tmpfsSize > 0 || tmpfsMode != nil) {
            mount.TmpfsOptions = .init(SizeBytes: tmpfsSize > 0 ? tmpfsSize : nil, Mode: tmpfsMode)
        }
        return mount
    }
}
