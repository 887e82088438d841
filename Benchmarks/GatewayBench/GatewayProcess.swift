// Spawns a gateway binary for the cold-start probe and stops it: SIGTERM, then SIGKILL
// if it has not exited within the grace period.

import Foundation

struct GatewayProcess {
    let process: Process

    static func spawn(binary: String, config: String, port: Int, logPath: String?) throws -> GatewayProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", config, "--port", String(port), "--log-level", "warning"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        if let logPath, FileManager.default.createFile(atPath: logPath, contents: nil),
           let log = FileHandle(forWritingAtPath: logPath) {
            process.standardError = log
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        SpawnedChildGuard.shared.watch(process.processIdentifier)
        return GatewayProcess(process: process)
    }

    var isRunning: Bool { process.isRunning }

    /// Stops the process within `grace` (plus one second for SIGKILL); bounded polling.
    func stop(grace: Duration = .seconds(15)) async {
        guard process.isRunning else {
            SpawnedChildGuard.shared.forget()
            return
        }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let killDeadline = ContinuousClock.now + .seconds(1)
            while process.isRunning, ContinuousClock.now < killDeadline {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        SpawnedChildGuard.shared.forget()
    }
}
