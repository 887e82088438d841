// The monotonic clock as whole nanoseconds, for what is timed on every call (metrics, tool
// profiles, call usage). A ContinuousClock instant subtracts to a Duration, whose conversion
// back to an integer divides a 128-bit count of attoseconds: ~250 instructions a conversion
// on the relayed call (callgrind), where clock_gettime and an Int64 subtraction cost ~30.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum MonotonicNanoseconds {
    @inline(__always)
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec)
    }
}
