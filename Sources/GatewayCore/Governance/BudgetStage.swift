// The call pipeline's budgets (`cost_governance`): a tool call is charged before it goes on,
// refused with -32003 when a budget's block threshold would be passed, and refunded when it
// never reached the backend. Alerts fire here: `log` and `block` as a log line, `notify` as a
// log line and a `notifications/message` (level warning) to the caller. Spending is saved by
// BudgetStore, off the call path.

import GatewayBackends
import GatewayConfig
import GatewayGovernance
import Logging
import MCPProtocol

public struct BudgetStage: CallStage {
    public let ledger: BudgetLedger
    let logger: Logger
    /// Called after every change of spending (the store schedules a save).
    let onChange: @Sendable () -> Void

    public init(ledger: BudgetLedger, logger: Logger, onChange: @escaping @Sendable () -> Void = {}) {
        self.ledger = ledger
        self.logger = logger
        self.onChange = onChange
    }

    public func process(_ call: BackendCall, next: CallNext) async -> CallOutcome {
        guard let tool = call.tool else { return await next(call) }
        switch ledger.charge(principal: call.principal, server: call.server, tool: tool) {
        case .free:
            return await next(call)
        case .blocked(let refusal, let alerts):
            deliver(alerts, call: call)
            logger.warning("budget refused a call", metadata: [
                "principal": "\(call.principal.name)", "server": "\(call.server)", "tool": "\(tool)",
                "budget": "\(refusal.ruleName)",
            ])
            onChange()
            return .refused(refusal)
        case .charged(let charge, let alerts):
            deliver(alerts, call: call)
            let outcome = await next(call)
            switch outcome {
            case .refused, .failure: ledger.refund(charge)
            case .result, .backendError: break
            }
            onChange()
            return outcome
        }
    }

    private func deliver(_ alerts: [BudgetLedger.FiredAlert], call: BackendCall) {
        for alert in alerts {
            logger.warning("\(alert.message)", metadata: [
                "principal": "\(call.principal.name)", "alert": "\(alert.action.rawValue)", "at_percent": "\(alert.atPercent)",
            ])
            if alert.action == .notify, let onLog = call.hooks.onLog {
                var params = JSONObject()
                params["level"] = .string("warning")
                params["logger"] = .string("mcp-gateway/budget")
                params["data"] = .string(alert.message)
                onLog(call.server, RawJSON(JSONWriter.encode(.object(params))))
            }
        }
    }
}
