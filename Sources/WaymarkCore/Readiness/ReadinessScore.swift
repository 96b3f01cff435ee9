/// What the programme-wide readiness page knows of one project going live soon, read in bulk.
public struct ReadinessFacts: Hashable, Sendable {
    public var surveysAnswered = 0
    public var surveysNotReady = 0
    /// Open showstopper risks and issues.
    public var showstoppers = 0
    public var signedReport = false
    public var checklists = 0
    public var checklistsSignedOff = 0
    /// Open hazards above an acceptable residual rating.
    public var blockingHazards = 0
    public var safetySigned = false
    /// The latest data-quality check's share of valid NHS Numbers; nil with no check.
    public var validPerMille: Int?

    public init() {}
}

/// A project's readiness for Go Live out of 100, with the reasons it is not 100.
public struct ReadinessScore: Hashable, Sendable {
    public enum Band: String, CaseIterable, Sendable {
        case ready, atRisk = "at-risk", notReady = "not-ready"
        public var title: String {
            switch self {
            case .ready: "Ready"
            case .atRisk: "At risk"
            case .notReady: "Not ready"
            }
        }
    }
    public var value: Int
    public var reasons: [String]
    public var band: Band { value >= 80 ? .ready : value >= 50 ? .atRisk : .notReady }
}

/// The score: 100, less a fixed amount for each gap the guide's Go Live decision cares about.
/// The amounts rank the gaps; they are not a measure. See docs/design/readiness.md.
public enum ReadinessScoring {
    public static func score(_ f: ReadinessFacts) -> ReadinessScore {
        var value = 100
        var reasons: [String] = []
        func less(_ points: Int, _ reason: String) {
            value -= points
            reasons.append(reason)
        }
        if !f.signedReport { less(25, "No Operational Readiness Report signed off") }
        if f.checklists == 0 {
            less(20, "No Go Live Checklist started")
        } else if f.checklistsSignedOff < f.checklists {
            less(15, "\(f.checklistsSignedOff) of \(f.checklists) Go Live Checklists signed off")
        }
        if f.showstoppers > 0 { less(20, "\(f.showstoppers) showstopper risk\(f.showstoppers == 1 ? "" : "s") or issue\(f.showstoppers == 1 ? "" : "s") open") }
        if f.blockingHazards > 0 && !f.safetySigned {
            less(20, "\(f.blockingHazards) hazard\(f.blockingHazards == 1 ? "" : "s") above acceptable without the CSO's sign-off")
        }
        if f.surveysAnswered == 0 {
            less(10, "No readiness survey answered")
        } else if f.surveysNotReady > 0 {
            less(min(30, 10 * f.surveysNotReady), "\(f.surveysNotReady) survey\(f.surveysNotReady == 1 ? "" : "s") rated not ready")
        }
        if let valid = f.validPerMille {
            if valid < ReadinessReportRules.validNumbersWanted {
                less(10, "Valid NHS Numbers \(ReadinessReportRules.percent(valid)) (\(ReadinessReportRules.percent(ReadinessReportRules.validNumbersWanted)) wanted)")
            }
        } else {
            less(5, "No data-quality check")
        }
        return ReadinessScore(value: max(0, value), reasons: reasons)
    }
}
