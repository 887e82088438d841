// A spawned backend process: its pipes, its process group, and a waiter for its exit.

import CProcessSpawn
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Parent ends of the child's stdin (write), stdout (read) and stderr (read).
    let stdinFD: Int32
    let stdoutFD: Int32
    let stderrFD: Int32

    private let exit = Mutex<ExitState>(ExitState())

    struct ExitState {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private init(pid: pid_t, stdinFD: Int32, stdoutFD: Int32, stderrFD: Int32) {
        self.pid = pid
        self.stdinFD = stdinFD
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Reaps the child on a dedicated thread (waitpid blocks) and wakes every waiter.
    private func startReaper() {
        let pid = self.pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            let waiters = exit.withLock { state in
                state.status = status
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            waiters.forEach { $0.resume(returning: status) }
        }
        thread.stackSize = 128 * 1024
        thread.start()
    }

    public var hasExited: Bool { exit.withLock { $0.status != nil } }

    /// Variables passed from the gateway's own environment; everything else must be configured.
    public static let inheritedVariables = ["PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "LANG", "LC_ALL", "TZ"]

    public static func spawn(command: [String], environment: [String: String], cwd: String?) throws(BackendError) -> ChildProcess {
        guard let program = command.first, !program.isEmpty else { throw .spawnFailed("empty command") }
        let path = try resolveExecutable(program, searchPath: environment["PATH"], cwd: cwd)
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        for index in 0..<3 {
            let rc: Int32 = switch index {
            case 0: gw_pipe_cloexec(&stdinPipe)
            case 1: gw_pipe_cloexec(&stdoutPipe)
            default: gw_pipe_cloexec(&stderrPipe)
            }
            if rc != 0 { throw .spawnFailed("pipe: \(String(cString: strerror(rc)))") }
        }
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envBuffer in
                gw_spawn(path, argvBuffer.baseAddress, envBuffer.baseAddress, cwd,
                         stdinPipe[0], stdoutPipe[1], stderrPipe[1], &pid)
            }
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        if rc != 0 {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw .spawnFailed("\(program): \(String(cString: strerror(rc)))")
        }
        let child = ChildProcess(pid: pid, stdinFD: stdinPipe[1], stdoutFD: stdoutPipe[0], stderrFD: stderrPipe[0])
        child.startReaper()
        return child
    }

    /// Finds the program like a shell would, but on the child's PATH.
    static func resolveExecutable(_ program: String, searchPath: String?, cwd: String?) throws(BackendError) -> String {
        if program.contains("/") {
            let full = program.hasPrefix("/") ? program : "\(cwd ?? FileManager.default.currentDirectoryPath)/\(program)"
            guard access(full, X_OK) == 0 else { throw .spawnFailed("\(program): not found or not executable") }
            return full
        }
        let searchPath = searchPath ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            var info = stat()
            if access(candidate, X_OK) == 0, stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                return candidate
            }
        }
        throw .spawnFailed("\(program): command not found on PATH (\(searchPath))")
    }

    /// Sends a signal to the whole process group, so helpers the server started go too.
    public func signalGroup(_ signal: Int32) {
        if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
    }

    /// Waits for the process to exit and returns its wait status.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = exit.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    /// Waits at most `limit` for the exit; true if the process is gone.
    public func waitForExit(upTo limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while !hasExited {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// Whether the exit status means a normal exit with code 0.
    public static func describe(status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "exited with code \((status >> 8) & 0xFF)" }
        return "killed by signal \(signal)"
    }
}
