/// The daemon: the Engine API served over SpliceEngine (placeholder until the first files land).
public enum SpliceDaemonPlaceholder {}
