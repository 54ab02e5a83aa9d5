import Dispatch
import Synchronization

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

/// Runs `body(i)` for every `i` in `0..<count` on at most `threads` threads (the calling
/// thread among them), handing out the indices one at a time in increasing order to whichever
/// thread is free, and returns when all are done.
///
/// For work items of uneven cost (bands of an image whose content varies): a thread that
/// drew cheap items takes more of them, where ``parallelFor(_:threads:_:)``'s fixed chunks
/// would leave it idle. As there, each call must write only its own outputs for the result
/// not to depend on `threads`. With `threads ≤ 1` or one item, everything runs on the caller.
public func parallelForEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    parallelForEach(count, threads: threads) { _, i in body(i) }
}

/// ``parallelForEach(_:threads:_:)`` that also tells `body` which of the `threads` workers
/// (`0..<threads`, each on its own thread; 0 alone when everything runs on the caller) runs
/// item `i`, for items that need a per-worker scratch (a network's workspace). Which worker
/// takes which item varies from run to run, so the result must not depend on it.
public func parallelForEach(_ count: Int, threads: Int, _ body: @Sendable (_ worker: Int, _ index: Int) -> Void) {
    let workers = min(max(threads, 1), count)
    guard workers > 1 else {
        for i in 0..<max(count, 0) { body(0, i) }
        return
    }
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(worker, i)
        }
    }
}
