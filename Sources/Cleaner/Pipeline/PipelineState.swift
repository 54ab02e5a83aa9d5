import JPEGCodec

/// What the stages of a ``Pipeline`` work on: the decoded file (pixels, coefficients, tables)
/// and the current estimate of the clean image on the 8-bit scale, unrounded.
///
/// The estimate is held as pixels (gray or RGB, as the network produces them; 8-bit while it
/// is the decode or a prior's rounded output) or as the file's component planes at full
/// resolution (Y or Y, Cb, Cr, as the DCT-domain stages need them); each stage asks for the
/// form it works in and the state converts only when the form changes, always with the same
/// conversions, so a pipeline's output does not depend on how its stages are grouped.
public struct PipelineState: Sendable {
    /// The decode and its coefficients.
    public let input: CleanerInput

    enum Estimate: Sendable {
        /// The plain decode (`input.image`), as at the start.
        case decode
        /// Gray or RGB samples rounded to 8 bits (a prior's output): kept as they are, so no
        /// stage pays to convert them to `Float` and back when the next one reads them rounded
        /// (the network).
        case raster(RasterImage)
        /// Gray or RGB samples, interleaved.
        case pixels(FloatImage)
        /// Y (gray) or Y, Cb, Cr planes (JFIF conversion of RGB).
        case planes([Plane])
        /// Moved out by ``takePixels()`` or ``takePlanes()``: the stage that took it hands it
        /// back with ``setPixels(_:)`` or ``setPlanes(_:)`` before it returns.
        case taken
    }

    var estimate: Estimate
    private var cachedReferenceLuma: Plane?
    private var cachedLowReference: [Plane?]?
    private var cachedEdges: [Bool]?
    private var cachedKeys: [UInt32]?
    /// Threads the conversions between forms may use (≥ 1; ``Pipeline/run(_:context:)`` sets
    /// the context's): they go row by row, so the values do not depend on it.
    public var threads: Int

    /// The plain decode as the first estimate.
    public init(_ input: CleanerInput, threads: Int = 1) {
        self.input = input
        self.threads = max(threads, 1)
        estimate = .decode
    }

    /// Width, height and channels of the image.
    public var width: Int { input.image.width }
    public var height: Int { input.image.height }
    public var channels: Int { input.image.channels }

    /// Whether the file's coefficients can be used: one component per channel (gray or JFIF
    /// YCbCr, complete scans); otherwise the DCT-domain stages leave the estimate alone.
    public var hasUsableCoefficients: Bool {
        !input.components.isEmpty && input.components.count == channels
    }

    /// Whether the file's luma coefficients are usable and cover the image at full resolution:
    /// what the stages that work on luma blocks (smoothing, the white point's and the
    /// palette's checks of the bins) need.
    public var hasFullResolutionLuma: Bool {
        guard hasUsableCoefficients, let f = factors.first ?? nil else { return false }
        return f.x == 1 && f.y == 1
    }

    /// The subsampling factors of each component relative to the image, or nil for a
    /// component whose ratio is not a whole number or whose blocks do not cover the image
    /// (left as estimated).
    public var factors: [(x: Int, y: Int)?] {
        let comps = input.components
        guard let maxH = comps.map(\.horizontalSampling).max(), let maxV = comps.map(\.verticalSampling).max() else { return [] }
        return comps.map { c in
            guard maxH % c.horizontalSampling == 0, maxV % c.verticalSampling == 0 else { return nil }
            let fx = maxH / c.horizontalSampling, fy = maxV / c.verticalSampling
            let cw = (width + fx - 1) / fx, ch = (height + fy - 1) / fy
            guard c.blocksWide * 8 >= cw, c.blocksHigh * 8 >= ch else { return nil }
            return (fx, fy)
        }
    }

    /// The plain decode in component planes (Y, or Y, Cb, Cr at full resolution): what "keep
    /// the decode feasible" widens the bins to contain. Made afresh on each call (the prior's
    /// one use); what later stages need of it is kept in smaller forms — the luma as it is
    /// (``referenceLuma()``) and each component reduced to its own grid for its bins
    /// (``lowReferences()``) — since three full planes held for the whole clean were the
    /// largest part of its footprint after the decode (`Notes/throughput.md`, nineteenth round).
    public mutating func reference() -> [Plane] {
        let planes = ColourConversion.ycbcrPlanes(of: input.image, threads: threads)
        keepReference(planes)
        return planes
    }

    /// The plain decode's luma (or gray) plane at full resolution (computed once).
    public mutating func referenceLuma() -> Plane {
        if let cachedReferenceLuma { return cachedReferenceLuma }
        return reference()[0]
    }

    /// Each chroma component of the plain decode reduced to its own grid and padded to whole
    /// blocks, as ``DCTProjection/Bins`` widen its bins with it (computed once); nil for the
    /// luma (whose bins take ``referenceLuma()``) and for a component whose blocks do not cover
    /// the image (``factors``).
    mutating func lowReferences() -> [Plane?] {
        if cachedLowReference == nil { _ = reference() }
        return cachedLowReference ?? []
    }

    /// Keeps the luma of `planes` (the decode's) and every component reduced for its bins.
    private mutating func keepReference(_ planes: [Plane]) {
        if cachedReferenceLuma == nil { cachedReferenceLuma = planes[0] }
        guard cachedLowReference == nil else { return }
        let factors = self.factors
        cachedLowReference = planes.indices.map { i in
            guard i > 0, i < factors.count, let f = factors[i] else { return nil }
            return DCTProjection.Bins.lowReference(of: planes[i], width: width, height: height,
                                                   factorX: f.x, factorY: f.y, threads: threads)
        }
    }

    /// The pixels of the plain decode that differ from a neighbour (``BinaryMask/edges(of:threads:)``),
    /// computed once for the stages that look for its flat areas.
    public mutating func decodeEdges() -> [Bool] {
        if let cachedEdges { return cachedEdges }
        let edges = BinaryMask.edges(keys: decodeKeys(), width: input.image.width, height: input.image.height,
                                     threads: threads)
        cachedEdges = edges
        return edges
    }

    /// Each pixel of the plain decode as one number (``BinaryMask/pixelKeys(of:threads:)``),
    /// computed once for the stages that compare its pixels.
    public mutating func decodeKeys() -> [UInt32] {
        if let cachedKeys { return cachedKeys }
        let keys = BinaryMask.pixelKeys(of: input.image, threads: threads)
        cachedKeys = keys
        return keys
    }

    /// The estimate as pixels (gray or RGB).
    public func pixels() -> FloatImage {
        switch estimate {
        case .decode: return FloatImage(input.image, normalization: .identity, threads: threads)
        case .raster(let image): return FloatImage(image, normalization: .identity, threads: threads)
        case .pixels(let image): return image
        case .taken: preconditionFailure(Self.takenMessage)
        case .planes(let planes):
            if planes.count == 3 {
                return ColourConversion.rgbImage(y: planes[0], cb: planes[1], cr: planes[2], threads: threads)
            }
            return FloatImage(planes: planes, threads: threads)
        }
    }

    /// The estimate as pixels, moved out of the state for a stage that changes them and hands
    /// them back with ``setPixels(_:)``: with no second reference left in the state the stage
    /// writes them in place, where ``pixels()`` would let its first write copy the whole image.
    public mutating func takePixels() -> FloatImage {
        let result: FloatImage
        if case .pixels(let image) = estimate { result = image } else { result = pixels() }
        estimate = .taken
        return result
    }

    /// The estimate as component planes, moved out of the state for a stage that changes them
    /// and hands them back with ``setPlanes(_:)`` (see ``takePixels()``). A pixel form the
    /// planes are converted from is released here, before the stage allocates its own buffers:
    /// the footprint, not only the time, is what a large image costs on a machine whose first
    /// touches of memory are slow (`Notes/throughput.md`, nineteenth round).
    public mutating func takePlanes() -> [Plane] {
        let result: [Plane]
        if case .planes(let planes) = estimate { result = planes } else { result = planes() }
        estimate = .taken
        return result
    }

    static let takenMessage = "a stage took the estimate and did not hand it back"

    /// Replaces the estimate with pixels.
    public mutating func setPixels(_ image: FloatImage) {
        precondition(image.width == width && image.height == height && image.channels == channels,
                     "the estimate keeps the image's shape")
        estimate = .pixels(image)
    }

    /// Replaces the estimate with pixels rounded to 8 bits (exactly these values).
    public mutating func setPixels(_ image: RasterImage) {
        precondition(image.width == width && image.height == height && image.channels == channels,
                     "the estimate keeps the image's shape")
        estimate = .raster(image)
    }

    /// The estimate as component planes (Y, or Y, Cb, Cr at full resolution).
    public func planes() -> [Plane] {
        switch estimate {
        case .planes(let planes): return planes
        case .taken: preconditionFailure(Self.takenMessage)
        case .decode:
            return ColourConversion.ycbcrPlanes(of: input.image, threads: threads)
        case .raster(let image):
            return ColourConversion.ycbcrPlanes(of: image, threads: threads)
        case .pixels(let image):
            return ColourConversion.ycbcrPlanes(of: image, threads: threads)
        }
    }

    /// Replaces the estimate with component planes.
    public mutating func setPlanes(_ planes: [Plane]) {
        precondition(planes.count == channels && planes.allSatisfy { $0.width == width && $0.height == height },
                     "one full-size plane per channel")
        estimate = .planes(planes)
    }

    /// The estimate rounded to 8 bits (halves up) and clamped to 0…255, from the form it is in.
    public func rasterImage() -> RasterImage {
        switch estimate {
        case .decode: return input.image
        case .raster(let image): return image
        case .pixels(let image): return image.rasterImage(threads: threads)
        case .taken: preconditionFailure(Self.takenMessage)
        case .planes(let planes):
            return planes.count == 3 ? ColourConversion.rasterImage(y: planes[0], cb: planes[1], cr: planes[2], threads: threads)
                                     : ColourConversion.rasterImage(channels: planes, threads: threads)
        }
    }
}
