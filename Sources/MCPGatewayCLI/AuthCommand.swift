// `mcp-gateway auth hash-key` and `auth new-key`: make API keys and the `key_sha256` that lets a
// gateway.yaml name a key without holding it. The key is read from stdin (or made here), never
// from the command line, where it would land in shell history and `ps`.

import ArgumentParser
import Foundation
import GatewayAuth

struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth", abstract: "Make API keys and their SHA-256 digests for auth.api_keys.",
        subcommands: [HashKeyCommand.self, NewKeyCommand.self])
}

struct HashKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-key",
        abstract: "Print the key_sha256 of an API key read from stdin (one line; the trailing newline is not part of it).")

    func run() throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("no key on stdin: pipe it in, e.g. printf %s \"$KEY\" | mcp-gateway auth hash-key")
        }
        let key = line.hasSuffix("\r") ? String(line.dropLast()) : line
        print(SecretDigest.hex(of: key))
    }
}

struct NewKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-key",
        abstract: "Make a random API key; prints the key (give it to the client) and a config entry holding only its key_sha256.")

    @Option(help: "The name of the key's principal.")
    var name = "client"

    @Flag(help: "Make the key an admin.")
    var admin = false

    func run() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = "mcpk_" + SecretDigest.hex(bytes: bytes)
        print("key: \(key)")
        print("config:")
        print("  - {name: \(name), key_sha256: \(SecretDigest.hex(of: key))\(admin ? ", admin: true" : "")}")
    }
}
