/// An owned, fixed-capacity byte buffer (the inflater's output), freed when released.
/// Raw memory keeps the decoder's hot loops free of array bounds and exclusivity checks.
package final class ByteBuffer {
    /// Start of the memory.
    package let base: UnsafeMutablePointer<UInt8>
    /// Allocated bytes.
    package let capacity: Int
    /// Bytes written.
    package var count = 0

    /// Allocates `capacity` uninitialized bytes (touching none of them).
    package init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// A copy of the written bytes.
    package var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
