/// The coding process a SOFn marker announces.
public enum CodingProcess: String, Sendable, Equatable {
    /// SOF0: baseline sequential DCT, Huffman coding.
    case baseline
    /// SOF1: extended sequential DCT, Huffman coding.
    case extendedSequential
    /// SOF2: progressive DCT, Huffman coding.
    case progressive
    /// SOF3: lossless, Huffman coding.
    case lossless
    /// SOF5–7: hierarchical (differential) Huffman coding.
    case hierarchical
    /// SOF9–11, SOF13–15: arithmetic coding.
    case arithmetic

    /// The process for a SOFn marker code (0xC0…0xCF without 0xC4, 0xC8, 0xCC).
    init?(marker: UInt8) {
        switch marker {
        case 0xC0: self = .baseline
        case 0xC1: self = .extendedSequential
        case 0xC2: self = .progressive
        case 0xC3: self = .lossless
        case 0xC5, 0xC6, 0xC7: self = .hierarchical
        case 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF: self = .arithmetic
        default: return nil
        }
    }
}
