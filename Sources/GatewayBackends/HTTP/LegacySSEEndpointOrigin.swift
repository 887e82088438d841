// Which URL a legacy SSE backend's `endpoint` event may name: only one on the event stream's
// own origin (scheme, host and port), as the 2024-11-05 transport requires. The gateway posts
// there with the backend's configured headers (credentials included), so an endpoint on any
// other origin would hand those headers, and the gateway's network position, to whoever the
// backend names.

import Foundation

enum LegacySSEEndpointOrigin {
    /// The endpoint to post to, resolved against the stream's URL (a relative path is the
    /// usual form), or the reason it is refused. The reason names origins only, never a
    /// path, query or user info, which may carry secrets.
    static func resolve(_ data: String, streamURL: String) -> Result<HTTPTarget, BackendError> {
        guard let base = URLComponents(string: streamURL), let baseOrigin = Origin(base) else {
            return .failure(.protocolError("the event stream URL has no origin"))
        }
        guard let resolved = URL(string: data, relativeTo: URL(string: streamURL))?.absoluteURL,
              let components = URLComponents(url: resolved, resolvingAgainstBaseURL: false),
              let origin = Origin(components), let target = HTTPTarget(resolved.absoluteString) else {
            return .failure(.protocolError("the endpoint event is not a valid http(s) URL"))
        }
        guard origin == baseOrigin else {
            return .failure(.protocolError(
                "endpoint event refused: it names \(origin), another origin than the event stream's \(baseOrigin) "
                    + "(a legacy SSE backend may only have messages posted to its own scheme, host and port)"))
        }
        return .success(target)
    }

    /// Scheme, host and effective port, compared without case.
    struct Origin: Equatable, CustomStringConvertible {
        let scheme: String
        let host: String
        let port: Int

        init?(_ components: URLComponents) {
            guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = components.host?.lowercased(), !host.isEmpty else { return nil }
            self.scheme = scheme
            self.host = host
            port = components.port ?? (scheme == "https" ? 443 : 80)
        }

        var description: String {
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return "\(scheme)://\(bracketed):\(port)"
        }
    }
}
