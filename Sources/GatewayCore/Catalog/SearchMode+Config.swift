// The config's `meta_mcp.search` value as the index's ranking mode (GatewayConfig does not
// depend on ToolSearch, so the two enums meet here).

import GatewayConfig
import ToolSearch

extension SearchMode {
    init(_ setting: ToolSearchMode) {
        switch setting {
        case .lexical: self = .lexical
        case .hybrid: self = .hybrid
        }
    }
}
