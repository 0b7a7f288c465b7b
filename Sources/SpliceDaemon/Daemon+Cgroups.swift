import Logging
import SpliceRuntime

extension Daemon {
    /// Turns on cgroup2's `favordynmods` (see `CgroupDynamicModifications`) and logs what it did; a failure only
    /// costs start latency, so it is logged, never fatal.
    static func favorCgroupMigrations(logger: Logger) {
        do {
            switch try CgroupDynamicModifications.favor() {
            case .enabled(let mount):
                logger.info(
                    "remounted \(mount) with favordynmods: starts wait for no RCU grace period (--cgroup-favordynmods)")
            case .alreadyEnabled(let mount):
                logger.debug("\(mount) already has favordynmods")
            case .unavailable(let reason):
                logger.info("cgroup favordynmods not used: \(reason)")
            }
        } catch {
            logger.warning("cannot remount cgroup2 with favordynmods: \(error)")
        }
    }
}
