// Session-era requests with nothing but their reply to send (ReplyStreaming), answered as
// plain JSON without the stream and task a possibly streaming reply needs. Used by the route
// and by PlainPostHandler, the fast path below Hummingbird that answers such POSTs itself.

import GatewayAuth
import GatewayCore
import Hummingbird
import MCPProtocol

extension StreamableHTTPEndpoint {
    /// A POST the fast path may run: a request that passes every check of `post` and can
    /// only have a plain JSON reply, in either era.
    enum PlainWork: Sendable {
        case session(JSONRPCMessage, ClientSession)
        case modern(ModernHTTPEndpoint.Call)

        /// In 2026-07-28 a client cancels by closing the connection; in the session eras it
        /// sends `notifications/cancelled`, and a closed connection cancels nothing.
        var cancelledByClosing: Bool {
            if case .modern = self { return true }
            return false
        }
    }

    /// The fast path's work for a POST, or nil for anything else (errors included), which goes
    /// to `post` and gets its proper answer there. The fast path never hands over a body longer
    /// than `maxBodySize`.
    func plainWork(_ headers: PostHeaders, body: [UInt8], principal: Principal) -> PlainWork? {
        guard guardHeaders(origin: headers.origin, host: headers.host) == nil else { return nil }
        if ModernHTTPEndpoint.isModern(version: headers.protocolVersion) {
            return modern.plainCall(headers, body: body, principal: principal).map(PlainWork.modern)
        }
        guard contentProblem(headers) == nil,
              case .request(let message, let session) = prepare(headers, body: body, principal: principal),
              !ReplyStreaming.mayStream(message, context: session.context) else { return nil }
        return .session(message, session)
    }

    /// Runs the fast path's work on the current task, which must be the request's own.
    func run(_ work: PlainWork) async -> [UInt8]? {
        switch work {
        case .session(let message, let session): return await runPlain(message, session: session, cancellable: true)
        case .modern(let call): return await modern.runPlain(call)
        }
    }

    /// Tracing on: `run` with the client's trace context bound. Out of line, so the task of an
    /// untraced request keeps the frame it had before tracing.
    @inline(never)
    func run(_ work: PlainWork, within trace: TraceContextFields?) async -> [UInt8]? {
        await TraceContextPropagation.$incoming.withValue(trace) { await run(work) }
    }

    /// Answers a plain request from the route: one answered from the catalog runs on the
    /// handler's own task; any other as a child task, so `notifications/cancelled` can stop it
    /// without touching the handler's task (which would close the connection unanswered).
    func answerPlain(_ message: JSONRPCMessage, session: ClientSession) async -> Response {
        let response: [UInt8]?
        if gateway.dispatcher.answersFromCatalog(message) {
            response = await runPlain(message, session: session, cancellable: false)
        } else {
            async let work = runPlain(message, session: session, cancellable: true)
            response = await work
        }
        guard let response else { return HTTPReplies.accepted() }
        return HTTPReplies.json(response)
    }

    /// Runs a plain request on the current task. When `cancellable`, `notifications/cancelled`
    /// for it cancels the current task, so that task must be one of the request's own; the
    /// answer is then nil (nothing is sent for a cancelled request).
    func runPlain(_ message: JSONRPCMessage, session: ClientSession, cancellable: Bool) async -> [UInt8]? {
        let dispatcher = gateway.dispatcher
        let client = SessionClientChannel(session: session)
        guard cancellable, let id = message.id else { return await dispatcher.handle(message, channel: client) }
        let response = await CurrentTaskCanceller.run(arm: { canceller in
            session.inflight.register(id, cancel: { canceller.cancel() })
        }) {
            await dispatcher.handle(message, channel: client)
        }
        session.inflight.finished(id)
        return Task.isCancelled ? nil : response
    }
}
