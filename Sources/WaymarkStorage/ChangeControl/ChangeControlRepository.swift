import WaymarkCore

/// Filters for a list of Change Control Notes. Deny by default: without a scope nothing matches.
public struct ChangeNoteQuery: Sendable {
    public var scope: AccessScope?
    /// Notes that touch this organisation's subtree (for a cluster: its own notes; for a
    /// supplier: notes about what it delivers or its DIPs).
    public var within: Organisation?
    public var state: ChangeState?
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, within: Organisation? = nil, state: ChangeState? = nil, after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.within = within
        self.state = state
        self.after = after
        self.limit = limit
    }
}

/// A board decision with the note it decided, for the board's page.
public struct DecisionListing: Hashable, Sendable {
    public var decision: BoardDecision
    public var reference: String
    public var title: String
    public init(decision: BoardDecision, reference: String, title: String) {
        self.decision = decision
        self.reference = reference
        self.title = title
    }
}

/// A note's decision with the project re-baselines it applies, all written together.
public struct DecisionChange: Sendable {
    public var decision: BoardDecision
    /// The note in its new state; saved only if still at `expectedVersion`.
    public var note: ChangeControlNote
    public var expectedVersion: Int
    /// Re-baselined projects, each saved only if still at its read version.
    public var projects: [(project: ImplementationProject, expectedVersion: Int)]
    public var baselineChanges: [BaselineChange]

    public init(decision: BoardDecision, note: ChangeControlNote, expectedVersion: Int,
                projects: [(project: ImplementationProject, expectedVersion: Int)] = [], baselineChanges: [BaselineChange] = []) {
        self.decision = decision
        self.note = note
        self.expectedVersion = expectedVersion
        self.projects = projects
        self.baselineChanges = baselineChanges
    }
}

/// Change control and the Detailed Implementation Plan (DOMAIN.md §8).
public protocol ChangeControlRepository: Sendable {
    /// The note with its affected items and assessments, if in scope.
    func changeNote(id: Int64, scope: AccessScope) async throws -> ChangeControlNote?
    /// The note numbered `number` in the cluster, if in scope.
    func changeNote(clusterID: Int64, number: Int, scope: AccessScope) async throws -> ChangeControlNote?
    /// A page of notes in id order, without their affected items and assessments.
    func changeNotes(_ query: ChangeNoteQuery) async throws -> Page<ChangeControlNote>
    /// How many notes in `query` (its state and paging ignored) are in each state.
    func changeNoteCounts(_ query: ChangeNoteQuery) async throws -> [ChangeState: Int]
    /// Saves a new note (id 0: numbered in its cluster) or a change to one at `expectedVersion`,
    /// whole, with the audit entry; a stale version is `.conflict`.
    func saveChangeNote(_ note: ChangeControlNote, expectedVersion: Int?, audit: AuditRecord) async throws -> ChangeControlNote
    /// The decision, the note's new state, and every re-baseline, in one transaction: a stale
    /// note or project version fails the whole decision as `.conflict` and changes nothing.
    func recordDecision(_ change: DecisionChange, audits: [AuditRecord]) async throws
    func decisions(ccnID: Int64) async throws -> [BoardDecision]
    /// The board's decisions, newest first, on notes in scope.
    func boardDecisions(clusterID: Int64, scope: AccessScope, limit: Int) async throws -> [DecisionListing]
    /// Baselines approved CCNs moved on a project, newest first.
    func baselineHistory(projectID: Int64) async throws -> [BaselineChange]

    func changeBoard(clusterID: Int64) async throws -> ChangeReviewBoard
    /// Adds the member, or updates their name and what they represent.
    func saveBoardMember(_ member: BoardMember, clusterID: Int64, audit: AuditRecord) async throws
    /// `.notFound` when they were not a member.
    func removeBoardMember(username: String, clusterID: Int64, audit: AuditRecord) async throws
    func addBoardMeeting(_ meeting: BoardMeeting, audit: AuditRecord) async throws -> BoardMeeting

    /// DIPs in scope (without lines), by year, cluster and supplier.
    func dips(scope: AccessScope, clusterID: Int64?, year: FinancialYear?) async throws -> [DetailedImplementationPlan]
    func dip(id: Int64, scope: AccessScope) async throws -> DetailedImplementationPlan?
    /// Adds a draft DIP; one per supplier, cluster and year (`.duplicate` otherwise).
    func createDIP(_ dip: DetailedImplementationPlan, audit: AuditRecord) async throws -> DetailedImplementationPlan
    /// Adds lines to a draft DIP still at its version, in one transaction with one audit entry.
    func addDIPLines(_ lines: [DIPLine], to dip: DetailedImplementationPlan, audit: AuditRecord) async throws -> [DIPLine]
    /// The DIP's lines in scope and within `organisation`'s subtree, in number order.
    func dipLines(dipID: Int64, within organisation: Organisation?, scope: AccessScope) async throws -> [DIPLine]
    /// A new line (number 0: numbered in its DIP) or a change to one at `expectedVersion`.
    func saveDIPLine(_ line: DIPLine, supplierID: Int64, year: FinancialYear, expectedVersion: Int?, audit: AuditRecord) async throws -> DIPLine
    func agreeDIP(id: Int64, expectedVersion: Int, by: String, on: Day, audit: AuditRecord) async throws
    /// Every agreed line due in `year` (or every line of DIP `dipID`) within `organisation`'s
    /// subtree and in scope, with each linked project's progress on the line's due milestone,
    /// read in one query.
    func dipProgress(year: FinancialYear, dipID: Int64?, within organisation: Organisation, scope: AccessScope) async throws -> [DIPLineProgress]
}
