import SpliceRuntime

extension ContainerRecord {
    /// The paths hidden from the container (`HostConfig.MaskedPaths`); nil when privileged, as dockerd reports.
    public var maskedPaths: [String]? { configuration.request.privileged ? nil : ContainerSpec.maskedPaths }
    /// The paths it sees read-only (`HostConfig.ReadonlyPaths`); nil when privileged.
    public var readOnlyPaths: [String]? { configuration.request.privileged ? nil : ContainerSpec.readOnlyPaths }
}
