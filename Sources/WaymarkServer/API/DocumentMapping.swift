import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Documents, gates and hazards (issue 5) to the generated API schema types. The spec's enums
/// spell the domain's raw values, so values map by raw value.
enum DocumentMapping {
    static func role(_ r: Role) -> Components.Schemas.Role {
        // Every Role is in the spec's enum; the fallback only guards a role added without it.
        .init(rawValue: r.rawValue) ?? .auditor
    }

    static func state(_ s: DocumentState) -> Components.Schemas.DocumentState { .init(rawValue: s.rawValue) ?? .draft }

    static func product(_ p: NSIProduct) -> Components.Schemas.NSIProduct {
        .init(code: p.code, name: p.name, stage: p.stage.rawValue, stageTitle: p.stage.title,
              area: .init(rawValue: p.area.rawValue) ?? .process_hyphen_performance, mandatoryForLSP: p.mandatoryForLSP,
              mandatoryForESP: p.mandatoryForESP, approver: role(p.approver), reviewers: p.reviewers.map(role), purpose: p.purpose)
    }

    static func summary(_ d: ProjectDocument) -> Components.Schemas.DocumentSummary {
        .init(id: d.id, reference: d.reference, product: d.productCode, state: state(d.state), latestVersion: d.latestVersion,
              signedOffVersion: d.signedOffVersion, version: d.version)
    }

    static func diff(_ d: CatalogueDiff) -> Components.Schemas.CatalogueDiff {
        .init(from: d.from, to: d.to, added: d.added.map(product), removed: d.removed.map(product),
              changed: d.changed.map { .init(product: $0.after.code, name: $0.after.name, lines: $0.lines) })
    }

    static func projectDocuments(_ v: DocumentService.ProjectDocumentsView) -> Components.Schemas.ProjectDocuments {
        .init(project: v.project.code,
              catalogue: .init(number: v.catalogue.number, issued: v.catalogue.issued.iso, summary: v.catalogue.summary),
              products: v.products.map { .init(product: product($0.product), mandatory: $0.mandatory, document: $0.document.map(summary)) },
              others: v.others.map(summary), newerCatalogue: v.newerCatalogue.map(diff))
    }

    static func document(_ v: DocumentService.DocumentView) -> Components.Schemas.Document {
        let d = v.document
        return .init(
            id: d.id, reference: d.reference, project: d.owner.projectCode, product: d.productCode, productName: v.product.name,
            approver: role(v.product.approver), state: state(d.state), latestVersion: d.latestVersion, signedOffVersion: d.signedOffVersion,
            createdBy: d.createdBy, createdAt: d.createdAt, versions: v.versions.map(version), version: d.version)
    }

    static func version(_ v: DocumentService.VersionView) -> Components.Schemas.DocumentVersion {
        let x = v.version
        return .init(
            number: x.number, state: state(x.state), fileName: x.fileName, fileType: .init(rawValue: x.fileType.rawValue) ?? .pdf,
            mediaType: x.fileType.mediaType, size: x.size, sha256: x.contentHash, author: x.author, authoredAt: x.authoredAt,
            changeSummary: x.changeSummary,
            approval: x.approval.map { .init(by: $0.by, role: role($0.role), at: $0.at, sha256: $0.contentHash, void: v.approvalVoid) },
            comments: v.comments.map { .init(author: $0.author, role: $0.role.map(role), at: $0.at, text: $0.text) },
            actions: v.actions.compactMap { .init(rawValue: $0.rawValue) })
    }

    // MARK: Gates

    static func evidence(_ e: GateEvidence) -> Components.Schemas.GateEvidence {
        .init(product: e.productCode, document: e.documentID, reference: e.reference,
              version: e.versionNumber, sha256: e.contentHash, source: .init(rawValue: (e.source ?? .document).rawValue))
    }

    static func decision(_ d: GateDecision) -> Components.Schemas.GateDecision {
        .init(stage: d.stage.rawValue, stageTitle: d.stage.title, outcome: .init(rawValue: d.outcome.rawValue) ?? .passed,
              decidedBy: d.decidedBy, role: d.role.map(role), reason: d.reason, decidedAt: d.decidedAt,
              evidence: d.evidence.map(evidence), gaps: d.gaps)
    }

    /// Each requirement links to the API record to open about it, as the gates page does.
    static func requirement(_ r: GateRequirement, project code: String) -> Components.Schemas.GateRequirement {
        var out = Components.Schemas.GateRequirement(kind: .document, met: r.met, detail: r.detail, overridable: r.overridable,
                                                     evidence: r.evidence.map(evidence), link: "/api/v1/projects/\(code)/gates")
        switch r.kind {
        case .earlierGate(let stage):
            out.kind = .earlier_hyphen_gate
            out.stage = stage.rawValue
        case .document(let product, let id):
            out.product = product.code
            out.document = id
            out.link = id.map { "/api/v1/documents/\($0)" } ?? "/api/v1/projects/\(code)/documents"
        case .milestone(let kind):
            out.kind = .milestone
            out.milestone = .init(rawValue: kind.rawValue)
            out.link = "/api/v1/projects/\(code)"
        case .clinicalSafety(let hazards):
            out.kind = .clinical_hyphen_safety
            out.hazards = hazards
            out.link = "/api/v1/projects/\(code)/hazards"
        }
        return out
    }

    static func gates(_ v: GateService.GateView) -> Components.Schemas.ProjectGates {
        .init(project: v.project.code, catalogue: v.catalogue.number, decisions: v.decisions.map(decision),
              next: v.next.map { check in
                  .init(stage: check.stage.rawValue, stageTitle: check.stage.title, goLive: check.stage == GateRules.goLiveGate,
                        passes: check.passes, requirements: check.requirements.map { requirement($0, project: v.project.code) })
              })
    }

    static func rollUp(_ organisation: Organisation, _ r: GateRollUp) -> Components.Schemas.GateRollUp {
        .init(organisation: APIMapping.ref(organisation), projects: r.projects,
              gates: NSIStage.allCases.map { stage in
                  let counts = r.gates[stage] ?? (0, 0)
                  return .init(stage: stage.rawValue, stageTitle: stage.title, passed: counts.passed, overridden: counts.overridden)
              },
              signedOff: r.signedOff.sorted { $0.key < $1.key }.map { code, count in
                  .init(product: code, name: NSIProductCatalogue.anyProduct(code: code)?.name ?? code, projects: count)
              })
    }

    // MARK: Hazards

    static func rating(_ r: ClinicalRiskRating) -> Components.Schemas.ClinicalRiskRating {
        .init(value: r.value, title: r.title, acceptable: r.isAcceptable)
    }

    static func hazard(_ h: Hazard) -> Components.Schemas.Hazard {
        .init(id: h.id, reference: h.reference, title: h.title, cause: h.cause, effect: h.effect, harm: h.harm,
              initialSeverity: h.initialSeverity.rawValue, initialLikelihood: h.initialLikelihood.rawValue, initialRating: rating(h.initialRating),
              controls: h.controls.map { .init(description: $0.description, verification: $0.verification, verified: $0.verified) },
              residualSeverity: h.residualSeverity.rawValue, residualLikelihood: h.residualLikelihood.rawValue,
              residualRating: rating(h.residualRating), status: .init(rawValue: h.status.rawValue) ?? .open,
              blocksGoLive: h.blocksGoLive, version: h.version)
    }

    static func signOff(_ s: SafetyCaseSignOff, current: Bool) -> Components.Schemas.SafetyCaseSignOff {
        .init(signedBy: s.signedBy, signedAt: s.signedAt, statement: s.statement, logHash: s.logHash, current: current)
    }

    static func hazardLog(_ v: HazardService.HazardLogView) -> Components.Schemas.HazardLog {
        .init(project: v.project.code, hazards: v.hazards.map(hazard), signOff: v.signOff.map { signOff($0, current: v.signOffCurrent) },
              blocking: v.blocking.map(\.id))
    }

    /// A hazard as sent, with ratings outside 1-5 kept as field errors so every problem is
    /// reported at once.
    static func draft(_ input: Components.Schemas.HazardInput) -> HazardService.Draft {
        var errors: [FieldError] = []
        func scale<T: RawRepresentable<Int>>(_ value: Int?, _ field: String) -> T? {
            guard let value else { return nil }
            guard let parsed = T(rawValue: value) else {
                errors.append(FieldError(field: field, message: "\(field) must be 1 to 5, not \(value)."))
                return nil
            }
            return parsed
        }
        let initialSeverity: HazardSeverity? = scale(input.initialSeverity, "initialSeverity")
        let initialLikelihood: HazardLikelihood? = scale(input.initialLikelihood, "initialLikelihood")
        let residualSeverity: HazardSeverity? = scale(input.residualSeverity, "residualSeverity")
        let residualLikelihood: HazardLikelihood? = scale(input.residualLikelihood, "residualLikelihood")
        return HazardService.Draft(
            title: input.title ?? "", cause: input.cause ?? "", effect: input.effect ?? "", harm: input.harm ?? "",
            initialSeverity: initialSeverity, initialLikelihood: initialLikelihood,
            controls: (input.controls ?? []).map { HazardControl(description: $0.description, verification: $0.verification, verified: $0.verified ?? false) },
            residualSeverity: residualSeverity, residualLikelihood: residualLikelihood,
            status: input.status.flatMap { HazardStatus(rawValue: $0.rawValue) } ?? .open, inputErrors: errors)
    }
}
