import WaymarkCore

/// A document with every version and its comments, newest version first.
public struct DocumentRecord: Sendable, Hashable {
    public var document: ProjectDocument
    public var versions: [DocumentVersion]
    public var comments: [ReviewComment]

    public init(document: ProjectDocument, versions: [DocumentVersion], comments: [ReviewComment]) {
        self.document = document
        self.versions = versions
        self.comments = comments
    }
}

/// How many projects in a subtree have passed each gate, and have each product signed off.
public struct GateRollUp: Sendable, Hashable {
    /// Projects in the subtree (the "M" of "N of M").
    public var projects: Int
    /// By stage: (passed, overridden).
    public var gates: [NSIStage: (passed: Int, overridden: Int)]
    /// By NSI product code: projects with a signed-off (approved or issued) version.
    public var signedOff: [String: Int]

    public init(projects: Int, gates: [NSIStage: (passed: Int, overridden: Int)], signedOff: [String: Int]) {
        self.projects = projects
        self.gates = gates
        self.signedOff = signedOff
    }

    public static func == (a: GateRollUp, b: GateRollUp) -> Bool {
        a.projects == b.projects && a.signedOff == b.signedOff
            && NSIStage.allCases.allSatisfy { a.gates[$0]?.passed == b.gates[$0]?.passed && a.gates[$0]?.overridden == b.gates[$0]?.overridden }
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(projects) }
}

/// NSI products under document control, stage gates and the clinical hazard log (issue 5).
/// The service authorises first (`ProgrammeService.scopedProject`); reads by id take a scope.
/// Every write appends its audit entry in the same transaction.
/// The document a new version goes to: one created with it, or one stored, as read.
public enum DocumentSlot: Sendable {
    case new(ProjectDocument)
    case stored(ProjectDocument)

    public var document: ProjectDocument {
        switch self { case .new(let d), .stored(let d): d }
    }
}

public protocol DocumentRepository: Sendable {
    /// The catalogue version the project is on (`NSIProductCatalogue.initialVersion` if never changed).
    func catalogueVersion(projectID: Int64) async throws -> Int
    func applyCatalogue(projectID: Int64, version: Int, by: String, at: String, audit: AuditRecord) async throws

    func documents(projectID: Int64) async throws -> [ProjectDocument]
    func document(id: Int64, scope: AccessScope) async throws -> ProjectDocument?
    func documentRecord(id: Int64, scope: AccessScope) async throws -> DocumentRecord?
    /// The stored bytes for a content hash.
    func documentContent(hash: String) async throws -> [UInt8]?

    /// Adds `version` (numbered by the caller) with its bytes: to a new document, or to a stored
    /// one if it is still at the version read. Versions in `supersede` become superseded; the
    /// document takes the given state fields.
    func addDocumentVersion(to document: DocumentSlot, version: DocumentVersion, content: [UInt8], supersede: [Int64],
                            audit: AuditRecord) async throws -> DocumentRecord
    /// Moves one version to `state` (with `approval` when approving), if the document is still
    /// at `document.version`; the document takes `document`'s state fields. A `comment` is kept
    /// with the version in the same transaction.
    func changeDocumentVersion(document: ProjectDocument, versionID: Int64, state: DocumentState, approval: DocumentApproval?,
                               supersede: [Int64], comment: ReviewComment?, audit: AuditRecord) async throws -> DocumentRecord
    func addReviewComment(_ comment: ReviewComment, audit: AuditRecord) async throws -> ReviewComment

    func gateDecisions(projectID: Int64) async throws -> [GateDecision]
    /// Records a gate; `.duplicate` if that stage's gate was already decided.
    func recordGateDecision(_ decision: GateDecision, audit: AuditRecord) async throws -> GateDecision
    /// Gate and signed-off counts for the organisation's subtree (or a supplier's projects).
    func gateRollUp(for organisation: Organisation, scope: AccessScope) async throws -> GateRollUp

    func hazards(projectID: Int64) async throws -> [Hazard]
    func hazard(id: Int64, scope: AccessScope) async throws -> Hazard?
    /// Inserts (id 0) or updates a hazard still at `expectedVersion`.
    func saveHazard(_ hazard: Hazard, expectedVersion: Int?, audit: AuditRecord) async throws -> Hazard
    func latestSafetySignOff(projectID: Int64) async throws -> SafetyCaseSignOff?
    func recordSafetySignOff(_ signOff: SafetyCaseSignOff, audit: AuditRecord) async throws -> SafetyCaseSignOff
}
