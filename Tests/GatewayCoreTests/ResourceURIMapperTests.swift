// Gateway resource URIs: the owning server and the original URI come back exactly.

import Foundation
import Testing
@testable import GatewayCore

@Suite struct ResourceURIMapperTests {
    @Test(arguments: ["file:///tmp/a b/c.txt", "test://alpha/info", "https://x.example/p?q=1&r=%2F", "名前://ü", ""])
    func roundTrips(_ original: String) throws {
        let uri = ResourceURIMapper.gatewayURI(server: "fs", original: original)
        #expect(uri.hasPrefix("mcp-gateway://fs/"))
        #expect(!uri.dropFirst("mcp-gateway://fs/".count).contains("/"))
        let resolved = try #require(ResourceURIMapper.resolve(uri))
        #expect(resolved.server == "fs")
        #expect(resolved.original == original)
    }

    @Test func templatesKeepTheirVariables() {
        let template = ResourceURIMapper.gatewayTemplate(server: "db", original: "db://tables/{table}/rows")
        #expect(template.contains("{table}"))
        let expanded = template.replacingOccurrences(of: "{table}", with: "users")
        #expect(ResourceURIMapper.resolve(expanded)?.original == "db://tables/users/rows")
    }

    @Test(arguments: ["file:///etc/passwd", "mcp-gateway://", "mcp-gateway://noslash", "mcp-gateway://s/%zz"])
    func rejectsForeignOrBrokenURIs(_ uri: String) {
        #expect(ResourceURIMapper.resolve(uri) == nil)
    }
}
