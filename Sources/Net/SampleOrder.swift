/// The order in which the trainer visits examples within an epoch.
public enum ShuffleMode: Equatable, Sendable {
    /// Examples in index order (a pre-shuffled dataset streamed sequentially).
    case none
    /// A uniformly random permutation of all examples each epoch.
    case full
    /// Blocks of `size` consecutive examples in random order, each block's examples shuffled
    /// among themselves: a disk-backed dataset only needs one block at a time.
    case blocks(size: Int)
}

/// Builds each epoch's sequence of example indices.
enum SampleOrder {
    /// The epoch's indices (`count` of them).
    ///
    /// Without emphasis every example appears once. With emphasis `λ > 0`, each block (the
    /// whole set for ``ShuffleMode/full`` and ``ShuffleMode/none``) is instead filled by sampling
    /// with replacement, example `i` with probability ∝ `(1−λ)·L̄ + λ·Lᵢ`, where `Lᵢ` is its
    /// loss when last seen and `L̄` the block's mean over seen examples (unseen examples count
    /// as `L̄`): a hard example is drawn more often, and no example's chance drops to zero
    /// while `λ < 1`. With ``ShuffleMode/none`` the sampled indices are sorted.
    static func make(count: Int, mode: ShuffleMode, emphasis: Float, lastLoss: [Float],
                     rng: inout RandomGenerator) -> [Int] {
        var order = [Int]()
        order.reserveCapacity(count)
        let blockSize: Int
        switch mode {
        case .none, .full: blockSize = max(count, 1)
        case let .blocks(size): blockSize = max(1, size)
        }
        let blockCount = (count + blockSize - 1) / blockSize
        var blocks = Array(0..<blockCount)
        if case .blocks = mode { shuffle(&blocks, rng: &rng) }
        for b in blocks {
            let range = b * blockSize..<min(count, (b + 1) * blockSize)
            var part: [Int]
            if emphasis > 0 {
                part = sample(range, emphasis: emphasis, lastLoss: lastLoss, rng: &rng)
                if mode == .none { part.sort() }
            } else {
                part = Array(range)
                if mode != .none { shuffle(&part, rng: &rng) }
            }
            order.append(contentsOf: part)
        }
        return order
    }

    /// Fisher–Yates with the project's generator (the standard library's shuffle algorithm
    /// may change between Swift versions).
    static func shuffle(_ a: inout [Int], rng: inout RandomGenerator) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = rng.nextInt(below: i + 1)
            a.swapAt(i, j)
        }
    }

    private static func sample(_ range: Range<Int>, emphasis: Float, lastLoss: [Float],
                               rng: inout RandomGenerator) -> [Int] {
        var seenSum = 0.0, seen = 0
        for i in range where lastLoss[i].isFinite {
            seenSum += Double(lastLoss[i])
            seen += 1
        }
        let mean = seen > 0 ? seenSum / Double(seen) : 1
        guard mean > 0 else { return range.map { _ in range.lowerBound + rng.nextInt(below: range.count) } }
        let lambda = Double(min(1, emphasis))
        var cumulative = [Double]()
        cumulative.reserveCapacity(range.count)
        var total = 0.0
        for i in range {
            let loss = lastLoss[i].isFinite ? Double(lastLoss[i]) : mean
            total += (1 - lambda) * mean + lambda * loss
            cumulative.append(total)
        }
        return range.map { _ in
            let u = rng.nextUnitDouble() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            return range.lowerBound + lo
        }
    }
}
