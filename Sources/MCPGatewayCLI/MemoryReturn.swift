// Large buffers go back to the system when they are freed. glibc raises its mmap threshold each
// time a large mapped block is freed (up to 32 MiB); blocks below the new threshold then come
// from the heap and stay in the process: after a 10 MB tool result the gateway's RSS stayed
// 20–45 MB up for good, 10,000 calls later too (the chaos suite's memory check,
// docs/reliability-chaos.md). A fixed threshold keeps every allocation of 256 KiB or more in a
// mapping of its own, returned when freed; smaller allocations are unaffected. A threshold set
// in the environment (MALLOC_MMAP_THRESHOLD_) is left as it is.
//
// Small blocks freed after a burst (1,000 connections opened and dropped: +30-45 MB) stay in the
// middle of glibc's arenas, where only malloc_trim returns them; it runs every 30 s.

#if os(Linux)
import Glibc

/// glibc's `mallopt` (malloc.h, which the Glibc module does not export).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif

enum MemoryReturn {
    static let mmapThreshold: Int32 = 256 * 1024
    /// malloc.h: `#define M_MMAP_THRESHOLD -3`.
    private static let mmapThresholdParameter: Int32 = -3

    static let trimInterval: Duration = .seconds(30)

    static func configure() {
        #if os(Linux)
        if getenv("MALLOC_MMAP_THRESHOLD_") == nil {
            _ = glibcMallopt(mmapThresholdParameter, mmapThreshold)
        }
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                try? await Task.sleep(for: trimInterval)
                _ = glibcMallocTrim(0)
            }
        }
        #endif
    }
}
