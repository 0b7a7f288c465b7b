import SpliceRuntime
import struct EngineErrors.EngineError

extension CreateValidation {
    /// `--cgroup-parent`, `--blkio-weight` and `--blkio-weight-device`, as dockerd checks them: a parent without
    /// `.` or `..` levels, weights of 10 to 1000, and each weight discarded with dockerd's warning where the kernel
    /// has no block I/O weight (no CFQ or BFQ group scheduling, as here).
    static func validateCgroupOptions(_ options: inout ContainerCreateOptions) throws(EngineError) -> [String] {
        let levels = options.cgroupParent.split(separator: "/")
        if levels.contains(where: { $0 == "." || $0 == ".." }) {
            throw EngineError(.invalidArgument, "invalid cgroup parent \"\(options.cgroupParent)\": it must not"
                + " contain \".\" or \"..\"")
        }
        // The ranges are checked before the discard (dockerd discards first): a bad value is an error on every host.
        if options.blkioWeight != 0, !(10...1000).contains(options.blkioWeight) {
            throw EngineError(.invalidArgument, "Range of blkio weight is from 10 to 1000")
        }
        for device in options.deviceWeights where device.weight != 0 && !(10...1000).contains(device.weight) {
            throw EngineError(.invalidArgument, "invalid weight for device: \(device.path):\(device.weight)")
        }
        var warnings: [String] = []
        if options.blkioWeight != 0 || !options.deviceWeights.isEmpty,
           (try? CgroupHierarchy.current())?.blkioWeightUnsupportedReason != nil
        {
            if options.blkioWeight != 0 {
                warnings.append("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight"
                    + " discarded.")
                options.blkioWeight = 0
            }
            if !options.deviceWeights.isEmpty {
                warnings.append("Your kernel does not support Block I/O weight_device or the cgroup is not mounted."
                    + " Weight-device discarded.")
                options.deviceWeights = []
            }
        }
        return warnings
    }
}

extension ContainerCreateOptions {
    /// The container's cgroup parent below each hierarchy's root: `--cgroup-parent` without its leading, trailing
    /// and doubled slashes (dockerd's cgroupfs driver puts `/a/b` and `a/b` both at `<root>/a/b`), or Splice's own.
    public var cgroupParentPath: String {
        let path = cgroupParent.split(separator: "/").joined(separator: "/")
        return path.isEmpty ? ContainerCgroup.defaultParent : path
    }
}
