import SystemKit

/// The engine's name for SystemKit's one thread starter (there is no second mechanism behind it).
typealias EngineThread = KernelThread
