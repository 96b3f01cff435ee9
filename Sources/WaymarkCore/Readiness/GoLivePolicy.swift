/// Whether a milestone may be recorded as achieved before its gate has passed (issue 14). The
/// National Programme Office sets it for the programme and may set it differently per cluster.
public enum GoLivePolicy: String, CaseIterable, Sendable, Codable {
    /// Record it, and show the stage conflict as a warning (the behaviour before the policy).
    case warn
    /// Refuse it without the gate and, for Go-Live Completed, the signed readiness evidence,
    /// unless the Project Board has recorded an override with its reason.
    case require

    public var title: String { self == .warn ? "Warn" : "Require" }
}

/// What Go-Live Completed needs under `require`, as read for one project.
public struct GoLiveEvidence: Hashable, Sendable {
    public var passedGates: Set<NSIStage>
    public var signedReport: String?
    /// Checklists started, and how many are fully signed off.
    public var checklists: (total: Int, signedOff: Int)
    /// The Clinical Safety Officer's sign-off of the safety case, covering the hazard log as it is.
    public var safetySignedOff: Bool

    public init(passedGates: Set<NSIStage>, signedReport: String?, checklists: (total: Int, signedOff: Int), safetySignedOff: Bool) {
        self.passedGates = passedGates
        self.signedReport = signedReport
        self.checklists = checklists
        self.safetySignedOff = safetySignedOff
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.passedGates == b.passedGates && a.signedReport == b.signedReport && a.checklists == b.checklists && a.safetySignedOff == b.safetySignedOff
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(passedGates)
        hasher.combine(signedReport)
        hasher.combine(checklists.total)
        hasher.combine(checklists.signedOff)
        hasher.combine(safetySignedOff)
    }
}

/// The Project Board's decision to let a milestone be recorded without what the policy asks.
public struct MilestoneOverride: Hashable, Sendable {
    public var projectID: Int64
    public var milestone: MilestoneKind
    public var reason: String
    public var decidedBy: String
    public var decidedAt: String
    /// What was missing when the Board decided.
    public var gaps: [String]

    public init(projectID: Int64, milestone: MilestoneKind, reason: String, decidedBy: String, decidedAt: String, gaps: [String]) {
        self.projectID = projectID
        self.milestone = milestone
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.gaps = gaps
    }
}

public enum GoLivePolicyRules {
    /// The gate a milestone waits for: the one into the stage it closes (the Go Live gate, out
    /// of stage 3, for Go-Live Completed). Initiation Commenced waits for none.
    public static func gate(before kind: MilestoneKind) -> NSIStage? { NSIStage(rawValue: kind.stageExited - 1) }

    /// What recording `kind` as achieved lacks under `require`; empty when nothing.
    public static func gaps(recording kind: MilestoneKind, _ evidence: GoLiveEvidence) -> [String] {
        var gaps: [String] = []
        if let gate = gate(before: kind), !evidence.passedGates.contains(gate) {
            gaps.append("the gate out of stage \(gate.title) has not been passed")
        }
        guard kind == .goLiveCompleted else { return gaps }
        if evidence.signedReport == nil { gaps.append("no Operational Readiness Report is signed off by the Project Board") }
        if evidence.checklists.total == 0 {
            gaps.append("no Go Live Checklist has been started")
        } else if evidence.checklists.signedOff < evidence.checklists.total {
            gaps.append("\(evidence.checklists.signedOff) of \(evidence.checklists.total) Go Live Checklists are signed off")
        }
        if !evidence.safetySignedOff { gaps.append("the Clinical Safety Officer has not signed the safety case as the hazard log stands") }
        return gaps
    }

    /// Why an override cannot be recorded, checked in this order: its reason (ten characters or
    /// more), then the role (only the Project Board); nil when it can.
    public static func overrideRefusal(reason: String, role: Role?) -> (field: String?, message: String)? {
        guard reason.trimmedWhitespace.count >= 10 else {
            return ("reason", "An override needs a reason of at least 10 characters, saying why the project may go on without the evidence.")
        }
        guard role == .projectBoardMember else {
            return (nil, "Only the Project Board can override the Go Live policy; your role (\(role?.title ?? "none")) cannot.")
        }
        return nil
    }
}
