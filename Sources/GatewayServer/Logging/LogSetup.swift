// Configures swift-log once per process: text or JSON, always to stderr (stdout may be
// the MCP channel in --stdio mode).

import Logging

public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}

public enum LogSetup {
    public static func bootstrap(level: Logger.Level, format: LogFormat) {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
