// Opens the tool profiles' SQLite file next to the persisted catalog (`profiles-<config>.sqlite`
// beside `catalog-<config>.json`, in the same private directory). Without a cache directory,
// or when the file cannot be opened, the gateway runs without profiles and says why: they are
// statistics, not a protection, so they never stop a start.

import Foundation
import GatewayConfig
import GatewayProfiles
import Logging

extension Gateway {
    /// The file the profiles of the config whose catalog is at `catalogPath` live in.
    public static func profilesPath(forCatalogCache catalogPath: String) -> String {
        CatalogStore.siblingPath(of: catalogPath, prefix: "profiles-", fileExtension: ".sqlite")
    }

    static func openProfiles(_ settings: TelemetrySettings.Profiles, catalogCachePath: String?, logger: Logger) -> ToolProfiles? {
        guard settings.enabled else { return nil }
        guard let catalogCachePath else {
            logger.notice("tool profiles are off: no cache directory (set MCP_GATEWAY_CACHE_DIR, XDG_CACHE_HOME or HOME)")
            return nil
        }
        let path = profilesPath(forCatalogCache: catalogCachePath)
        if let problem = PrivateDirectory.prepare((path as NSString).deletingLastPathComponent) {
            logger.warning("tool profiles are off: \(problem)")
            return nil
        }
        do {
            return ToolProfiles(store: try SQLiteProfileStore(path: path), retentionDays: settings.retentionDays, logger: logger)
        } catch {
            logger.warning("tool profiles are off: cannot open \(path): \(error)")
            return nil
        }
    }
}
