/// An owned, fixed-capacity byte buffer (the inflater's output), freed when released.
/// Raw memory keeps the decoder's hot loops free of array bounds and exclusivity checks.
final class ByteBuffer {
    /// Start of the memory.
    let base: UnsafeMutablePointer<UInt8>
    /// Allocated bytes.
    let capacity: Int
    /// Bytes written.
    var count = 0

    /// Allocates `capacity` uninitialized bytes (touching none of them).
    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// A copy of the written bytes.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
