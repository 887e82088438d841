// Runs one capability call: arguments parsed, defaults filled, validated against schema.input (before
// anything is sent), then each provider in turn (primary, then fallbacks when the primary is down),
// each with retries for idempotent operations only, and the answer shaped into a CallToolResult.

import Logging
import MCPProtocol

struct CapabilityExecutor: Sendable {
    let exchange: HTTPExchange
    let environment: [String: String]
    let retry: RetryPolicy
    let logger: Logger

    func call(_ definition: CapabilityDefinition, arguments: [UInt8]) async -> RawJSON {
        do {
            return try await execute(definition, arguments: arguments)
        } catch {
            logger.debug("capability call failed", metadata: ["capability": "\(definition.name)", "error": "\(error.message)"])
            return CallToolResultBuilder.error(error.message)
        }
    }

    /// The arguments as an object with defaults filled in, or the reason they cannot be used.
    static func validatedArguments(_ definition: CapabilityDefinition, _ bytes: [UInt8]) throws(CapabilityCallError) -> JSONObject {
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        var value: JSONValue = .object(JSONObject())
        if !trimmed.isEmpty {
            guard let parsed = try? JSONParser.parse(Array(trimmed)) else { throw .argumentsNotAnObject }
            value = parsed.isNull ? .object(JSONObject()) : parsed
        }
        guard value.objectValue != nil else { throw .argumentsNotAnObject }
        let filled = ArgumentDefaults.apply(schema: definition.inputSchema, to: value)
        let violations = SchemaValidator(schema: definition.inputSchema).violations(of: filled)
        guard violations.isEmpty else { throw .invalidArguments(violations) }
        return filled.objectValue ?? JSONObject()
    }

    private func execute(_ definition: CapabilityDefinition, arguments bytes: [UInt8]) async throws(CapabilityCallError) -> RawJSON {
        let arguments = try Self.validatedArguments(definition, bytes)
        let resolver = SecretResolver(environment: environment, mode: .live)
        var lastError: CapabilityCallError?
        for (index, provider) in definition.providers.enumerated() {
            do {
                let builder = RequestBuilder(definition: definition, provider: provider, resolver: resolver)
                let request = try builder.build(arguments: arguments)
                let answer = try await sendWithRetries(request, definition: definition, provider: provider)
                if answer.status >= 500, index < definition.providers.count - 1 {
                    lastError = .httpStatus(code: answer.status, reason: answer.reason, endpoint: answer.url.authority, detail: "")
                    logger.info("capability provider failed; trying the fallback",
                                metadata: ["capability": "\(definition.name)", "status": "\(answer.status)"])
                    continue
                }
                return try ResponseShaper(definition: definition, provider: provider, request: request).shape(answer)
            } catch {
                lastError = error
                guard error.allowsFallback, index < definition.providers.count - 1 else { throw error }
                logger.info("capability provider failed; trying the fallback",
                            metadata: ["capability": "\(definition.name)", "error": "\(error.message)"])
            }
        }
        throw lastError ?? .network("no provider")
    }

    /// Sends, repeating retryable failures when the operation is idempotent. A 5xx or 429 answer that
    /// is not retried (or runs out of attempts) is returned as an answer, not thrown.
    private func sendWithRetries(_ request: PreparedRequest, definition: CapabilityDefinition,
                                 provider: ProviderDefinition) async throws(CapabilityCallError) -> HTTPAnswer {
        let attempts = definition.isIdempotent ? max(1, retry.maxAttempts) : 1
        let credentialHeaders = credentialHeaderNames(definition, provider)
        var attempt = 1
        while true {
            var retryAfter: Duration?
            do {
                let answer = try await exchange.send(request, timeout: provider.timeout, credentialHeaders: credentialHeaders)
                let status = answer.status
                guard attempt < attempts, RetryPolicy.isRetryable(.httpStatus(code: status, reason: "", endpoint: "", detail: "")) else {
                    return answer
                }
                retryAfter = answer.header("retry-after").flatMap(Int.init).flatMap { $0 >= 0 ? Duration.seconds($0) : nil }
            } catch {
                guard attempt < attempts, RetryPolicy.isRetryable(error) else { throw error }
            }
            attempt += 1
            let delay = retry.delay(beforeAttempt: attempt, retryAfter: retryAfter)
            logger.debug("retrying capability request", metadata: ["capability": "\(definition.name)", "attempt": "\(attempt)"])
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw .network("cancelled")
            }
        }
    }

    /// Headers that may carry a secret: the auth header and any header filled from `{env.NAME}`.
    private func credentialHeaderNames(_ definition: CapabilityDefinition, _ provider: ProviderDefinition) -> Set<String> {
        var names: Set<String> = ["authorization", "proxy-authorization"]
        if definition.auth.kind != .none, definition.auth.param == nil { names.insert(definition.auth.effectiveHeader.lowercased()) }
        for header in provider.headers where !header.value.environmentNames.isEmpty { names.insert(header.name.lowercased()) }
        return names
    }
}
