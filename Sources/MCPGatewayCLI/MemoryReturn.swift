// Large buffers go back to the system when they are freed. glibc raises its mmap threshold each
// time a large mapped block is freed (up to 32 MiB); blocks below the new threshold then come
// from the heap and stay in the process: after a 10 MB tool result the gateway's RSS stayed
// 20–45 MB up for good, 10,000 calls later too (the chaos suite's memory check,
// docs/reliability-chaos.md). A fixed threshold keeps every allocation of 256 KiB or more in a
// mapping of its own, returned when freed; smaller allocations are unaffected. A threshold set
// in the environment (MALLOC_MMAP_THRESHOLD_) is left as it is.

#if canImport(Glibc)
import Glibc
#endif

enum MemoryReturn {
    static let mmapThreshold: Int32 = 256 * 1024

    static func configure() {
        #if canImport(Glibc)
        guard getenv("MALLOC_MMAP_THRESHOLD_") == nil else { return }
        _ = mallopt(M_MMAP_THRESHOLD, mmapThreshold)
        #endif
    }
}
