// The cluster database URL: every part read, every mistake named, the password never repeated.

@testable import GatewayStore
import Testing

@Suite struct DatabaseURLTests {
    @Test func everyPartIsRead() throws {
        let url = try DatabaseURL("postgresql://gw%40team:p%3Ass@db.internal:6543/mcp?sslmode=require")
        #expect(url.host == "db.internal" && url.port == 6543 && url.database == "mcp" && url.tls == .require)
        #expect(url.username == "gw@team" && url.password == "p:ss")
        #expect(url.redacted == "postgres://gw@team:***@db.internal:6543/mcp?sslmode=require")
        let plain = try DatabaseURL("postgres://gw@[::1]/mcp")
        #expect(plain.host == "::1" && plain.port == 5432 && plain.password == nil && plain.tls == .prefer)
        #expect(plain.redacted == "postgres://gw@[::1]:5432/mcp?sslmode=prefer")
    }

    @Test(arguments: [
        ("mysql://u:secret-pw@h/db", "must start with postgres://"),
        ("postgres://u:secret-pw@/db", "has no a host"),
        ("postgres://:secret-pw@h/db", "has no a user"),
        ("postgres://u:secret-pw@h", "has no a database name"),
        ("postgres://u:secret-pw@h/db?sslmode=verify-full", "sslmode must be disable, prefer or require"),
        ("postgres://u:secret-pw@h/db?password=x", "unknown parameter 'password'"),
        ("postgres://u:secret-pw@h:70000/db", "port"),
    ])
    func mistakesAreNamedWithoutThePassword(text: String, expected: String) {
        do {
            _ = try DatabaseURL(text)
            Issue.record("\(expected): accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(!error.description.contains("secret-pw"))
        }
    }
}
