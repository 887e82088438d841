// Reads `cost_governance:` with the reference's keys: costs per tool glob, budgets per
// principal, per named principal and per tool glob, and alerts at percentages. A section
// with `enabled: false` (the reference's default) asks for nothing.

import Yams

extension ConfigDecoder {
    /// nil when the section is switched off.
    mutating func costGovernance(_ node: Node, path: String) -> CostGovernanceSettings? {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.costGovernance, path: path) else { return nil }
        var settings = CostGovernanceSettings()
        var enabled = true
        for entry in entries {
            switch entry.key {
            case "enabled": enabled = bool(entry.value, path: entry.path) ?? true
            case "currency":
                if let currency = string(entry.value, path: entry.path)?.trimmingBlanks(), !currency.isEmpty { settings.currency = currency }
            case "default_cost":
                if let cost = nonNegativeNumber(entry.value, path: entry.path, max: 1e9) { settings.defaultCost = cost }
            case "tool_costs": settings.toolCosts = toolCosts(entry.value, path: entry.path)
            case "budgets": readBudgets(entry.value, path: entry.path, into: &settings)
            case "alerts": settings.alerts = costAlerts(entry.value, path: entry.path)
            default: break
            }
        }
        return enabled ? settings : nil
    }

    /// `{GLOB: cost}` in file order (the first match wins).
    private mutating func toolCosts(_ node: Node, path: String) -> [(glob: String, cost: Double)] {
        var costs: [(glob: String, cost: Double)] = []
        for (key, value) in globMapping(node, path: path, expected: "a mapping of tool globs to costs") {
            let entryPath = configPath(path, key.string)
            guard let glob = itemGlobs([(key.string, key.mark, entryPath)], kind: .tool).first,
                  let cost = nonNegativeNumber(value, path: entryPath, max: 1e9) else { continue }
            costs.append((glob, cost))
        }
        return costs
    }

    private mutating func readBudgets(_ node: Node, path: String, into settings: inout CostGovernanceSettings) {
        guard let entries = supportedEntries(of: node, section: ConfigSchema.budgets, path: path) else { return }
        for entry in entries {
            switch entry.key {
            case "daily": settings.principalBudget.daily = nonNegativeNumber(entry.value, path: entry.path, max: 1e12)
            case "monthly": settings.principalBudget.monthly = nonNegativeNumber(entry.value, path: entry.path, max: 1e12)
            case "per_tool":
                for (key, value) in globMapping(entry.value, path: entry.path, expected: "a mapping of tool globs to {daily, monthly}") {
                    let entryPath = configPath(entry.path, key.string)
                    guard let glob = itemGlobs([(key.string, key.mark, entryPath)], kind: .tool).first else { continue }
                    settings.perTool.append((glob, budget(value, path: entryPath)))
                }
            case "per_key":
                for (key, value) in globMapping(entry.value, path: entry.path, expected: "a mapping of principal names to {daily, monthly}") {
                    settings.perPrincipal[key.string] = budget(value, path: configPath(entry.path, key.string))
                }
            default: break
            }
        }
    }

    private mutating func budget(_ node: Node, path: String) -> CostGovernanceSettings.Budget {
        var budget = CostGovernanceSettings.Budget()
        guard let entries = supportedEntries(of: node, section: ConfigSchema.budget, path: path) else { return budget }
        for entry in entries {
            switch entry.key {
            case "daily": budget.daily = nonNegativeNumber(entry.value, path: entry.path, max: 1e12)
            case "monthly": budget.monthly = nonNegativeNumber(entry.value, path: entry.path, max: 1e12)
            default: break
            }
        }
        return budget
    }

    private mutating func costAlerts(_ node: Node, path: String) -> [CostGovernanceSettings.Alert] {
        if node.isNull { return [] }
        guard case .sequence(let sequence) = node else {
            error("expected a list of {at_percent, action} for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return []
        }
        var alerts: [CostGovernanceSettings.Alert] = []
        for (index, item) in sequence.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let entries = supportedEntries(of: item, section: ConfigSchema.costAlert, path: itemPath) else { continue }
            var percent: Double?
            var action: CostGovernanceSettings.Alert.Action?
            for entry in entries {
                switch entry.key {
                case "at_percent": percent = positiveNumber(entry.value, path: entry.path, max: 1000)
                case "action":
                    guard let word = string(entry.value, path: entry.path) else { continue }
                    action = CostGovernanceSettings.Alert.Action(rawValue: word.trimmingBlanks().lowercased())
                    if action == nil {
                        reportMismatch(expected: "log, notify or block", found: word, node: entry.value, path: entry.path)
                    }
                default: break
                }
            }
            if let percent, let action {
                alerts.append(CostGovernanceSettings.Alert(atPercent: percent, action: action))
            } else if !entries.contains(where: { $0.key == "at_percent" }) || !entries.contains(where: { $0.key == "action" }) {
                error("'\(itemPath)' needs 'at_percent' (like 80) and 'action' (log, notify or block)", at: item.mark, path: itemPath)
            }
        }
        return alerts.sorted { $0.atPercent < $1.atPercent }
    }

    /// The pairs of a mapping keyed by globs or names; empty after an error.
    private mutating func globMapping(_ node: Node, path: String, expected: String) -> [(key: Node.Scalar, value: Node)] {
        if node.isNull { return [] }
        guard case .mapping = node, let pairs = node.mappingPairsMergingKeys else {
            error("expected \(expected) for '\(path)', found \(node.kindDescription)", at: node.mark, path: path)
            return []
        }
        return pairs.map { ($0.key, $0.value) }
    }
}
