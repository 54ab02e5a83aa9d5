import JPEGCodec

extension CleanerInput {
    /// The cleaner's view of a decoded JPEG: its pixels and, for gray and JFIF YCbCr files,
    /// every component's coefficients and quantization table (Adobe RGB and CMYK files, and
    /// files whose scans are damaged or stop early, get none, so no projection is done).
    public init(_ decoded: DecodedJPEG) {
        let planes: [CoefficientPlane]
        // A damaged or incomplete file's coefficients are not the final quantized values,
        // so they prove nothing about the original: no projection then.
        if decoded.coefficientsComplete && (decoded.colorSpace == .grayscale || decoded.colorSpace == .yCbCr) {
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
