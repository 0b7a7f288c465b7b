public enum SpliceNetPlaceholder {}
