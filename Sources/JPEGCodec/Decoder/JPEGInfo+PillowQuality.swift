extension JPEGInfo {
    /// The Pillow (libjpeg `jpeg_set_quality`, baseline) quality 1…100 whose scaled Annex K
    /// tables equal this file's tables — luminance for the first component and, for colour
    /// files, chrominance for the second — or nil if no quality gives exactly these tables.
    /// When several qualities give the same tables, the highest is returned.
    public var pillowQuality: Int? {
        guard let first = components.first, first.quantizationTableIndex < quantizationTables.count,
              let luma = quantizationTables[first.quantizationTableIndex] else { return nil }
        var chroma: [UInt16]?
        if components.count >= 3 {
            let index = components[1].quantizationTableIndex
            guard index < quantizationTables.count, let table = quantizationTables[index] else { return nil }
            chroma = table
        }
        for quality in stride(from: 100, through: 1, by: -1) {
            guard StandardTables.scaledQuantization(StandardTables.luminanceQuantization, quality: quality) == luma else { continue }
            if let chroma, StandardTables.scaledQuantization(StandardTables.chrominanceQuantization, quality: quality) != chroma { continue }
            return quality
        }
        return nil
    }
}
