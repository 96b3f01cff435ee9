/// The gate at the end of an NSI stage (DOMAIN.md §5): the stage's mandatory products signed
/// off and its reporting milestone achieved. The gate out of stage 3 is the Go Live gate, where
/// clinical safety is checked too.
public enum GateOutcome: String, CaseIterable, Sendable, Codable {
    case passed
    case overridden = "passed-with-override"

    public var title: String { self == .passed ? "Passed" : "Passed with Project Board override" }
}

/// A document version a gate decision rested on, with the hash that was approved; or, for the
/// ORR and the Go Live Checklists, the signed records that stand for those products.
public struct GateEvidence: Hashable, Sendable, Codable {
    public enum Source: String, Hashable, Sendable, Codable {
        case document
        /// A signed Operational Readiness Report: `documentID` is its id, `versionNumber` its number.
        case readinessReport = "readiness-report"
        /// Every Go Live Checklist signed off: `versionNumber` counts them.
        case goLiveChecklists = "go-live-checklists"
    }
    public var productCode: String
    public var documentID: Int64
    public var versionNumber: Int
    public var contentHash: String
    /// nil: a document (decisions recorded before readiness records existed).
    public var source: Source?

    public init(productCode: String, documentID: Int64, versionNumber: Int, contentHash: String, source: Source? = nil) {
        self.productCode = productCode
        self.documentID = documentID
        self.versionNumber = versionNumber
        self.contentHash = contentHash
        self.source = source
    }

    public var reference: String {
        switch source ?? .document {
        case .document: ProjectDocument.reference(id: documentID)
        case .readinessReport: "ORR-\(versionNumber)"
        case .goLiveChecklists: "\(versionNumber) Go Live Checklists"
        }
    }
}

/// The readiness records that stand for the ORR and Go Live Checklists products at the Go
/// Live gate (issue 14), read by the caller.
public struct ReadinessEvidence: Sendable {
    /// The newest report the Project Board signed.
    public var signedReport: ReadinessReport?
    /// The project's Go Live Checklists: how many, how many fully signed off, and a hash of
    /// their sign-offs.
    public var checklists: (total: Int, signedOff: Int, hash: String)?

    public init(signedReport: ReadinessReport? = nil, checklists: (total: Int, signedOff: Int, hash: String)? = nil) {
        self.signedReport = signedReport
        self.checklists = checklists
    }
}

public struct GateDecision: Hashable, Sendable {
    public var id: Int64
    public var owner: DocumentOwner
    /// The stage the gate closes.
    public var stage: NSIStage
    public var outcome: GateOutcome
    public var decidedBy: String
    public var role: Role?
    /// Required for an override.
    public var reason: String?
    public var decidedAt: String
    public var evidence: [GateEvidence]
    /// What was missing when the Project Board overrode the gate.
    public var gaps: [String]

    public init(id: Int64 = 0, owner: DocumentOwner, stage: NSIStage, outcome: GateOutcome, decidedBy: String, role: Role?,
                reason: String?, decidedAt: String, evidence: [GateEvidence], gaps: [String]) {
        self.id = id
        self.owner = owner
        self.stage = stage
        self.outcome = outcome
        self.decidedBy = decidedBy
        self.role = role
        self.reason = reason
        self.decidedAt = decidedAt
        self.evidence = evidence
        self.gaps = gaps
    }
}

/// A document as a gate sees it: its newest signed-off version, if any, and whether that
/// version's approval still stands (`storedHash` is what the stored bytes hash to now).
public struct GateDocument: Hashable, Sendable {
    public var document: ProjectDocument
    public var signedOff: DocumentVersion?
    public var storedHash: String?

    public init(document: ProjectDocument, signedOff: DocumentVersion?, storedHash: String?) {
        self.document = document
        self.signedOff = signedOff
        self.storedHash = storedHash
    }
}

/// One thing a gate needs, met or not, with the record to open about it.
public struct GateRequirement: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case earlierGate(NSIStage)
        case document(NSIProduct, documentID: Int64?)
        case milestone(MilestoneKind)
        case clinicalSafety(blockingHazards: [Int64])
    }
    public var kind: Kind
    public var met: Bool
    /// Says what is there, or what is missing and what to do.
    public var detail: String
    public var evidence: GateEvidence?
    /// The Project Board may override this gap; earlier gates and clinical safety it may not.
    public var overridable: Bool {
        switch kind {
        case .document, .milestone: true
        case .earlierGate, .clinicalSafety: false
        }
    }
}

public struct GateCheck: Hashable, Sendable {
    public var stage: NSIStage
    public var requirements: [GateRequirement]
    public var passes: Bool { requirements.allSatisfy(\.met) }
    public var missing: [GateRequirement] { requirements.filter { !$0.met } }
    public var evidence: [GateEvidence] { requirements.compactMap(\.evidence) }
}

public enum GateRules {
    /// The gate out of stage 3 "Prepare for Go Live": passing it lets the project go live.
    public static let goLiveGate = NSIStage.prepareForGoLive

    /// The lowest stage whose gate is not yet decided; nil once all six are.
    public static func nextGate(decided: [GateDecision]) -> NSIStage? {
        let done = Set(decided.map(\.stage))
        return NSIStage.allCases.first { !done.contains($0) }
    }

    /// The reporting milestone that closes `stage`, if projects of `type` record it.
    public static func milestone(closing stage: NSIStage, type: ProjectType) -> MilestoneKind? {
        type.mandatoryMilestones.first { $0.stageExited == stage.rawValue }
    }

    /// Checks the gate out of `stage`. Documents are the project's, by product code.
    public static func check(stage: NSIStage, project: ImplementationProject, catalogue: NSIProductCatalogueVersion,
                             documents: [String: GateDocument], decided: [GateDecision], hazards: [Hazard],
                             signOff: SafetyCaseSignOff?, currentLogHash: String, readiness: ReadinessEvidence = ReadinessEvidence()) -> GateCheck {
        var requirements: [GateRequirement] = []
        let done = Set(decided.map(\.stage))
        for earlier in NSIStage.allCases where earlier < stage && !done.contains(earlier) {
            requirements.append(GateRequirement(kind: .earlierGate(earlier), met: false,
                                                detail: "The gate out of stage \(earlier.title) has not been passed; gates pass in order.", evidence: nil))
        }
        for product in catalogue.mandatory(stage: stage, type: project.type) {
            requirements.append(readinessRequirement(product, readiness) ?? documentRequirement(product, documents[product.code]))
        }
        if let kind = milestone(closing: stage, type: project.type) {
            let achieved = project.milestones.first { $0.kind == kind }?.actual
            requirements.append(GateRequirement(
                kind: .milestone(kind), met: achieved != nil,
                detail: achieved.map { "\(kind.title) achieved on \($0.iso)." }
                    ?? "\(kind.title) has no actual date yet; record it on the project page when it is achieved.",
                evidence: nil))
        }
        if stage == goLiveGate {
            requirements.append(safetyRequirement(hazards: hazards, signOff: signOff, currentLogHash: currentLogHash))
        }
        return GateCheck(stage: stage, requirements: requirements)
    }

    static func documentRequirement(_ product: NSIProduct, _ found: GateDocument?) -> GateRequirement {
        guard let found else {
            return GateRequirement(kind: .document(product, documentID: nil), met: false,
                                   detail: "No \(product.name) yet: start one from its template or upload it, then have the \(product.approver.title) approve it.",
                                   evidence: nil)
        }
        let id = found.document.id
        guard let version = found.signedOff, let approval = version.approval, version.state.isSignedOff else {
            return GateRequirement(kind: .document(product, documentID: id), met: false,
                                   detail: "\(found.document.reference) has no approved version (latest is version \(found.document.latestVersion), \(found.document.state.title.lowercased())); the \(product.approver.title) must approve it.",
                                   evidence: nil)
        }
        if version.approvalIsVoid(storedHash: found.storedHash) {
            return GateRequirement(kind: .document(product, documentID: id), met: false,
                                   detail: "The approval of \(found.document.reference) version \(version.number) is void: the stored file no longer matches the hash that was approved. Upload it again and have it re-approved.",
                                   evidence: nil)
        }
        return GateRequirement(
            kind: .document(product, documentID: id), met: true,
            detail: "\(found.document.reference) version \(version.number) \(version.state.title.lowercased()), approved by \(approval.by) (\(approval.role.title)).",
            evidence: GateEvidence(productCode: product.code, documentID: id, versionNumber: version.number, contentHash: approval.contentHash))
    }

    /// A signed ORR, or Go Live Checklists all signed off, meet their products in place of a
    /// document; nil leaves the product to its document.
    static func readinessRequirement(_ product: NSIProduct, _ readiness: ReadinessEvidence) -> GateRequirement? {
        let kind = GateRequirement.Kind.document(product, documentID: nil)
        switch product.code {
        case "ORR":
            guard let report = readiness.signedReport else { return nil }
            return GateRequirement(kind: kind, met: true,
                                   detail: "\(report.reference), generated \(report.generatedAt), signed off by \(report.signedBy ?? "?") for the Project Board on \(report.signedAt ?? "?").",
                                   evidence: GateEvidence(productCode: product.code, documentID: report.id, versionNumber: report.number,
                                                          contentHash: report.hash, source: .readinessReport))
        case "GO-LIVE-CHECKLIST":
            guard let lists = readiness.checklists, lists.total > 0 else { return nil }
            guard lists.signedOff == lists.total else {
                return GateRequirement(kind: kind, met: false,
                                       detail: "\(lists.signedOff) of \(lists.total) Go Live Checklists are fully signed off; every item of every checklist needs its sign-off.",
                                       evidence: nil)
            }
            return GateRequirement(kind: kind, met: true, detail: "All \(lists.total) Go Live Checklists are signed off, item by item.",
                                   evidence: GateEvidence(productCode: product.code, documentID: 0, versionNumber: lists.total,
                                                          contentHash: lists.hash, source: .goLiveChecklists))
        default:
            return nil
        }
    }

    static func safetyRequirement(hazards: [Hazard], signOff: SafetyCaseSignOff?, currentLogHash: String) -> GateRequirement {
        let blocking = hazards.filter(\.blocksGoLive)
        let kind = GateRequirement.Kind.clinicalSafety(blockingHazards: blocking.map(\.id))
        if blocking.isEmpty {
            return GateRequirement(kind: kind, met: true, detail: "No open hazard is above an acceptable residual rating.", evidence: nil)
        }
        let list = blocking.map(\.reference).joined(separator: ", ")
        guard let signOff else {
            return GateRequirement(kind: kind, met: false,
                                   detail: "\(blocking.count) open hazard(s) above an acceptable residual rating (\(list)) and the Clinical Safety Officer has not signed the safety case.",
                                   evidence: nil)
        }
        guard signOff.logHash == currentLogHash else {
            return GateRequirement(kind: kind, met: false,
                                   detail: "The hazard log changed after \(signOff.signedBy) signed the safety case on \(signOff.signedAt); open hazards above acceptable (\(list)) need a fresh sign-off.",
                                   evidence: nil)
        }
        return GateRequirement(kind: kind, met: true,
                               detail: "Safety case signed by \(signOff.signedBy) on \(signOff.signedAt), covering \(list).", evidence: nil)
    }

    /// Whether a gate may be recorded: passed when every requirement is met; otherwise only
    /// as a Project Board override with a reason, and never over an earlier gate or clinical
    /// safety. Returns the outcome to record.
    public static func decide(_ check: GateCheck, override: Bool, reason: String?, role: Role?) throws(DocumentRules.Refusal) -> GateOutcome {
        if check.passes { return .passed }
        let missing = check.missing
        guard override else {
            throw DocumentRules.Refusal("The gate out of stage \(check.stage.title) is not met: \(missing.map(\.detail).joined(separator: " ")) Supply the evidence, or ask the Project Board to record an override with a reason.")
        }
        guard role == .projectBoardMember else {
            throw DocumentRules.Refusal("Only the Project Board can override a stage gate; your role (\(role?.title ?? "none")) cannot.")
        }
        guard (reason?.trimmedWhitespace.count ?? 0) >= 10 else {
            throw DocumentRules.Refusal("An override needs a reason of at least 10 characters, saying why the project may go on without the missing evidence.")
        }
        if let fixed = missing.first(where: { !$0.overridable }) {
            throw DocumentRules.Refusal("This gate cannot be overridden: \(fixed.detail)")
        }
        return .overridden
    }
}

/// A project's stage read two ways, which can disagree: from its milestone dates (the last
/// milestone achieved) and from its stage gates (the first gate not yet passed). Pages show
/// both and say when they conflict, rather than silently picking one.
public struct StageReport: Hashable, Sendable {
    public var fromMilestones: NSIStage
    /// The stage the passed gates allow: gates pass in order, so it is the first undecided one.
    public var fromGates: NSIStage
    /// The next gate to decide; nil once all six are decided.
    public var nextGate: NSIStage?

    public init(project: ImplementationProject, decided: [GateDecision]) {
        fromMilestones = project.stage
        nextGate = GateRules.nextGate(decided: decided)
        fromGates = nextGate ?? .support
    }

    public var isConflict: Bool { fromMilestones != fromGates }

    /// What disagrees, in words; nil when both say the same stage.
    public var conflict: String? {
        guard isConflict else { return nil }
        if fromMilestones > fromGates {
            return "The milestone dates put this project in stage \(fromMilestones.title), but the gate out of stage \(fromGates.title) has not been passed."
        }
        return "The stage gates have been passed up to stage \(fromGates.title), but the milestone dates put this project only in stage \(fromMilestones.title)."
    }
}
