import Dispatch

/// Runs `body` over `range` split into at most `threads` contiguous chunks, the chunks on
/// separate threads (the calling thread among them), and returns when all are done.
///
/// For loops whose iterations are independent (each writes only its own outputs): the result
/// then does not depend on `threads`, so a caller stays bit-identical to its single-threaded
/// run. With `threads ≤ 1` or a range of one element, `body(range)` runs on the caller.
/// Libraries that may import only the standard library (Cleaner) get their threads here.
public func parallelFor(_ range: Range<Int>, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let parts = min(max(threads, 1), range.count)
    guard parts > 1 else {
        if !range.isEmpty { body(range) }
        return
    }
    let count = range.count, start = range.lowerBound
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let lo = start + count * part / parts, hi = start + count * (part + 1) / parts
        body(lo..<hi)
    }
}
