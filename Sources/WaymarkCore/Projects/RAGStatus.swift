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

    /// The status from the stored basis alone, so lists need no milestone rows.
    public func status(of basis: RAGBasis, today: Day) -> RAGStatus {
        if basis.complete { return .complete }
        if let next = basis.earliestOpenForecast, next < today { return .red }
        if let slip = basis.worstOpenSlippage, slip > redThreshold { return .red }
        if (basis.worstOpenSlippage ?? 0) > 0 || basis.openWithoutForecast { return .amber }
        return .green
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

/// What the RAG rule needs from a project's milestones, small enough to keep on the project row.
/// None of it depends on today's date, so it stays true until the milestones change.
public struct RAGBasis: Hashable, Sendable, Codable {
    public var complete: Bool
    /// The largest slippage, in working days, of open milestones with a forecast.
    public var worstOpenSlippage: Int?
    public var earliestOpenForecast: Day?
    public var openWithoutForecast: Bool

    public init(complete: Bool, worstOpenSlippage: Int?, earliestOpenForecast: Day?, openWithoutForecast: Bool) {
        self.complete = complete
        self.worstOpenSlippage = worstOpenSlippage
        self.earliestOpenForecast = earliestOpenForecast
        self.openWithoutForecast = openWithoutForecast
    }

    public init(milestones: [Milestone], calendar: WorkingCalendar) {
        let open = milestones.filter { !$0.isAchieved }
        complete = open.isEmpty
        worstOpenSlippage = open.compactMap { $0.forecast == nil ? nil : $0.slippage(in: calendar) }.max()
        earliestOpenForecast = open.compactMap(\.forecast).min()
        openWithoutForecast = open.contains { $0.forecast == nil }
    }
}
