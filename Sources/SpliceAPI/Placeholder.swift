/// Docker Engine API (placeholder until the first files land).
public enum SpliceAPIPlaceholder {}
