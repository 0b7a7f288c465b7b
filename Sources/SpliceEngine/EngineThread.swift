import SystemKit

/// The engine's names for SystemKit's one thread starter and one blocking-work runner (the engine's files use
/// these names; there is no second mechanism behind them).
typealias EngineThread = KernelThread
typealias BlockingWork = SystemKit.BlockingWork
