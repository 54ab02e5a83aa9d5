/// The deflate match-finder settings: how hard `Deflater` searches for repeated strings.
/// The presets `fast`, `standard` and `best` are the PNG encoder's compression levels.
package struct MatchParameters: Sendable {
    /// Candidates examined per position before giving up.
    var maxChain: Int
    /// Whether to defer a match by one byte when the next position matches longer.
    var lazy: Bool
    /// A pending match this long is taken without searching the next position.
    var lazyLimit: Int
    /// A pending match this long quarters the chain searched at the next position.
    var goodLength: Int
    /// A match this long stops the chain search.
    var niceLength: Int
    /// Matches longer than this do not insert their inner positions into the hash table
    /// (greedy mode only).
    var maxInsertLength: Int
    /// log2 of the hash table size (a smaller table stays in cache, a larger one has fewer
    /// collisions).
    var hashBits: Int = 16
    /// Lazy mode: after a block in which matches covered at least this percentage of the
    /// bytes (screenshots, drawings), the next block searches `repetitiveChain` candidates
    /// per position instead of `maxChain`. nil: always `maxChain`.
    var repetitivePercent: Int?
    /// The chain limit used after a repetitive block.
    var repetitiveChain: Int = 0
    /// Lazy mode: after a block in which matches covered less than this percentage of the
    /// bytes (photographs: noise leaves few repeats to find), the next block searches
    /// `sparseChain` candidates per position. nil: never.
    var sparsePercent: Int?
    /// The chain limit used after a sparse block.
    var sparseChain: Int = 0
    /// Matches shorter than this are taken only if their estimated bit cost is below that
    /// of their literals.
    var costCheckBelow: Int = 16
    /// Greedy mode: after this many positions in a row without a match, only every other
    /// position is searched until the next match.
    var skipAfterMisses: Int = Int.max
    /// Mask applied to the 4 bytes before hashing (0xFFFFFFFF: hash all four).
    var hashMask: UInt32
    /// Most tokens per deflate block. 65535 makes an all-literal block exactly one
    /// stored block when the data is incompressible.
    var blockTokens: Int
    /// Shortest match used. On filtered image data short matches usually cost more bits
    /// than the literals they replace (the idea behind zlib's Z_FILTERED strategy).
    /// Must be at least 4: the match finder compares the first four bytes as one word.
    var minMatch: Int

    /// The zlib header's FLG byte (RFC 1950 §2.2): FLEVEL for this effort, FCHECK to match.
    var zlibFlags: UInt8 = 0x9C

    /// Greedy matching, 4 candidates per position: fastest.
    package static let fast: MatchParameters = {
        var p = MatchParameters(hashBits: 16, maxChain: 4, lazy: false, lazyLimit: 0, goodLength: 0, niceLength: 32,
                                maxInsertLength: 8, hashMask: 0xFFFF_FFFF, blockTokens: 65535, minMatch: 5)
        p.skipAfterMisses = 16
        p.zlibFlags = 0x01
        return p
    }()

    /// Lazy matching, 16 candidates per position (128 after a highly repetitive block, 2 after
    /// a block with few matches).
    package static let standard: MatchParameters = {
        var p = MatchParameters(maxChain: 16, lazy: true, lazyLimit: 16, goodLength: 8, niceLength: 128,
                                maxInsertLength: 258, hashMask: 0xFFFF_FFFF, blockTokens: 65535, minMatch: 5)
        p.repetitivePercent = 80
        p.repetitiveChain = 128
        // A noisy photo's blocks are matched on under half their bytes: 2 candidates then
        // find about as much as 16 (six cleaned photos: −0.03 % bytes in all, −0.6 % to
        // +0.4 % each) for up to 7 % fewer instructions in a whole clean (Notes/throughput.md,
        // "Twelfth round").
        p.sparsePercent = 50
        p.sparseChain = 2
        p.zlibFlags = 0x9C
        return p
    }()

    /// Lazy matching, 512 candidates per position: smallest output.
    package static let best: MatchParameters = {
        var p = MatchParameters(maxChain: 512, lazy: true, lazyLimit: 258, goodLength: 32, niceLength: 258,
                                maxInsertLength: 258, hashMask: 0xFFFF_FFFF, blockTokens: 65535, minMatch: 5)
        p.zlibFlags = 0xDA
        return p
    }()

    init(hashBits: Int = 16, maxChain: Int, lazy: Bool, lazyLimit: Int, goodLength: Int, niceLength: Int,
         maxInsertLength: Int, hashMask: UInt32, blockTokens: Int, minMatch: Int) {
        self.minMatch = minMatch
        self.hashBits = hashBits
        self.maxChain = maxChain
        self.lazy = lazy
        self.lazyLimit = lazyLimit
        self.goodLength = goodLength
        self.niceLength = niceLength
        self.maxInsertLength = maxInsertLength
        self.hashMask = hashMask
        self.blockTokens = blockTokens
    }
}
