import Foundation
import WaymarkCore
import WaymarkStorage

/// Evidence-backed stage gates (DOMAIN.md §5): a gate passes when the stage's mandatory
/// products are signed off (with approvals that still match their files) and its milestone is
/// achieved; otherwise only the Project Board may pass it, with a reason. The Go Live gate also
/// needs the Clinical Safety Officer's sign-off while hazards are above acceptable.
public struct GateService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any DocumentRepository & OrganisationRepository & ProjectRepository & AuditRepository
    /// A gate's evidence is the project's documents, or the readiness records standing for them.
    let documents: DocumentService
    let readiness: ReadinessReportService
    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
        documents = DocumentService(programme: programme)
        readiness = ReadinessReportService(programme: programme)
    }

    public struct GateView: Sendable {
        public var project: ImplementationProject
        public var catalogue: NSIProductCatalogueVersion
        public var decisions: [GateDecision]
        /// The next gate's check; nil once every gate is decided.
        public var next: GateCheck?
        public var canDecide: Bool
        public var canOverride: Bool
    }

    public func gateView(projectCode: String, as user: ActingUser) async throws -> GateView {
        let project = try await gate.project(code: projectCode, for: .viewRecords, as: user).0.project
        let (catalogue, decisions, check) = try await nextCheck(project)
        return GateView(project: project, catalogue: catalogue, decisions: decisions, next: check,
                        canDecide: user.permits(.decideGates), canOverride: user.permits(.decideGates) && user.role == .projectBoardMember)
    }

    /// The stage from milestone dates beside the stage the gates reach, for a project the
    /// caller has already read in scope (a `ProjectView`).
    public func stageReport(_ view: ProgrammeService.ProjectView) async throws -> StageReport {
        StageReport(project: view.project, decided: try await store.gateDecisions(projectID: view.project.id))
    }

    func nextCheck(_ project: ImplementationProject) async throws -> (NSIProductCatalogueVersion, [GateDecision], GateCheck?) {
        let catalogue = try await documents.catalogue(for: project)
        let decisions = try await store.gateDecisions(projectID: project.id)
        guard let stage = GateRules.nextGate(decided: decisions) else { return (catalogue, decisions, nil) }
        return (catalogue, decisions, try await check(project, stage: stage, catalogue: catalogue, decisions: decisions))
    }

    /// The Go Live gate's check as it stands, whichever gate is next (the Go Live policy asks it).
    public func goLiveCheck(projectCode: String, as user: ActingUser) async throws -> GateCheck {
        let project = try await gate.project(code: projectCode, as: user).0.project
        return try await goLiveCheck(project)
    }

    func goLiveCheck(_ project: ImplementationProject) async throws -> GateCheck {
        try await check(project, stage: GateRules.goLiveGate, catalogue: try await documents.catalogue(for: project),
                        decisions: try await store.gateDecisions(projectID: project.id))
    }

    func check(_ project: ImplementationProject, stage: NSIStage, catalogue: NSIProductCatalogueVersion,
               decisions: [GateDecision]) async throws -> GateCheck {
        var gateDocuments: [String: GateDocument] = [:]
        for document in try await store.documents(projectID: project.id) {
            var signedOff: DocumentVersion?
            var storedHash: String?
            if let number = document.signedOffVersion,
               let version = try await store.documentRecord(id: document.id, scope: .national)?.versions.first(where: { $0.number == number }) {
                signedOff = version
                storedHash = try await documents.storedHash(version.contentHash)
            }
            gateDocuments[document.productCode] = GateDocument(document: document, signedOff: signedOff, storedHash: storedHash)
        }
        let hazards = try await store.hazards(projectID: project.id)
        let signOff = try await store.latestSafetySignOff(projectID: project.id)
        return GateRules.check(stage: stage, project: project, catalogue: catalogue, documents: gateDocuments, decided: decisions,
                               hazards: hazards, signOff: signOff, currentLogHash: Self.logHash(hazards),
                               readiness: try await readiness.evidence(projectID: project.id))
    }

    /// Records the gate out of `stage` (which must be the next one): passed when the check
    /// passes, else an override by the Project Board with a reason; refused otherwise.
    public func decide(projectCode: String, stage: NSIStage, override: Bool, reason: String?, as user: ActingUser) async throws -> GateDecision {
        let project = try await gate.project(code: projectCode, for: .decideGates, as: user).0.project
        let (_, _, check) = try await nextCheck(project)
        guard let check else { throw ServiceError(.conflict, "Every stage gate of \(project.code) has already been decided.") }
        guard check.stage == stage else {
            throw ServiceError(.conflict, "The next gate of \(project.code) is the one out of stage \(check.stage.title), not \(stage.title); gates pass in order.")
        }
        let outcome: GateOutcome
        do { outcome = try GateRules.decide(check, override: override, reason: reason, role: user.role) } catch {
            throw ServiceError(.conflict, error.message)
        }
        let decision = GateDecision(owner: .project(project), stage: stage, outcome: outcome, decidedBy: user.name, role: user.role,
                                    reason: outcome == .overridden ? reason?.trimmedWhitespace : nil, decidedAt: gate.clock.timestamp,
                                    evidence: check.evidence, gaps: check.missing.map(\.detail))
        let after = LessonService.encoded(Snapshot(stage: stage.rawValue, outcome: outcome.rawValue, reason: decision.reason,
                                                   evidence: decision.evidence.map { "\($0.productCode) \($0.reference) v\($0.versionNumber) sha256:\($0.contentHash)" },
                                                   gaps: decision.gaps))
        do {
            return try await store.recordGateDecision(decision, audit: gate.auditRecord(
                "stage gate \(outcome.rawValue)", entityType: "project", entityID: project.id, after: after, at: decision.decidedAt,
                as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, error.message)
        }
    }

    struct Snapshot: Codable {
        var stage: Int
        var outcome: String
        var reason: String?
        var evidence: [String]
        var gaps: [String]
    }

    /// "N of M projects have passed each gate / have each product signed off" for a subtree.
    public func rollUp(organisationCode: String, as user: ActingUser) async throws -> (Organisation, GateRollUp) {
        let scope = try await gate.authorise(.viewRecords, as: user)
        let organisation = try await gate.organisation(code: organisationCode, as: user).0
        return (organisation, try await store.gateRollUp(for: organisation, scope: scope))
    }

    /// The hazard log's fingerprint, which a safety-case sign-off records.
    static func logHash(_ hazards: [Hazard]) -> String {
        Secrets.sha256Hex(Data(hazards.sorted { $0.id < $1.id }.map(\.fingerprint).joined(separator: "\u{1E}").utf8))
    }
}
