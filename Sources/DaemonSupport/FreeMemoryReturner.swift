internal import CMalloc
public import ServiceLifecycle

/// Keeps a long-running daemon's resident memory flat: tunes glibc's allocator once, then hands
/// freed memory back to the system every `interval`.
///
/// A worker's live heap stays small and flat (about 12 MB over 100,000 orders, measured with
/// heaptrack), but glibc keeps freed pages in its per-thread arenas, fragmented by 8 KB message
/// bodies and their parsed trees, so the resident size crept up over a million-message run.
public struct FreeMemoryReturner: Service {
    private let interval: Duration

    public init(interval: Duration = .seconds(5)) {
        self.interval = interval
    }

    public func run() async throws {
        Self.tuneAllocator()
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: interval) })) != nil else {
                return
            }
            Self.returnFreedMemory()
        }
    }

    /// Fixed thresholds: by default glibc raises its mmap threshold each time a large block is
    /// freed, after which large buffers come from the arenas (and fragment them) instead of being
    /// unmapped when freed. Two arenas: the hot threads are the consumer and the database thread.
    static func tuneAllocator() {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024)
        mallopt(M_ARENA_MAX, 2)
    }

    /// Releases the free pages of every arena now; returns whether any memory went back to the system.
    @discardableResult
    public static func returnFreedMemory() -> Bool {
        malloc_trim(0) == 1
    }
}
