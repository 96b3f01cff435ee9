/// One DIP line with one linked project's progress on the line's due milestone, as read in one
/// query (a line with no linked project comes once, with no project).
public struct DIPLineProgress: Hashable, Sendable {
    public var lineID: Int64
    public var due: Day
    public var projectID: Int64?
    public var actual: Day?
    public var forecast: Day?

    public init(lineID: Int64, due: Day, projectID: Int64?, actual: Day?, forecast: Day?) {
        self.lineID = lineID
        self.due = due
        self.projectID = projectID
        self.actual = actual
        self.forecast = forecast
    }
}

/// Where one obligation stands.
public enum ObligationStatus: String, CaseIterable, Sendable {
    case delivered
    case deliveredLate = "delivered-late"
    /// Due date passed without delivery.
    case late
    /// Not yet due, but forecast after the due date, or with no project or forecast to go on.
    case atRisk = "at-risk"
    case onTrack = "on-track"

    public var title: String {
        switch self {
        case .delivered: "Delivered"
        case .deliveredLate: "Delivered late"
        case .late: "Late"
        case .atRisk: "At risk"
        case .onTrack: "On track"
        }
    }
}

/// One obligation, its linked projects taken together: delivered when every linked project
/// has achieved the due milestone (on the last of their dates); forecast on the latest forecast.
public struct DIPObligation: Hashable, Sendable {
    public var lineID: Int64
    public var due: Day
    public var delivered: Day?
    public var forecast: Day?
    public var hasProject: Bool

    public init(lineID: Int64, due: Day, delivered: Day?, forecast: Day?, hasProject: Bool) {
        self.lineID = lineID
        self.due = due
        self.delivered = delivered
        self.forecast = forecast
        self.hasProject = hasProject
    }

    public func status(today: Day) -> ObligationStatus {
        if let delivered { return delivered > due ? .deliveredLate : .delivered }
        if due < today { return .late }
        guard hasProject, let forecast, forecast <= due else { return .atRisk }
        return .onTrack
    }

    /// Groups rows by line, in the order lines first appear.
    public static func combine(_ rows: [DIPLineProgress]) -> [DIPObligation] {
        var order: [Int64] = []
        var byLine: [Int64: (due: Day, projects: Int, achieved: [Day], open: Int, forecasts: [Day])] = [:]
        for row in rows {
            if byLine[row.lineID] == nil {
                order.append(row.lineID)
                byLine[row.lineID] = (row.due, 0, [], 0, [])
            }
            guard row.projectID != nil else { continue }
            byLine[row.lineID]!.projects += 1
            if let actual = row.actual {
                byLine[row.lineID]!.achieved.append(actual)
            } else {
                byLine[row.lineID]!.open += 1
                if let forecast = row.forecast { byLine[row.lineID]!.forecasts.append(forecast) }
            }
        }
        return order.map { id in
            let line = byLine[id]!
            let delivered = line.projects > 0 && line.open == 0 ? line.achieved.max() : nil
            // One open project without a forecast leaves the whole obligation without one.
            let forecast = line.open > 0 && line.forecasts.count == line.open ? line.forecasts.max() : nil
            return DIPObligation(lineID: id, due: line.due, delivered: delivered, forecast: forecast, hasProject: line.projects > 0)
        }
    }
}

/// Obligations due, delivered, late and at risk per month of a financial year, with the
/// cumulative planned-versus-actual figures the chart draws.
public struct DIPPerformance: Hashable, Sendable {
    public struct Month: Hashable, Sendable {
        public var start: Day
        public var due = 0
        public var delivered = 0
        public var late = 0
        public var atRisk = 0
        public var cumulativeDue = 0
        /// nil for months that have not started yet: the actual line stops at today.
        public var cumulativeDelivered: Int?
    }

    public var year: FinancialYear
    public var today: Day
    public var months: [Month]
    public var obligations: Int

    public var totalDue: Int { months.reduce(0) { $0 + $1.due } }
    public var totalDelivered: Int { months.reduce(0) { $0 + $1.delivered } }
    public var totalLate: Int { months.reduce(0) { $0 + $1.late } }
    public var totalAtRisk: Int { months.reduce(0) { $0 + $1.atRisk } }

    /// Obligations count in the month they fall due (due, late, at risk) and in the month they
    /// were delivered; a delivery before the year counts in April, one after it not at all.
    public static func compute(_ obligations: [DIPObligation], year: FinancialYear, today: Day) -> DIPPerformance {
        var months = year.months.map { Month(start: $0) }
        for obligation in obligations {
            guard let dueIndex = year.monthIndex(of: obligation.due) else { continue }
            months[dueIndex].due += 1
            switch obligation.status(today: today) {
            case .late, .deliveredLate: months[dueIndex].late += 1
            case .atRisk: months[dueIndex].atRisk += 1
            case .delivered, .onTrack: break
            }
            if let delivered = obligation.delivered {
                if let index = year.monthIndex(of: delivered) {
                    months[index].delivered += 1
                } else if delivered < year.start {
                    months[0].delivered += 1
                }
            }
        }
        var due = 0, delivered = 0
        for index in months.indices {
            due += months[index].due
            delivered += months[index].delivered
            months[index].cumulativeDue = due
            months[index].cumulativeDelivered = months[index].start <= today ? delivered : nil
        }
        return DIPPerformance(year: year, today: today, months: months, obligations: obligations.count)
    }
}
