import JPEGCodec

extension CleanerInput {
    /// The cleaner's view of a decoded JPEG: its pixels and, for gray and JFIF YCbCr files,
    /// every component's coefficients and quantization table (Adobe RGB files get none, so
    /// no projection is done for them).
    public init(_ decoded: DecodedJPEG) {
        let planes: [CoefficientPlane]
        if decoded.colorSpace == .grayscale || decoded.colorSpace == .yCbCr {
            planes = decoded.components.map { component in
                CoefficientPlane(blocksWide: component.widthInBlocks, blocksHigh: component.heightInBlocks,
                                 coefficients: component.coefficients,
                                 // A DQT may legally hold 0; the bins need a step of at least 1.
                                 quantization: component.quantizationTable.map { max($0, 1) },
                                 horizontalSampling: component.horizontalSampling,
                                 verticalSampling: component.verticalSampling)
            }
        } else {
            planes = []
        }
        self.init(image: decoded.image, components: planes)
    }
}
