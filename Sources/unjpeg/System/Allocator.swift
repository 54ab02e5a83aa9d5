#if canImport(Glibc)
import Glibc
#endif

/// Tuning of the C allocator for `clean`.
///
/// The pipeline allocates and frees arrays of several planes' size (4 to 48 MB for a 12 MP
/// image) stage after stage. glibc's malloc serves each from fresh `mmap` pages (anything
/// above its mmap threshold, which cannot be raised past 32 MB) and unmaps it on `free`, so
/// every array is page-faulted in again and zero-filled on the calling thread: a fifth of the
/// single-threaded time in `perf`, nearly all of it outside the threaded loops. Keeping large
/// blocks on the heap (no mmap; freed memory kept for the next array instead of trimmed) lets
/// the next stage reuse pages already mapped.
enum Allocator {
    /// Serves large blocks from the heap and keeps freed memory for reuse (glibc only; a
    /// no-op elsewhere).
    static func reuseLargeBlocks() {
        #if canImport(Glibc)
        // <malloc.h> is not in the Glibc module: look `mallopt` up by name (RTLD_DEFAULT is
        // the null handle) and call it with C's convention. Its parameters, from <malloc.h>:
        // M_TRIM_THRESHOLD = −1, M_MMAP_MAX = −4, M_ARENA_MAX = −8.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(-4, 0)
        _ = mallopt(-1, Int32.max)
        // One arena for every thread: a stage's worker threads otherwise allocate from arenas of
        // their own, whose freed planes the main thread's next array cannot reuse, so the pages
        // are faulted in again on every thread (12 MP on 2 threads: 1.3–1.9 s of system time
        // and 5.9–6.7 s wall, against 0.6–0.8 s and 5.1–5.9 s with one arena).
        _ = mallopt(-8, 1)
        #endif
    }
}
