// The gateway process's environment, read once.

import Foundation

public enum ProcessEnvironment {
    public static var current: [String: String] { ProcessInfo.processInfo.environment }
}
