import Glibc

/// C strings and string arrays made before `fork`, so the child only reads memory and never allocates.
final class CStringArena {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var arrays: [UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>] = []

    /// A NUL-terminated copy of `text`, freed with the arena.
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let count = text.utf8.count
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: count + 1)
        var index = 0
        for byte in text.utf8 {
            pointer[index] = CChar(bitPattern: byte)
            index += 1
        }
        pointer[count] = 0
        strings.append(pointer)
        return pointer
    }

    /// A NULL-terminated array of copies of `texts`, as `execve` wants `argv` and `envp`.
    func array(_ texts: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let pointer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: texts.count + 1)
        for (index, text) in texts.enumerated() { pointer[index] = string(text) }
        pointer[texts.count] = nil
        arrays.append(pointer)
        return pointer
    }

    deinit {
        for pointer in strings { pointer.deallocate() }
        for pointer in arrays { pointer.deallocate() }
    }
}
