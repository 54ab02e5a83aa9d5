/// Collects the chunks of an ICC profile from APP2 "ICC_PROFILE" segments (ICC.1 B.4) and
/// joins them in sequence-number order, following libjpeg's `jpeg_read_icc_profile` rules:
/// every chunk must declare the same chunk count, and each sequence number 1…count must
/// appear exactly once; otherwise there is no profile.
struct ICCProfileAssembler {
    private var chunks: [(sequence: Int, total: Int, data: ArraySlice<UInt8>)] = []

    /// Offers an APP2 segment body; ignores segments that are not ICC chunks.
    mutating func add(_ body: ArraySlice<UInt8>) {
        let signature: [UInt8] = Array("ICC_PROFILE".utf8) + [0]
        guard body.count >= 14, Array(body.prefix(12)) == signature else { return }
        let s = body.startIndex
        chunks.append((sequence: Int(body[s + 12]), total: Int(body[s + 13]), data: body[(s + 14)...]))
    }

    /// The reassembled profile, or nil (no chunks, or an inconsistent set).
    var profile: [UInt8]? {
        guard let total = chunks.first?.total, total > 0, chunks.count == total,
              chunks.allSatisfy({ $0.total == total }) else { return nil }
        var seen = [Bool](repeating: false, count: total + 1)
        for c in chunks {
            guard c.sequence >= 1, c.sequence <= total, !seen[c.sequence] else { return nil }
            seen[c.sequence] = true
        }
        var out: [UInt8] = []
        for c in chunks.sorted(by: { $0.sequence < $1.sequence }) { out.append(contentsOf: c.data) }
        return out
    }
}
