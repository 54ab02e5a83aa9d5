#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// The temporary files being written right now (atomic writes, training-pair files), so that
/// an interrupting signal can remove them: an interrupted run leaves finished outputs and
/// nothing half-written. The signal handler only reads fixed C buffers and calls unlink(2)
/// and raise(3), which are async-signal-safe. (SIGKILL cannot be caught: then a hidden
/// `.unjpeg-PID-RANDOM.tmp` or `NAME.partial` file can remain, the output itself is intact;
/// ``OutputFile`` removes such leftovers of dead processes from a folder it writes into.)
enum InFlightFiles {
    static let slotCount = 16
    static let pathCapacity = Int(PATH_MAX) + 1
    /// `slotCount` NUL-terminated paths.
    nonisolated(unsafe) static let paths: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * pathCapacity)
        p.initialize(repeating: 0, count: slotCount * pathCapacity)
        return p
    }()
    /// 1 while the slot's path is complete and in use. Written after / before the path.
    nonisolated(unsafe) static let active: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slotCount)
        p.initialize(repeating: 0, count: slotCount)
        return p
    }()
    static let lock = Mutex(())

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP (once, at start-up).
    static func installSignalHandlers() {
        _ = paths; _ = active  // initialise the buffers outside any signal handler
        // A parent may start us with these signals blocked (Foundation's Process does):
        // they would then wait until exit, after any half-written file.
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&mask, number) }
        sigprocmask(SIG_UNBLOCK, &mask, nil)
        for number in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(number) { received in
                for slot in 0..<InFlightFiles.slotCount where InFlightFiles.active[slot] != 0 {
                    unlink(InFlightFiles.paths + slot * InFlightFiles.pathCapacity)
                }
                // Die of the same signal, so the parent sees what happened.
                _ = signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Records `path` as being written; returns its slot (nil if all are busy or the path too long).
    static func register(_ path: String) -> Int? {
        let bytes = OSPath.encode(path)
        guard bytes.count < pathCapacity else { return nil }
        return lock.withLock { _ in
            guard let slot = (0..<slotCount).first(where: { active[$0] == 0 }) else { return nil }
            let base = paths + slot * pathCapacity
            for (i, byte) in bytes.enumerated() { base[i] = CChar(bitPattern: byte) }
            base[bytes.count] = 0
            active[slot] = 1
            return slot
        }
    }

    /// The file of `slot` is renamed into place or removed: forget it.
    static func release(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { _ in active[slot] = 0 }
    }

    /// Removes every file in flight (before an early exit).
    static func removeAll() {
        lock.withLock { _ in
            for slot in 0..<slotCount where active[slot] != 0 {
                unlink(paths + slot * pathCapacity)
                active[slot] = 0
            }
        }
    }
}
