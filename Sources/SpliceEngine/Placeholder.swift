/// Containers, state, events, restart policies (placeholder until the first files land).
public enum SpliceEnginePlaceholder {}
