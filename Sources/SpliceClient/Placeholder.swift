/// The client side of the Engine API for `splice` (placeholder until the first files land).
public enum SpliceClientPlaceholder {}
