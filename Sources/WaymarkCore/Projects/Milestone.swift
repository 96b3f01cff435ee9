/// The six NSI reporting milestones (guide §4.6.1.1); each is the exit of one stage.
public enum MilestoneKind: String, CaseIterable, Sendable, Codable, Comparable {
    case initiationCommenced = "initiation-commenced"
    case initiationCompleted = "initiation-completed"
    case localDesignCompleted = "local-design-completed"
    case preparationForGoLiveCompleted = "preparation-for-go-live-completed"
    case goLiveCompleted = "go-live-completed"
    case implementationCompleted = "implementation-completed"

    public var title: String {
        switch self {
        case .initiationCommenced: "Initiation Commenced"
        case .initiationCompleted: "Initiation Completed"
        case .localDesignCompleted: "Local Design Completed"
        case .preparationForGoLiveCompleted: "Preparation for Go-Live Completed"
        case .goLiveCompleted: "Go-Live Completed"
        case .implementationCompleted: "Implementation Completed"
        }
    }

    /// 0-5, also the bit used in a project's late mask.
    public var index: Int { MilestoneKind.allCases.firstIndex(of: self)! }

    /// The NSI stage this milestone closes (Initiation Commenced closes stage 0, the Project Brief).
    public var stageExited: Int { index }

    public static func < (lhs: MilestoneKind, rhs: MilestoneKind) -> Bool { lhs.index < rhs.index }
}

/// LSP-based or ESP-based implementation (guide §4.2.3).
public enum ProjectType: String, CaseIterable, Sendable, Codable {
    case lsp, esp

    public var title: String { self == .lsp ? "LSP-based" : "ESP-based" }

    /// LSP projects record all six milestones; ESP projects only two (guide §4.6.1.1).
    public var mandatoryMilestones: [MilestoneKind] {
        switch self {
        case .lsp: MilestoneKind.allCases
        case .esp: [.initiationCompleted, .goLiveCompleted]
        }
    }
}

public struct Milestone: Hashable, Sendable, Codable {
    public var kind: MilestoneKind
    public var baseline: Day?
    public var forecast: Day?
    public var actual: Day?
    public var version: Int

    public init(kind: MilestoneKind, baseline: Day?, forecast: Day?, actual: Day?, version: Int = 1) {
        self.kind = kind
        self.baseline = baseline
        self.forecast = forecast
        self.actual = actual
        self.version = version
    }

    public var isAchieved: Bool { actual != nil }

    /// Open and forecast after its baseline: what the roll-ups count as "forecast late".
    public var isForecastLate: Bool {
        guard actual == nil, let forecast, let baseline else { return false }
        return forecast > baseline
    }

    /// Working days the forecast (or actual, once achieved) lies after the baseline.
    public func slippage(in calendar: WorkingCalendar) -> Int? {
        guard let baseline, let date = actual ?? forecast else { return nil }
        return calendar.workingDays(from: baseline, to: date)
    }
}
