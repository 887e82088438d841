// Which browser origins and Host headers may reach the gateway's HTTP routes. A request
// without an Origin is a non-browser client and passes; a browser's Origin must be the
// gateway's own (http, a name of the listening address, the listening port) or one listed in
// `server.allowed_origins`. Any other page, a localhost one on another port included, is
// refused: browsers do not protect WebSockets or simple POSTs with CORS, so the Origin is the
// only thing standing between a web page and the tools. The Host check (DNS rebinding) is
// separate and `"*"` does not switch it off.

import GatewayConfig
import Synchronization

struct OriginPolicy: Sendable {
    let allowed: Set<String>
    let allowAny: Bool
    /// Host checking applies only when the gateway listens on loopback: then every legitimate
    /// client names it by a loopback name, and a rebound DNS name gives the attack away.
    let checkHost: Bool
    /// The names a browser reaches the gateway's own origin by.
    let ownHosts: Set<String>
    let listening: ListeningPort
    /// The front end serves TLS (`mtls`): its own origin is `https://`.
    let secure: Bool

    init(allowedOrigins: [String], bindHost: String, listening: ListeningPort, secure: Bool = false) {
        self.secure = secure
        allowAny = allowedOrigins.contains("*")
        allowed = Set(allowedOrigins.filter { $0 != "*" }.map { $0.lowercased().trimmingTrailingSlash })
        let bind = Self.unbracketed(bindHost.lowercased())
        // One definition of loopback for the whole gateway: the one that lets it start without
        // authentication (BindExposure) is the one that turns the Host check on.
        checkHost = BindExposure.isLoopback(bind)
        if checkHost || Self.wildcardNames.contains(bind) {
            ownHosts = Self.loopbackNames.union([bind]).subtracting(Self.wildcardNames)
        } else {
            ownHosts = [bind]
        }
        self.listening = listening
    }

    /// Loopback names without brackets (an IPv6 literal is compared unbracketed).
    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "::1"]
    static let wildcardNames: Set<String> = ["0.0.0.0", "::", ""]

    /// Why a request with these headers is refused (403), or nil when it may proceed.
    func refusal(origin: String?, host: String?) -> String? {
        if !allows(origin: origin) {
            return "Forbidden: origin '\(origin ?? "")' is not allowed (only the gateway's own origin and server.allowed_origins are)"
        }
        if !allows(host: host) {
            return "Forbidden: Host header is not a loopback name"
        }
        return nil
    }

    func allows(origin: String?) -> Bool {
        guard let origin, !origin.isEmpty else { return true }
        if allowAny { return true }
        let lowered = origin.lowercased().trimmingTrailingSlash
        if allowed.contains(lowered) { return true }
        return isOwn(lowered)
    }

    /// Whether `origin` (lowercased) is the gateway's own: its scheme (http, or https with TLS),
    /// one of its names, its port.
    func isOwn(_ origin: String) -> Bool {
        let scheme = secure ? "https://" : "http://"
        guard origin.hasPrefix(scheme), let authority = Self.Authority(origin.dropFirst(scheme.utf8.count)) else { return false }
        return (authority.explicitPort ?? (secure ? 443 : 80)) == listening.port && ownHosts.contains(authority.host)
    }

    func allows(host: String?) -> Bool {
        guard checkHost, var host, !host.isEmpty else { return true }
        if host.withUTF8(Self.isLoopbackHostHeader) { return true }
        guard let authority = Self.Authority(Substring(host.lowercased())) else { return false }
        if Self.loopbackNames.contains(authority.host) { return true }
        return allowed.contains { Self.Authority(origin: $0)?.host == authority.host }
    }

    /// The Host header of nearly every request (`127.0.0.1:PORT`, `localhost:PORT`,
    /// `[::1]:PORT`), recognised over its bytes without building an Authority: this runs for
    /// every request on every path.
    static func isLoopbackHostHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = bytes.count
        var digits = 0
        while digits < end, (0x30...0x39).contains(bytes[end - 1 - digits]) { digits += 1 }
        if digits > 0, digits < end, bytes[end - 1 - digits] == UInt8(ascii: ":") {
            guard digits <= 5 else { return false }
            var port = 0
            for index in (end - digits)..<end { port = port * 10 + Int(bytes[index] - 0x30) }
            guard (1...65535).contains(port) else { return false }
            end -= digits + 1
        }
        let name = UnsafeBufferPointer(rebasing: bytes[0..<end])
        return name.elementsEqual("127.0.0.1".utf8) || name.elementsEqual("[::1]".utf8)
            || (name.count == 9 && zip(name, "localhost".utf8).allSatisfy { $0 | 0x20 == $1 })
    }

    static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// `host[:port]` or `[v6]:port`, lowercased; nil when malformed (a path, a bad port).
    struct Authority {
        let host: String
        let explicitPort: Int?
        var port: Int { explicitPort ?? 80 }

        /// Parsed over UTF-8 bytes: this runs for every request (the Host check), and
        /// Character-wise Substring scans with Foundation's `contains` cost ~16k instructions a
        /// request (measured with callgrind), the bytes a few hundred.
        init?(_ text: Substring) {
            let bytes = text.utf8
            let hostBytes: Substring.UTF8View.SubSequence
            let rest: Substring.UTF8View.SubSequence
            if bytes.first == UInt8(ascii: "[") {
                guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
                hostBytes = bytes[bytes.index(after: bytes.startIndex)..<close]
                rest = bytes[bytes.index(after: close)...]
            } else {
                let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
                hostBytes = bytes[..<colon]
                rest = bytes[colon...]
            }
            guard !hostBytes.isEmpty,
                  !hostBytes.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "@") }) else { return nil }
            host = String(decoding: hostBytes, as: UTF8.self)
            if rest.isEmpty {
                explicitPort = nil
            } else {
                guard rest.first == UInt8(ascii: ":") else { return nil }
                let digits = rest.dropFirst()
                guard (1...5).contains(digits.count) else { return nil }
                var port = 0
                for digit in digits {
                    guard (0x30...0x39).contains(digit) else { return nil }
                    port = port * 10 + Int(digit - 0x30)
                }
                guard (1...65535).contains(port) else { return nil }
                explicitPort = port
            }
        }

        /// The authority of a `scheme://authority` origin.
        init?(origin: String) {
            let bytes = Array(origin.utf8)
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) else { return nil }
            self.init(Substring(decoding: bytes[(colon + 3)...], as: UTF8.self))
        }
    }
}

/// The port the front end listens on, known once it is bound (`--port 0` picks one).
final class ListeningPort: Sendable {
    private let value: Atomic<Int>
    init(_ configured: Int) { value = Atomic(configured) }
    var port: Int { value.load(ordering: .relaxed) }
    func bound(to port: Int) { value.store(port, ordering: .relaxed) }
}

extension String {
    var trimmingTrailingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
