// Cleaner module: the artifact remover's building blocks as pure functions over pixels,
// planes and DCT coefficients (no file I/O).
//
// Sample scales used throughout:
// - `Plane` and `FloatImage` samples are on the 8-bit scale (0…255, not level-shifted)
//   unless a `SampleNormalization` says otherwise.
// - DCT coefficients follow T.81 A.3.3: samples level-shifted by −128, orthonormal 8×8
//   DCT-II, so that `round(coefficient / Q)` is the quantized value a JPEG file stores.
