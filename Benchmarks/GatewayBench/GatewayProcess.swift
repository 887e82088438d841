// Spawns a gateway binary for the cold-start probe and stops it: SIGTERM, then SIGKILL
// if it has not exited within the grace period. Plain posix_spawn: Foundation's Process adds
// milliseconds of its own set-up to every spawn, which the cold-start figure must not include.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct GatewayProcess {
    let pid: pid_t

    static func spawn(binary: String, config: String, port: Int, logPath: String?) throws -> GatewayProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logPath ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let arguments = [binary, "serve", "--config", config, "--port", String(port), "--log-level", "warning"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, nil, &argv, environ)
        guard result == 0 else { throw BenchFailure("cannot start \(binary): \(String(cString: strerror(result)))") }
        SpawnedChildGuard.shared.watch(pid)
        return GatewayProcess(pid: pid)
    }

    /// Reaps the child if it has exited.
    var isRunning: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }

    /// Stops the process within `grace` (plus one second for SIGKILL); bounded polling.
    func stop(grace: Duration = .seconds(15)) async {
        guard isRunning else {
            SpawnedChildGuard.shared.forget()
            return
        }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if isRunning {
            kill(pid, SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(1)
            while isRunning, ContinuousClock.now < killDeadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        SpawnedChildGuard.shared.forget()
    }
}
