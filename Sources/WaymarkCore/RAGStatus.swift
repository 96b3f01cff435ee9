/// Red/amber/green delivery status of a project, derived by `RAGRule` (docs/design/rag-status.md).
public enum RAGStatus: String, CaseIterable, Sendable, Codable {
    case red, amber, green, complete

    public var title: String {
        switch self {
        case .red: "Red"
        case .amber: "Amber"
        case .green: "Green"
        case .complete: "Complete"
        }
    }
}

/// The RAG rule, looking only at milestones not yet achieved:
/// - Complete: every milestone achieved.
/// - Red: a forecast slips more than `redThreshold` working days past its baseline, or a
///   forecast date has passed without the milestone being achieved.
/// - Amber: a forecast slips 1 to `redThreshold` working days, or an open milestone has no forecast.
/// - Green: otherwise.
public struct RAGRule: Sendable {
    public var redThreshold: Int
    public var calendar: WorkingCalendar

    public init(redThreshold: Int = 20, calendar: WorkingCalendar = .england) {
        self.redThreshold = redThreshold
        self.calendar = calendar
    }

    public func status(of milestones: [Milestone], today: Day) -> (status: RAGStatus, reason: String) {
        let open = milestones.filter { !$0.isAchieved }
        if open.isEmpty { return (.complete, "All milestones achieved.") }
        var amberReason: String?
        for milestone in open {
            guard let forecast = milestone.forecast else {
                amberReason = amberReason ?? "\(milestone.kind.title) has no forecast date."
                continue
            }
            if forecast < today {
                return (.red, "\(milestone.kind.title) was forecast for \(forecast.iso) and is not achieved.")
            }
            let slip = milestone.slippage(in: calendar) ?? 0
            if slip > redThreshold {
                return (.red, "\(milestone.kind.title) is forecast \(slip) working days late.")
            }
            if slip > 0 {
                amberReason = amberReason ?? "\(milestone.kind.title) is forecast \(slip) working days late."
            }
        }
        if let amberReason { return (.amber, amberReason) }
        return (.green, "Open milestones are forecast on or before their baselines.")
    }
}
