// Seals the `requestState` of a 2026-07-28 multi-round-trip call with AES-GCM: the client
// holds it but can neither read nor alter it, and it is bound to the method, the target,
// a digest of the arguments, the principal and a short expiry.

import Crypto
import Foundation
import MCPProtocol

public struct RequestStateSealer: Sendable {
    public struct Claims: Sendable, Equatable {
        public var handle: String
        public var method: String
        public var target: String
        public var argumentsDigest: String
        public var principal: String
        public var expires: Int
    }

    let key: SymmetricKey
    public let lifetime: Duration

    /// The key lives only in this process: a restart invalidates outstanding states, which
    /// is right, since the calls they resume died with it.
    public init(key: SymmetricKey = SymmetricKey(size: .bits256), lifetime: Duration = .seconds(300)) {
        self.key = key
        self.lifetime = lifetime
    }

    public func seal(_ claims: Claims) -> String? {
        let plain = JSONWriter.encode([
            "h": .string(claims.handle), "m": .string(claims.method), "t": .string(claims.target),
            "d": .string(claims.argumentsDigest), "p": .string(claims.principal), "e": .int(claims.expires),
        ])
        guard let box = try? AES.GCM.seal(Data(plain), using: key), let combined = box.combined else { return nil }
        return "v1." + Self.base64URL(combined)
    }

    /// The claims, or nil if the token was not sealed by this process or was altered.
    public func open(_ token: String) -> Claims? {
        guard token.hasPrefix("v1."), let data = Self.fromBase64URL(String(token.dropFirst(3))),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key),
              let value = try? JSONParser.parse(Array(plain)),
              let handle = value["h"]?.stringValue, let method = value["m"]?.stringValue,
              let target = value["t"]?.stringValue, let digest = value["d"]?.stringValue,
              let principal = value["p"]?.stringValue, let expires = value["e"]?.intValue else { return nil }
        return Claims(handle: handle, method: method, target: target, argumentsDigest: digest, principal: principal, expires: expires)
    }

    public func expiry(from now: Date = Date()) -> Int {
        Int(now.timeIntervalSince1970) + Int(lifetime.components.seconds)
    }

    /// SHA-256 of the arguments in a canonical form (keys sorted), so a retry that re-encodes
    /// the same arguments differently still matches, and different arguments never do.
    public static func digest(ofArguments arguments: JSONValue?) -> String {
        let canonical = JSONWriter.encode(canonicalized(arguments ?? .object(JSONObject())))
        return SHA256.hash(data: Data(canonical)).map { String(format: "%02x", $0) }.joined()
    }

    static func canonicalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { ($0.key, canonicalized($0.value)) }))
        case .array(let items):
            return .array(items.map(canonicalized))
        default:
            return value
        }
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
