/// Container runtime (placeholder until the first files land).
public enum SpliceRuntimePlaceholder {}
