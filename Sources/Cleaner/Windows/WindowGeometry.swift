/// The shape of the sliding windows: `windowSize × windowSize` inputs whose central
/// `coreSize × coreSize` blocks tile the image at `stride`.
///
/// Window `(i, j)` has its top-left corner at `(i·stride − margin, j·stride − margin)` with
/// `margin = (windowSize − coreSize) / 2`, so its central block starts at `(i·stride,
/// j·stride)`: with `coreSize = stride = 8` the central blocks are exactly the JPEG 8×8
/// blocks. There are `max(1, ⌈(width − coreSize) / stride⌉ + 1)` window columns, enough for
/// the central blocks to cover every pixel; samples outside the image are mirrored
/// (``Windows/mirror(_:count:)``), so any image size works, even one smaller than a window.
public struct WindowGeometry: Equatable, Sendable {
    /// Side of a (square) input window, e.g. 24.
    public var windowSize: Int
    /// Side of the central block each window is responsible for, e.g. 8.
    public var coreSize: Int
    /// Distance between neighbouring windows, 1…`coreSize`, e.g. 8.
    public var stride: Int

    /// A geometry; `windowSize − coreSize` must be even and ≥ 0, `1 ≤ stride ≤ coreSize`.
    public init(windowSize: Int = 24, coreSize: Int = 8, stride: Int = 8) {
        precondition(coreSize >= 1 && windowSize >= coreSize && (windowSize - coreSize) % 2 == 0,
                     "the central block must sit in the middle of the window")
        precondition(stride >= 1 && stride <= coreSize, "stride must be 1…coreSize")
        self.windowSize = windowSize
        self.coreSize = coreSize
        self.stride = stride
    }

    /// `(windowSize − coreSize) / 2`: the context on each side of the central block.
    public var margin: Int { (windowSize - coreSize) / 2 }

    /// The window positions for an image of `width × height` pixels (both ≥ 1).
    public func grid(width: Int, height: Int) -> WindowGrid {
        WindowGrid(geometry: self, width: width, height: height)
    }
}

/// All the window positions over one image, numbered row-major (`index = row · columns +
/// column`).
public struct WindowGrid: Equatable, Sendable {
    /// The window shape.
    public let geometry: WindowGeometry
    /// Image width in pixels.
    public let width: Int
    /// Image height in pixels.
    public let height: Int
    /// Windows per row.
    public let columns: Int
    /// Rows of windows.
    public let rows: Int

    /// The grid for `geometry` over a `width × height` image (both ≥ 1).
    public init(geometry: WindowGeometry, width: Int, height: Int) {
        precondition(width >= 1 && height >= 1, "an image has at least one pixel")
        func count(_ n: Int) -> Int {
            n <= geometry.coreSize ? 1
                : (n - geometry.coreSize + geometry.stride - 1) / geometry.stride + 1
        }
        self.geometry = geometry
        self.width = width
        self.height = height
        columns = count(width)
        rows = count(height)
    }

    /// Number of windows.
    public var count: Int { columns * rows }

    /// Top-left corner of window `index` in image coordinates (may be negative or reach past
    /// the image; those samples are mirrored).
    public func origin(ofWindow index: Int) -> (x: Int, y: Int) {
        let s = geometry.stride, m = geometry.margin
        return ((index % columns) * s - m, (index / columns) * s - m)
    }
}

/// What a model returns per window.
public enum WindowOutput: Equatable, Sendable {
    /// The central `coreSize × coreSize` block (placed at the window's origin + margin).
    case centralBlock
    /// The whole `windowSize × windowSize` window (placed at the window's origin).
    case fullWindow

    /// Side of one output block for `geometry`.
    public func size(for geometry: WindowGeometry) -> Int {
        self == .centralBlock ? geometry.coreSize : geometry.windowSize
    }

    /// Offset of the output block from the window's origin.
    public func offset(for geometry: WindowGeometry) -> Int {
        self == .centralBlock ? geometry.margin : 0
    }
}
