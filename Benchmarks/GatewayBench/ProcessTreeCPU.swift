// CPU time (user + system) that a process tree spends, read from /proc: the process under test
// and every descendant (a peer's worker processes, the stdio backend a gateway spawned). Each
// descendant is split by name into the part under test and the backend (`bench-backend`), so a
// row can show what the gateway adds on top of the backend it relays to.
//
// Precision: /proc/PID/stat counts in clock ticks (10 ms here), too coarse for a few thousand
// calls of tens of µs. Each thread's /proc/PID/task/TID/schedstat counts its time on a CPU in
// nanoseconds, so a process whose threads all lived through the phase is summed from those;
// one that lost a thread meanwhile (its time leaves the per-thread files) falls back to its
// ticks, and the sample says it is not precise. Children that exited and were reaped count
// through their parent's cutime/cstime (ticks).

import Foundation

#if canImport(Glibc)
import Glibc
#endif

struct ProcessTreeCPU: Sendable {
    struct ProcessSample: Sendable {
        var name: String
        /// utime + stime of the process itself (all its threads, dead ones included), in ticks.
        var ticks: Int64
        /// cutime + cstime: reaped children, in ticks.
        var childTicks: Int64
        /// Time on a CPU per live thread, in nanoseconds (empty when unreadable).
        var threads: [Int32: Int64]
    }

    /// One reading of the whole tree.
    struct Sample: Sendable {
        var processes: [Int32: ProcessSample]
    }

    /// CPU spent between two samples, split into the part under test and the backend.
    struct Spent: Sendable, Equatable {
        var nanoseconds: Int64 = 0
        var backendNanoseconds: Int64 = 0
        var precise = true
    }

    let roots: [Int32]
    /// Processes with this name (as /proc shows it, 15 characters at most) are the backend's.
    let backendName: String

    static let nanosecondsPerTick: Int64 = {
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return 1_000_000_000 / (ticks > 0 ? ticks : 100)
    }()

    init(roots: [Int32], backendName: String = "bench-backend") {
        self.roots = roots
        self.backendName = backendName
    }

    func sample() -> Sample {
        var processes: [Int32: ProcessSample] = [:]
        for pid in Self.tree(of: roots) {
            guard let stat = Self.stat(pid) else { continue }
            processes[pid] = ProcessSample(name: stat.name, ticks: stat.ticks, childTicks: stat.childTicks,
                                           threads: Self.threadNanoseconds(pid))
        }
        return Sample(processes: processes)
    }

    /// What the tree spent from `start` to `end`.
    func spent(from start: Sample, to end: Sample) -> Spent {
        var spent = Spent()
        let tick = Self.nanosecondsPerTick
        for (pid, after) in end.processes {
            let before = start.processes[pid]
            var nanoseconds = (after.childTicks - (before?.childTicks ?? 0)) * tick
            if let before {
                let lostThread = before.threads.keys.contains { after.threads[$0] == nil }
                if lostThread || after.threads.isEmpty {
                    nanoseconds += (after.ticks - before.ticks) * tick
                    spent.precise = false
                } else {
                    nanoseconds += after.threads.reduce(0) { $0 + $1.value - (before.threads[$1.key] ?? 0) }
                }
            } else {
                // Born during the phase: all of its time is the phase's.
                nanoseconds += after.threads.isEmpty ? after.ticks * tick : after.threads.values.reduce(0, +)
            }
            // The process under test is never the backend, whatever its name (the bare echo).
            if after.name == backendName && !roots.contains(pid) { spent.backendNanoseconds += max(0, nanoseconds) } else { spent.nanoseconds += max(0, nanoseconds) }
        }
        // A process that ended during the phase took its time with it, unless a parent in the
        // tree reaped it (then its whole life counts, not only the phase): either way, not exact.
        if start.processes.keys.contains(where: { end.processes[$0] == nil }) { spent.precise = false }
        return spent
    }

    // MARK: /proc

    /// `roots` and all their descendants that exist now.
    static func tree(of roots: [Int32]) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let parent = stat(pid)?.parent else { continue }
            children[parent, default: []].append(pid)
        }
        var found: [Int32] = []
        var pending = roots
        var seen = Set<Int32>()
        while let pid = pending.popLast() {
            guard seen.insert(pid).inserted else { continue }
            found.append(pid)
            pending += children[pid] ?? []
        }
        return found
    }

    /// The fields of /proc/PID/stat this needs. The name sits in parentheses and may itself
    /// hold spaces and parentheses, so the fields are counted from the last ')'.
    static func stat(_ pid: Int32) -> (name: String, parent: Int32, ticks: Int64, childTicks: Int64)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3 of proc(5)): ppid is field 4, utime..cstime 14..17.
        guard fields.count > 14, let parent = Int32(fields[1]),
              let utime = Int64(fields[11]), let stime = Int64(fields[12]),
              let cutime = Int64(fields[13]), let cstime = Int64(fields[14]) else { return nil }
        return (name, parent, utime + stime, cutime + cstime)
    }

    /// Each live thread's time on a CPU (the first field of its schedstat), in nanoseconds.
    static func threadNanoseconds(_ pid: Int32) -> [Int32: Int64] {
        var threads: [Int32: Int64] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
            guard let tid = Int32(entry),
                  let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(entry)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let nanoseconds = Int64(first) else { continue }
            threads[tid] = nanoseconds
        }
        return threads
    }
}

/// CPU per call of one measured phase, as the load subcommands report it.
struct CPUPerCall: Sendable {
    var spent: ProcessTreeCPU.Spent
    var calls: Int

    var fields: [(String, JSONNumberOrText)] {
        guard calls > 0 else { return [] }
        return [
            ("cpu_us_per_call", .number(Double(spent.nanoseconds) / 1000 / Double(calls), decimals: 2)),
            ("backend_cpu_us_per_call", .number(Double(spent.backendNanoseconds) / 1000 / Double(calls), decimals: 2)),
            ("cpu_precise", .flag(spent.precise)),
        ]
    }

    var humanLine: String {
        guard calls > 0 else { return "" }
        return "  CPU per call: \(Report.format(Double(spent.nanoseconds) / 1000 / Double(calls), decimals: 1)) µs"
            + " (+ backend \(Report.format(Double(spent.backendNanoseconds) / 1000 / Double(calls), decimals: 1)) µs)"
            + (spent.precise ? "" : ", partly in 10 ms ticks")
    }
}
