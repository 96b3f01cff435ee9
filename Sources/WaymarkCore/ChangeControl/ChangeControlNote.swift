/// A request for change as the Change Review Board considers it (§4.6.4). Each belongs to one
/// cluster: changes are raised via the Cluster PMO and go to that cluster's board.
public struct ChangeControlNote: Hashable, Sendable {
    public var id: Int64
    public var clusterID: Int64
    public var clusterCode: String
    /// The note's number within its cluster.
    public var number: Int
    public var type: ChangeType
    public var title: String
    public var description: String
    public var reason: String
    public var impact: ChangeImpact
    public var projects: [AffectedProject]
    public var milestones: [AffectedMilestone]
    public var dipLines: [AffectedDIPLine]
    public var assessments: [ChangeAssessment]
    public var state: ChangeState
    public var raisedBy: String
    public var raisedOn: Day
    /// The organisation it was raised from (a cluster, or a trust or SHA through the cluster PMO).
    public var raisedAt: Int64
    public var raisedAtAnchor: ChangeAnchor
    public var version: Int

    public init(id: Int64 = 0, clusterID: Int64, clusterCode: String, number: Int = 0, type: ChangeType, title: String,
                description: String, reason: String, impact: ChangeImpact = ChangeImpact(), projects: [AffectedProject] = [],
                milestones: [AffectedMilestone] = [], dipLines: [AffectedDIPLine] = [], assessments: [ChangeAssessment] = [],
                state: ChangeState = .raised, raisedBy: String, raisedOn: Day, raisedAt: Int64, raisedAtAnchor: ChangeAnchor,
                version: Int = 1) {
        self.id = id
        self.clusterID = clusterID
        self.clusterCode = clusterCode
        self.number = number
        self.type = type
        self.title = title
        self.description = description
        self.reason = reason
        self.impact = impact
        self.projects = projects
        self.milestones = milestones
        self.dipLines = dipLines
        self.assessments = assessments
        self.state = state
        self.raisedBy = raisedBy
        self.raisedOn = raisedOn
        self.raisedAt = raisedAt
        self.raisedAtAnchor = raisedAtAnchor
        self.version = version
    }

    /// "CCN-CNE-0007".
    public var reference: String { Self.reference(clusterCode: clusterCode, number: number) }

    public static func reference(clusterCode: String, number: Int) -> String {
        let digits = String(number)
        return "CCN-\(clusterCode)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Every place the note touches: who may see it follows from these (DOMAIN.md §1 scoping).
    public var anchors: [ChangeAnchor] {
        var all = [raisedAtAnchor] + projects.map(\.anchor) + dipLines.map(\.anchor)
        var seen = Set<ChangeAnchor>()
        all.removeAll { !seen.insert($0).inserted }
        return all
    }

    public func assessment(_ discipline: AssessorDiscipline) -> ChangeAssessment? {
        assessments.first { $0.discipline == discipline }
    }

    public var missingAssessments: [AssessorDiscipline] {
        AssessorDiscipline.allCases.filter { assessment($0) == nil }
    }

    /// Affected items and assessments in the order a stored note reads back: projects and
    /// milestones by code (then lifecycle), assessments by discipline.
    public mutating func sortItems() {
        projects.sort { $0.code < $1.code }
        milestones.sort { ($0.projectCode, $0.kind) < ($1.projectCode, $1.kind) }
        let order = AssessorDiscipline.allCases
        assessments.sort { order.firstIndex(of: $0.discipline)! < order.firstIndex(of: $1.discipline)! }
    }

    /// Whether the note names this DIP line (or, with a nil line, a new line in this DIP).
    public func covers(dipID: Int64, lineNumber: Int?) -> Bool {
        dipLines.contains { $0.dipID == dipID && $0.lineNumber == lineNumber }
    }
}

/// A cluster's Change Review Board: members by username (so a seeded board can name people
/// before their accounts exist) and its meetings.
public struct ChangeReviewBoard: Hashable, Sendable {
    public var clusterID: Int64
    public var members: [BoardMember]
    public var meetings: [BoardMeeting]

    public init(clusterID: Int64, members: [BoardMember] = [], meetings: [BoardMeeting] = []) {
        self.clusterID = clusterID
        self.members = members
        self.meetings = meetings
    }

    public func isMember(_ username: String) -> Bool { members.contains { $0.username == username } }
}

public struct BoardMember: Hashable, Sendable {
    public var username: String
    public var name: String
    /// What they bring to the board, e.g. "SHA representative" or "Commercial".
    public var representing: String

    public init(username: String, name: String, representing: String) {
        self.username = username
        self.name = name
        self.representing = representing
    }
}

public struct BoardMeeting: Hashable, Sendable {
    public var id: Int64
    public var clusterID: Int64
    public var heldOn: Day
    public var minutes: String

    public init(id: Int64 = 0, clusterID: Int64, heldOn: Day, minutes: String) {
        self.id = id
        self.clusterID = clusterID
        self.heldOn = heldOn
        self.minutes = minutes
    }
}

/// What the board decided on one note at one meeting.
public enum DecisionOutcome: String, CaseIterable, Sendable, Codable {
    case approved, rejected, deferred
    public var state: ChangeState { ChangeState(rawValue: rawValue)! }
    public var title: String { state.title }
}

public struct BoardDecision: Hashable, Sendable {
    public var ccnID: Int64
    public var meetingID: Int64
    public var outcome: DecisionOutcome
    public var reason: String
    public var decidedBy: String
    public var decidedOn: Day

    public init(ccnID: Int64, meetingID: Int64, outcome: DecisionOutcome, reason: String, decidedBy: String, decidedOn: Day) {
        self.ccnID = ccnID
        self.meetingID = meetingID
        self.outcome = outcome
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedOn = decidedOn
    }
}

/// One milestone baseline an approved CCN moved; the old date is kept here.
public struct BaselineChange: Hashable, Sendable {
    public var projectID: Int64
    public var kind: MilestoneKind
    public var from: Day?
    public var to: Day
    public var ccnID: Int64
    public var ccnReference: String
    public var changedOn: Day

    public init(projectID: Int64, kind: MilestoneKind, from: Day?, to: Day, ccnID: Int64, ccnReference: String, changedOn: Day) {
        self.projectID = projectID
        self.kind = kind
        self.from = from
        self.to = to
        self.ccnID = ccnID
        self.ccnReference = ccnReference
        self.changedOn = changedOn
    }
}
