/// Change Review Boards, Change Control Notes and DIPs as generated or loaded (DOMAIN.md §8).
public struct ChangeControlRecords: Hashable, Sendable {
    public var boards: [ChangeReviewBoard]
    public var notes: [ChangeControlNote]
    public var decisions: [BoardDecision]
    /// Baselines that approved CCNs moved, oldest first.
    public var baselineChanges: [BaselineChange]
    public var dips: [DetailedImplementationPlan]

    public init(boards: [ChangeReviewBoard] = [], notes: [ChangeControlNote] = [], decisions: [BoardDecision] = [],
                baselineChanges: [BaselineChange] = [], dips: [DetailedImplementationPlan] = []) {
        self.boards = boards
        self.notes = notes
        self.decisions = decisions
        self.baselineChanges = baselineChanges
        self.dips = dips
    }
}

/// The guide's three kinds of change (§4.6.4).
public enum ChangeType: String, CaseIterable, Sendable, Codable {
    case contractual, technical, business
    public var title: String {
        switch self {
        case .contractual: "Contractual"
        case .technical: "Technical"
        case .business: "Business"
        }
    }
}

/// Where a Change Control Note is in its life: raised → under assessment → at the Change
/// Review Board → approved, rejected or deferred → (approved) implemented.
public enum ChangeState: String, CaseIterable, Sendable, Codable {
    case raised
    case underAssessment = "under-assessment"
    case atBoard = "at-board"
    case approved, rejected, deferred, implemented

    public var title: String {
        switch self {
        case .raised: "Raised"
        case .underAssessment: "Under assessment"
        case .atBoard: "At Change Review Board"
        case .approved: "Approved"
        case .rejected: "Rejected"
        case .deferred: "Deferred"
        case .implemented: "Implemented"
        }
    }

    /// Only the board moves a note into these, by recording a decision.
    public var isDecision: Bool { [.approved, .rejected, .deferred].contains(self) }
    /// An approved change that may be applied (DIP edits, re-baselines already done).
    public var authorisesChange: Bool { self == .approved || self == .implemented }
}

/// Who assesses a change (§4.6.4): one assessment per discipline.
public enum AssessorDiscipline: String, CaseIterable, Sendable, Codable {
    case commercial, technical
    case programmeControls = "programme-controls"
    case quality
    case seniorSponsor = "senior-sponsor"

    public var title: String {
        switch self {
        case .commercial: "Commercial"
        case .technical: "Technical"
        case .programmeControls: "Programme controls"
        case .quality: "Quality"
        case .seniorSponsor: "Senior sponsor"
        }
    }
}

/// The impact assessment: risk, issues, functionality, cost and time (§4.6.4).
public struct ChangeImpact: Hashable, Sendable, Codable {
    public var risk: String
    public var issues: String
    public var functionality: String
    public var cost: String
    /// Whole pounds, when the cost has been priced.
    public var costPounds: Int64?
    public var time: String
    /// Working days gained (negative) or lost, when estimated.
    public var timeWorkingDays: Int?

    public init(risk: String = "", issues: String = "", functionality: String = "", cost: String = "", costPounds: Int64? = nil,
                time: String = "", timeWorkingDays: Int? = nil) {
        self.risk = risk
        self.issues = issues
        self.functionality = functionality
        self.cost = cost
        self.costPounds = costPounds
        self.time = time
        self.timeWorkingDays = timeWorkingDays
    }
}

/// One discipline's assessment and recommendation.
public struct ChangeAssessment: Hashable, Sendable, Codable {
    public var discipline: AssessorDiscipline
    public var assessor: String
    public var recommendation: String
    public var recordedOn: Day

    public init(discipline: AssessorDiscipline, assessor: String, recommendation: String, recordedOn: Day) {
        self.discipline = discipline
        self.assessor = assessor
        self.recommendation = recommendation
        self.recordedOn = recordedOn
    }
}

/// Where a record sits, copied onto stored rows so scope is one condition.
public struct ChangeAnchor: Hashable, Sendable {
    public var ancestry: Ancestry
    public var supplierID: Int64?
    public init(ancestry: Ancestry, supplierID: Int64? = nil) {
        self.ancestry = ancestry
        self.supplierID = supplierID
    }
}

/// A project the change affects.
public struct AffectedProject: Hashable, Sendable {
    public var id: Int64
    public var code: String
    public var anchor: ChangeAnchor
    public init(id: Int64, code: String, anchor: ChangeAnchor) {
        self.id = id
        self.code = code
        self.anchor = anchor
    }
}

/// A milestone the change re-baselines when approved.
public struct AffectedMilestone: Hashable, Sendable {
    public var projectID: Int64
    public var projectCode: String
    public var kind: MilestoneKind
    public var proposedBaseline: Day
    public init(projectID: Int64, projectCode: String, kind: MilestoneKind, proposedBaseline: Day) {
        self.projectID = projectID
        self.projectCode = projectCode
        self.kind = kind
        self.proposedBaseline = proposedBaseline
    }
}

/// A DIP line the change alters (timing, place or type, §8), or, with no line, a new line in the DIP.
public struct AffectedDIPLine: Hashable, Sendable {
    public var dipID: Int64
    public var lineNumber: Int?
    public var proposedDue: Day?
    public var proposedOrganisationID: Int64?
    public var proposedImplementation: ImplementationKind?
    /// The line's place (or the DIP's cluster for a new line) and the DIP's LSP.
    public var anchor: ChangeAnchor

    public init(dipID: Int64, lineNumber: Int?, proposedDue: Day? = nil, proposedOrganisationID: Int64? = nil,
                proposedImplementation: ImplementationKind? = nil, anchor: ChangeAnchor) {
        self.dipID = dipID
        self.lineNumber = lineNumber
        self.proposedDue = proposedDue
        self.proposedOrganisationID = proposedOrganisationID
        self.proposedImplementation = proposedImplementation
        self.anchor = anchor
    }
}

extension ChangeAnchor {
    /// An organisation's own place (no supplier).
    public init(_ organisation: Organisation) { self.init(ancestry: organisation.ancestry) }
}

extension AffectedProject {
    public init(_ project: ImplementationProject) {
        self.init(id: project.id, code: project.code, anchor: ChangeAnchor(ancestry: project.ancestry, supplierID: project.supplierID))
    }
}

/// A project named by another record, with the code to show and link to.
public struct ProjectRef: Hashable, Sendable {
    public var id: Int64
    public var code: String
    public init(id: Int64, code: String) {
        self.id = id
        self.code = code
    }
    public init(_ project: ImplementationProject) { self.init(id: project.id, code: project.code) }
}
