/// Chooses the data of each restart interval of a scan the way libjpeg does when it reaches
/// a restart point (jdmarker.c `read_restart_marker` and `jpeg_resync_to_restart`).
///
/// The restart markers of an ``EntropySegment`` are cut out in order; at each restart point
/// the next one is examined:
/// - the expected RSTn: it is read and the interval after it starts;
/// - one of the two RSTs after the expected one (or no marker left: the segment ended at a
///   non-RST marker): it is left unread and the interval is empty, so its first MCU
///   reads zero bits and the others are skipped;
/// - one of the two RSTs before it: its data is discarded and the next marker is examined;
/// - any other RST: taken as the expected one;
/// - an invalid marker code (below 0xC0): discarded with its data.
struct RestartSynchronizer {
    /// The segment's restart markers (position of the data after each, marker number).
    let restarts: [(position: Int, number: Int)]
    /// Length of the segment's data.
    let segmentEnd: Int
    /// Index of the next restart marker not read yet.
    var next = 0
    /// The RST number expected at the next restart point.
    var expected = 0

    /// A synchronizer over `segment`'s markers.
    init(segment: EntropySegment) {
        restarts = segment.restarts
        segmentEnd = segment.count
    }

    /// Where the data of marker `i`'s interval ends: at the next marker or the segment end.
    func end(after i: Int) -> Int { i + 1 < restarts.count ? restarts[i + 1].position : segmentEnd }

    /// The data of the first interval (before any restart marker).
    var firstInterval: (start: Int, end: Int) {
        (0, restarts.isEmpty ? segmentEnd : restarts[0].position)
    }

    /// At a restart point: the data range of the next interval, whether a marker was read
    /// (libjpeg keeps its out-of-data state when it was not), and whether the expected
    /// marker was missing (libjpeg warns "found marker … instead of RSTn").
    mutating func advance() -> (start: Int, end: Int, markerRead: Bool, resynchronized: Bool) {
        let want = expected
        expected = (expected + 1) & 7
        var skipped = false
        while next < restarts.count {
            if restarts[next].number < 0 {
                next += 1  // an invalid marker code: discarded with its data
                skipped = true
                continue
            }
            let difference = (restarts[next].number - want) & 7
            switch difference {
            case 1, 2:
                return (restarts[next].position, restarts[next].position, false, true)
            case 6, 7:
                next += 1  // an earlier marker: skip its data
                skipped = true
            default:  // the expected one, or one far off taken as it
                let i = next
                next += 1
                return (restarts[i].position, end(after: i), true, skipped || difference != 0)
            }
        }
        return (segmentEnd, segmentEnd, false, true)
    }
}
