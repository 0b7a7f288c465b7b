extension DeviceRule {
    /// Docker's default device rules: deny everything, then allow mknod of any c/b device and the usual nodes
    /// (null, zero, full, random, urandom, tty, console, ptmx, pts).
    public static let dockerDefaults: [DeviceRule] = [
        DeviceRule(allow: false, kind: .all, major: nil, minor: nil),
        DeviceRule(kind: .character, major: nil, minor: nil, permissions: "m"),
        DeviceRule(kind: .block, major: nil, minor: nil, permissions: "m"),
        DeviceRule(kind: .character, major: 1, minor: 3, hostPath: "/dev/null", containerPath: "/dev/null"),
        DeviceRule(kind: .character, major: 1, minor: 5, hostPath: "/dev/zero", containerPath: "/dev/zero"),
        DeviceRule(kind: .character, major: 1, minor: 7, hostPath: "/dev/full", containerPath: "/dev/full"),
        DeviceRule(kind: .character, major: 1, minor: 8, hostPath: "/dev/random", containerPath: "/dev/random"),
        DeviceRule(kind: .character, major: 1, minor: 9, hostPath: "/dev/urandom", containerPath: "/dev/urandom"),
        DeviceRule(kind: .character, major: 5, minor: 0, hostPath: "/dev/tty", containerPath: "/dev/tty"),
        DeviceRule(kind: .character, major: 5, minor: 1, hostPath: "/dev/console", containerPath: "/dev/console"),
        DeviceRule(kind: .character, major: 5, minor: 2, hostPath: "/dev/ptmx", containerPath: "/dev/ptmx"),
        DeviceRule(kind: .character, major: 136, minor: nil, hostPath: nil, containerPath: nil),
    ]
}
