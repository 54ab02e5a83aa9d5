/// How one component is brought to full resolution — the choice libjpeg-turbo's
/// `jinit_upsampler` (jdsample.c) makes with its default "fancy" upsampling:
/// - the same size as the largest factors: no work;
/// - half width: the h2v1 triangle filter (box filter when the component is ≤ 2 samples wide);
/// - half height: the h1v2 triangle filter;
/// - half width and height: the h2v2 triangle filter (box filter when ≤ 2 samples wide);
/// - any other integer ratio: replication (`int_upsample`);
/// - non-integer ratios: libjpeg refuses them, and so do we.
enum UpsamplingMethod: Equatable, Sendable {
    case fullSize
    case h2v1Fancy
    case h1v2Fancy
    case h2v2Fancy
    /// Replicate each sample `h` times across and `v` times down.
    case box(h: Int, v: Int)

    /// The method for component `c` of `frame`, or nil for a non-integer ratio.
    static func choose(frame: FrameHeader, component c: Int) -> UpsamplingMethod? {
        let h = frame.components[c].horizontalSampling, v = frame.components[c].verticalSampling
        let hmax = frame.maxHorizontalSampling, vmax = frame.maxVerticalSampling
        let narrow = frame.sampleWidth(of: c) <= 2
        if h == hmax && v == vmax { return .fullSize }
        if h * 2 == hmax && v == vmax { return narrow ? .box(h: 2, v: 1) : .h2v1Fancy }
        if h == hmax && v * 2 == vmax { return .h1v2Fancy }
        if h * 2 == hmax && v * 2 == vmax { return narrow ? .box(h: 2, v: 2) : .h2v2Fancy }
        if hmax % h == 0 && vmax % v == 0 { return .box(h: hmax / h, v: vmax / v) }
        return nil
    }
}
