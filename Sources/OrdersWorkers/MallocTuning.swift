import CMalloc

/// glibc's allocator gives threads arenas of their own (up to eight per core); a daemon whose
/// threads take turns (consumer, database, relay, sweeper, notifier) keeps freed memory in each of
/// them, and resident memory creeps up without a leak. Two arenas keep it lower and flatter.
public enum MallocTuning {
    /// Call first thing in a long-running command, before its threads start.
    public static func limitArenas() { orderflow_malloc_limit_arenas(2) }
}
