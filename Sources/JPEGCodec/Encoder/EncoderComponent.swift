/// One component of the frame being encoded, with its geometry in blocks.
struct EncoderComponent: Sendable {
    /// Component identifier written in SOF/SOS (1, 2, 3 as libjpeg numbers them).
    var id: Int
    /// Sampling factors (luma 1 or 2, chroma 1).
    var horizontalFactor: Int
    var verticalFactor: Int
    /// DQT slot used (0 luma, 1 chroma unless one table is shared).
    var quantizationSlot: Int
    /// DHT slot used for both DC and AC (0 luma, 1 chroma).
    var huffmanSlot: Int
    /// Size of the component in samples: `⌈imageSize · factor / maxFactor⌉`.
    var width: Int
    var height: Int
    /// Blocks holding samples: `⌈width / 8⌉ × ⌈height / 8⌉`.
    var widthInBlocks: Int
    var heightInBlocks: Int
    /// Blocks after padding to whole MCUs (dummy blocks beyond the real ones).
    var gridWidth: Int
    var gridHeight: Int
}
