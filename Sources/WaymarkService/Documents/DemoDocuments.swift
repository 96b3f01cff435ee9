import WaymarkCore
import WaymarkStorage

/// Demo documents, gates and hazards, made through the services as people would make them:
/// drafts from the templates, reviewed, approved by the product's approver role and issued,
/// then gates passed on that evidence. Projects near the demo users' trust end up at every
/// gate state, with one override, one blocked Go Live gate, a draft and a version in review.
public enum DemoDocuments {
    static func person(_ name: String, _ role: Role) -> ActingUser {
        ActingUser(name: name, role: role, scope: .national, grants: role.activities, origin: "demo")
    }

    static let manager = person("demo-trust-pm", .trustProjectManager)
    static let board = person("demo-board", .projectBoardMember)
    static let safetyOfficer = person("demo-cso", .clinicalSafetyOfficer)
    static let registration = person("demo-ra", .registrationAuthorityManager)

    static func approver(for role: Role) -> ActingUser {
        switch role {
        case .clinicalSafetyOfficer: safetyOfficer
        case .registrationAuthorityManager: registration
        case .trustProjectManager: board.renamed("demo-trust-pm2", role: .trustProjectManager)
        default: board
        }
    }

    /// Returns how many projects were given documents.
    @discardableResult
    public static func populate(programme: ProgrammeService) async throws -> Int {
        let store = programme.store
        let entries = try await DemoUsers.plan(in: store)
        guard let trust = entries.first(where: { $0.role == .trustProjectManager })?.organisation,
              let shaID = trust.ancestry.shaID, let sha = try await store.organisation(id: shaID, scope: .national) else { return 0 }
        let pool = try await store.projects(ProjectQuery(scope: .national, within: sha, type: .lsp, limit: 300)).items.map(\.project)
        var used: Set<Int64> = []
        func pick(_ fits: (ImplementationProject) -> Bool) -> ImplementationProject? {
            // Prefer the demo trust's own projects, so its users see them first.
            let fitting = pool.filter { !used.contains($0.id) && fits($0) }
            guard let chosen = fitting.first(where: { $0.ancestry.trustID == trust.id }) ?? fitting.first else { return nil }
            used.insert(chosen.id)
            return chosen
        }
        // Gate state k: the gates out of stages 0..<k passed on approved evidence; a project
        // whose milestones are achieved far enough for those gates.
        for gatesPassed in 0...5 {
            guard let project = pick({ $0.stage.rawValue >= gatesPassed && $0.stage.rawValue <= gatesPassed + 1 }) else { continue }
            try await advance(project, gates: gatesPassed, programme: programme)
        }
        // Every gate decided: a project whose last milestone, Implementation Completed, is achieved.
        if let project = pick({ $0.isComplete }) {
            try await advance(project, gates: NSIStage.allCases.count, programme: programme)
        }
        // The Project Board passing the first gate without an approved Project Brief.
        if let project = pick({ $0.stage.rawValue >= 1 }) {
            _ = try await GateService(programme: programme).decide(
                projectCode: project.code, stage: .prepare, override: true,
                reason: "Brief agreed verbally at the Board on the CEO's authority; the signed copy follows within two weeks.", as: board)
        }
        return used.count
    }

    static func advance(_ project: ImplementationProject, gates: Int, programme: ProgrammeService) async throws {
        let documents = DocumentService(programme: programme)
        let gateService = GateService(programme: programme)
        let hazards = HazardService(programme: programme)
        let catalogue = try await documents.catalogue(for: project)
        for stage in NSIStage.allCases where stage.rawValue < gates {
            for product in catalogue.mandatory(stage: stage, type: project.type) {
                try await signOff(product, project: project, documents: documents)
            }
            if stage == .initiate {
                try await raiseHazards(project, hazards: hazards)
            }
            if stage == GateRules.goLiveGate {
                _ = try await hazards.signSafetyCase(projectCode: project.code, statement: "Residual risks reviewed with the clinical lead; controls verified in user acceptance testing. Acceptable for go live.", as: safetyOfficer)
            }
            _ = try await gateService.decide(projectCode: project.code, stage: stage, override: false, reason: nil, as: board)
        }
        // The next stage's work in progress: one draft, one in review with a comment.
        guard let next = NSIStage(rawValue: gates) else { return }
        let products = catalogue.mandatory(stage: next, type: project.type)
        if let first = products.first {
            let record = try await documents.startFromTemplate(projectCode: project.code, productCode: first.code, as: manager)
            let submitted = try await documents.act(documentID: record.document.id, number: 1, action: .submit,
                                                    expectedVersion: record.document.version, as: manager)
            _ = try await documents.comment(documentID: submitted.document.id, number: 1,
                                            text: "Please add the dates agreed at the last Project Board and name the clinical lead.", as: board)
        }
        if products.count > 1 {
            _ = try await documents.startFromTemplate(projectCode: project.code, productCode: products[1].code, as: manager)
        }
        if next == .initiate || next == GateRules.goLiveGate { try await raiseHazards(project, hazards: hazards) }
    }

    /// Draft from the template, submit, approve by the approver role, issue.
    static func signOff(_ product: NSIProduct, project: ImplementationProject, documents: DocumentService) async throws {
        var record = try await documents.startFromTemplate(projectCode: project.code, productCode: product.code, as: manager)
        let id = record.document.id
        record = try await documents.act(documentID: id, number: 1, action: .submit, expectedVersion: record.document.version, as: manager)
        record = try await documents.act(documentID: id, number: 1, action: .approve, expectedVersion: record.document.version,
                                         as: approver(for: product.approver))
        _ = try await documents.act(documentID: id, number: 1, action: .issue, expectedVersion: record.document.version, as: manager)
    }

    static func raiseHazards(_ project: ImplementationProject, hazards: HazardService) async throws {
        guard try await hazards.store.hazards(projectID: project.id).isEmpty else { return }
        _ = try await hazards.save(projectCode: project.code, id: nil, expectedVersion: nil, draft: HazardService.Draft(
            title: "Wrong patient selected from similar names", cause: "Search returns patients with similar names and dates of birth.",
            effect: "Results or medication recorded against the wrong record.", harm: "Missed or inappropriate treatment.",
            initialSeverity: .major, initialLikelihood: .medium,
            controls: [HazardControl(description: "NHS Number shown and checked at every selection", verification: "UAT script PS-04", verified: true)],
            residualSeverity: .major, residualLikelihood: .low), as: safetyOfficer)
        _ = try await hazards.save(projectCode: project.code, id: nil, expectedVersion: nil, draft: HazardService.Draft(
            title: "Allergy data lost in migration", cause: "Legacy PAS allergy codes without a mapping.",
            effect: "Allergies missing from the new record.", harm: "Prescription of a drug the patient is allergic to.",
            initialSeverity: .major, initialLikelihood: .high,
            controls: [HazardControl(description: "Mapping table for every legacy code", verification: "Migration reconciliation report", verified: true)],
            residualSeverity: .significant, residualLikelihood: .low), as: safetyOfficer)
    }
}

extension ActingUser {
    func renamed(_ name: String, role: Role) -> ActingUser {
        ActingUser(name: name, role: role, scope: scope, grants: role.activities, origin: origin)
    }
}
