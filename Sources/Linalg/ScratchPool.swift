import Synchronization

/// Reusable, 64-byte-aligned scratch memory for GEMM's packed panels.
///
/// Allocating a few megabytes per call costs page faults (glibc serves large blocks with fresh
/// `mmap`s) on every call; the pool keeps up to ``capacity`` freed buffers and hands the smallest
/// one that fits to the next request. Thread-safe (a `Mutex`); buffers are never shared while taken.
final class ScratchPool: Sendable {
    /// The process-wide pool GEMM uses.
    static let shared = ScratchPool()

    /// How many idle buffers are kept; beyond that the smallest are freed.
    static let capacity = 6

    /// A taken buffer: `byteCount` bytes at `pointer` (64-byte aligned).
    struct Buffer: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        let byteCount: Int
    }

    private let idle = Mutex<[Buffer]>([])

    /// Returns a buffer of at least `byteCount` bytes; give it back with ``give(_:)``.
    func take(byteCount: Int) -> Buffer {
        let reused: Buffer? = idle.withLock { list in
            var best: Int? = nil
            for (i, b) in list.enumerated() where b.byteCount >= byteCount {
                if best == nil || b.byteCount < list[best!].byteCount { best = i }
            }
            return best.map { list.remove(at: $0) }
        }
        if let reused { return reused }
        let size = max(byteCount, 64)
        return Buffer(pointer: UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64),
                      byteCount: size)
    }

    /// Returns a buffer to the pool (or frees it, or a smaller idle one, when the pool is full).
    func give(_ buffer: Buffer) {
        let evicted: Buffer? = idle.withLock { list in
            list.append(buffer)
            guard list.count > Self.capacity else { return nil }
            var smallest = 0
            for i in list.indices where list[i].byteCount < list[smallest].byteCount { smallest = i }
            return list.remove(at: smallest)
        }
        evicted?.pointer.deallocate()
    }

    /// Runs `body` with a scratch buffer of at least `byteCount` bytes.
    func withBuffer<R>(byteCount: Int, _ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let buffer = take(byteCount: byteCount)
        defer { give(buffer) }
        return try body(buffer.pointer)
    }
}
