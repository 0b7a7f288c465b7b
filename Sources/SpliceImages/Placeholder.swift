/// OCI image store (placeholder until the first files land).
public enum SpliceImagesPlaceholder {}
