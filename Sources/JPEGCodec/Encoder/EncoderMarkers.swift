/// The marker segments of a baseline JFIF file, laid out byte for byte as libjpeg writes
/// them through Pillow (jcmarker.c):
///
///     SOI, APP0 "JFIF" 1.01 (no units, density 1×1, no thumbnail), [APP2 ICC_PROFILE…],
///     DQT per table (one segment each, in component order), SOF0 (SOF1 if a table needs
///     16 bits), DHT per table (DC then AC of each component in scan order, each table
///     once, one segment each), [DRI], SOS, entropy-coded data, EOI.
enum EncoderMarkers {
    static let soi: UInt8 = 0xD8, eoi: UInt8 = 0xD9
    static let app0: UInt8 = 0xE0, app2: UInt8 = 0xE2
    static let dqt: UInt8 = 0xDB, sof0: UInt8 = 0xC0, sof1: UInt8 = 0xC1
    static let dht: UInt8 = 0xC4, dri: UInt8 = 0xDD, sos: UInt8 = 0xDA
    static let rst0: UInt8 = 0xD0

    /// Largest ICC payload per APP2 segment (65533 − 2-byte length − 14-byte header),
    /// as in Pillow's `JpegImagePlugin`.
    static let iccChunkSize = 65519

    static func appendUInt16(_ value: Int, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Marker, then the 2-byte length of `payload` + 2, then the payload.
    static func appendSegment(_ marker: UInt8, _ payload: [UInt8], to bytes: inout [UInt8]) {
        bytes.append(0xFF)
        bytes.append(marker)
        appendUInt16(payload.count + 2, to: &bytes)
        bytes.append(contentsOf: payload)
    }

    /// SOI and the JFIF APP0 segment libjpeg writes by default.
    static func appendFileHeader(to bytes: inout [UInt8]) {
        bytes.append(0xFF)
        bytes.append(soi)
        // "JFIF\0", version 1.01, units 0 (aspect ratio only), density 1:1, no thumbnail.
        appendSegment(app0, [0x4A, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0], to: &bytes)
    }

    /// APP2 segments `"ICC_PROFILE\0", sequence number (from 1), count, data`.
    static func appendICCProfile(_ profile: [UInt8], to bytes: inout [UInt8]) {
        let count = (profile.count + iccChunkSize - 1) / iccChunkSize
        for index in 0..<count {
            let start = index * iccChunkSize
            let end = min(start + iccChunkSize, profile.count)
            var payload: [UInt8] = Array("ICC_PROFILE".utf8) + [0, UInt8(index + 1), UInt8(count)]
            payload.append(contentsOf: profile[start..<end])
            appendSegment(app2, payload, to: &bytes)
        }
    }

    /// One DQT segment: `Pq << 4 | Tq`, then 64 entries in zigzag order (8 or 16 bits).
    static func appendQuantizationTable(_ table: [UInt16], slot: Int, to bytes: inout [UInt8]) {
        let wide = table.contains { $0 > 255 }
        var payload: [UInt8] = [UInt8((wide ? 0x10 : 0) | slot)]
        for k in 0..<64 {
            let value = Int(table[StandardTables.zigzag[k]])
            if wide { payload.append(UInt8(value >> 8)) }
            payload.append(UInt8(truncatingIfNeeded: value))
        }
        appendSegment(dqt, payload, to: &bytes)
    }

    /// SOF0 (or SOF1 when `extended`): precision 8, size, then per component id,
    /// sampling factors and quantization table slot.
    static func appendFrameHeader(width: Int, height: Int, components: [EncoderComponent],
                                  extended: Bool, to bytes: inout [UInt8]) {
        var payload: [UInt8] = [8]
        appendUInt16(height, to: &payload)
        appendUInt16(width, to: &payload)
        payload.append(UInt8(components.count))
        for component in components {
            payload.append(UInt8(component.id))
            payload.append(UInt8(component.horizontalFactor << 4 | component.verticalFactor))
            payload.append(UInt8(component.quantizationSlot))
        }
        appendSegment(extended ? sof1 : sof0, payload, to: &bytes)
    }

    /// One DHT segment: `class << 4 | slot`, BITS, HUFFVAL.
    static func appendHuffmanTable(_ table: EncoderHuffmanTable, isAC: Bool, slot: Int,
                                   to bytes: inout [UInt8]) {
        var payload: [UInt8] = [UInt8((isAC ? 0x10 : 0) | slot)]
        payload.append(contentsOf: table.bits)
        payload.append(contentsOf: table.values)
        appendSegment(dht, payload, to: &bytes)
    }

    /// DRI: the restart interval in MCUs.
    static func appendRestartInterval(_ interval: Int, to bytes: inout [UInt8]) {
        var payload: [UInt8] = []
        appendUInt16(interval, to: &payload)
        appendSegment(dri, payload, to: &bytes)
    }

    /// SOS for one sequential scan over `components`: ids, table slots, Ss 0, Se 63, A 0.
    static func appendScanHeader(components: [EncoderComponent], to bytes: inout [UInt8]) {
        var payload: [UInt8] = [UInt8(components.count)]
        for component in components {
            payload.append(UInt8(component.id))
            payload.append(UInt8(component.huffmanSlot << 4 | component.huffmanSlot))
        }
        payload.append(contentsOf: [0, 63, 0])
        appendSegment(sos, payload, to: &bytes)
    }
}
