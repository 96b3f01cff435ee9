import Testing
import WaymarkCore

@Suite("Document control: the NSI catalogue, FileCM states and approval")
struct DocumentControlTests {
    static let hash = String(repeating: "a", count: 64)

    static func version(_ number: Int, _ state: DocumentState, author: String = "pm", id: Int64? = nil) -> DocumentVersion {
        DocumentVersion(id: id ?? Int64(number), documentID: 1, number: number, state: state, fileName: "pid.md", fileType: .markdown,
                        size: 10, contentHash: hash, author: author, authoredAt: "2026-11-01T10:00:00Z", changeSummary: "first")
    }

    @Test func catalogueCodesAreUniqueAndEveryStageHasAMandatoryLSPProduct() throws {
        for version in NSIProductCatalogue.versions {
            #expect(Set(version.products.map(\.code)).count == version.products.count, "duplicate code in version \(version.number)")
            for product in version.products {
                #expect(!product.reviewers.contains(product.approver), "\(product.code) is reviewed by its own approver")
                #expect(!product.purpose.isEmpty)
            }
        }
        let v1 = try #require(NSIProductCatalogue.version(1))
        #expect(v1.mandatory(stage: .initiate, type: .lsp).map(\.code).contains("PID"))
        #expect(v1.product(code: "pid")?.approver == .projectBoardMember, "codes match case-insensitively")
        #expect(v1.product(code: "HAZARD-LOG")?.approver == .clinicalSafetyOfficer)
        #expect(v1.mandatory(stage: .prepareForGoLive, type: .lsp).map(\.code).contains("ORR"))
    }

    @Test func newerCatalogueShowsAsADiff() throws {
        let diff = CatalogueDiff(from: try #require(NSIProductCatalogue.version(1)), to: try #require(NSIProductCatalogue.version(2)))
        #expect(diff.added.map(\.code).contains("SAFETY-CASE"))
        let checklist = try #require(diff.changed.first { $0.after.code == "GO-LIVE-CHECKLIST" })
        #expect(checklist.lines == ["mandatory for ESP projects: no → yes"])
        #expect(CatalogueDiff(from: NSIProductCatalogue.latest, to: NSIProductCatalogue.latest).isEmpty)
    }

    @Test("legal moves", arguments: [
        (DocumentState.draft, DocumentAction.submit, DocumentState.inReview), (.inReview, .returnToDraft, .draft),
        (.inReview, .approve, .approved), (.approved, .issue, .issued), (.issued, .makeObsolete, .obsolete), (.draft, .makeObsolete, .obsolete),
    ])
    func legal(from: DocumentState, action: DocumentAction, to: DocumentState) throws {
        #expect(try DocumentRules.next(from, action, version: 1, latest: 1) == to)
    }

    @Test("refused moves say why", arguments: [
        (DocumentState.superseded, DocumentAction.approve, "superseded"), (.draft, .approve, "submit it for review"),
        (.issued, .approve, "already approved"), (.obsolete, .submit, "obsolete"), (.draft, .issue, "cannot be moved"),
    ])
    func refused(from: DocumentState, action: DocumentAction, words: String) {
        #expect(throws: DocumentRules.Refusal.self) { try DocumentRules.next(from, action, version: 1, latest: 2) }
        do { _ = try DocumentRules.next(from, action, version: 1, latest: 2) } catch { #expect(error.message.contains(words), "\(error.message)") }
    }

    @Test func theAuthorCannotApproveAndOnlyTheApproverRoleCan() throws {
        let pid = try #require(NSIProductCatalogue.latest.product(code: "PID"))
        let v = Self.version(1, .inReview, author: "demo-board")
        #expect(throws: DocumentRules.Refusal.self) { try DocumentRules.checkApprover(name: "demo-board", role: .projectBoardMember, version: v, product: pid) }
        #expect(throws: DocumentRules.Refusal.self) { try DocumentRules.checkApprover(name: "demo-cso", role: .clinicalSafetyOfficer, version: v, product: pid) }
        #expect(throws: DocumentRules.Refusal.self) { try DocumentRules.checkApprover(name: "x", role: nil, version: v, product: pid) }
        try DocumentRules.checkApprover(name: "another-board", role: .projectBoardMember, version: v, product: pid)
    }

    @Test func newVersionsSupersedeOlderOpenOnesAndApprovalsOlderSignedOffOnes() {
        let others = [Self.version(1, .issued), Self.version(2, .draft), Self.version(3, .inReview)]
        #expect(DocumentRules.supersededBy(newState: .draft, number: 4, others: others) == [2, 3])
        #expect(DocumentRules.supersededBy(newState: .approved, number: 3, others: others) == [1, 2])
        #expect(DocumentRules.supersededBy(newState: .inReview, number: 3, others: others).isEmpty)
    }

    @Test func anApprovalIsVoidWhenTheHashNoLongerMatches() {
        var v = Self.version(1, .approved)
        v.approval = DocumentApproval(by: "b", role: .projectBoardMember, at: "t", contentHash: Self.hash)
        #expect(!v.approvalIsVoid(storedHash: Self.hash))
        #expect(v.approvalIsVoid(storedHash: String(repeating: "b", count: 64)), "stored bytes changed")
        v.contentHash = String(repeating: "c", count: 64)
        #expect(v.approvalIsVoid(), "recorded hash changed")
    }

    @Test func referencesRoundTrip() {
        #expect(ProjectDocument.reference(id: 42) == "DOC-000042")
        #expect(ProjectDocument.id(fromReference: "doc-000042") == 42)
        #expect(ProjectDocument.id(fromReference: "42") == 42)
        #expect(ProjectDocument.id(fromReference: "DOC-") == nil && ProjectDocument.id(fromReference: "-1") == nil)
    }

    @Test func templatesFillValuesAndBlocksAndEscapeMarkdown() {
        let template = "# {{document.name}} at {{organisation.name}}\n\n{{risks}}\n\nUnknown {{nope}} stays."
        let filled = DocumentTemplate.fill(template, with: TemplateContext(
            values: ["document.name": "PID", "organisation.name": "St *Mary's* | Trust"],
            blocks: ["risks": DocumentTemplate.table(["Ref", "Title"], [["R-1", "N3 | late"]], empty: "none")]))
        #expect(filled.contains("# PID at St \\*Mary's\\* \\| Trust"))
        #expect(filled.contains("| Ref | Title |\n|---|---|\n| R-1 | N3 \\| late |"))
        #expect(filled.contains("Unknown {{nope}} stays."))
        #expect(DocumentTemplate.placeholders(in: template) == ["document.name", "organisation.name", "risks", "nope"])
        #expect(DocumentTemplate.table(["A"], [], empty: "No rows.") == "*No rows.*")
    }
}

@Suite("Stage gates and the hazard log")
struct StageGateTests {
    static let catalogue = NSIProductCatalogue.version(1)!
    static let hash = String(repeating: "d", count: 64)

    static func approved(_ code: String, id: Int64) -> GateDocument {
        let owner = DocumentOwner.project(Fixture.project(.lsp))
        var version = DocumentVersion(id: id, documentID: id, number: 2, state: .issued, fileName: "x.pdf", fileType: .pdf, size: 1,
                                      contentHash: hash, author: "pm", authoredAt: "t", changeSummary: "s")
        version.approval = DocumentApproval(by: "board", role: .projectBoardMember, at: "t", contentHash: hash)
        return GateDocument(document: ProjectDocument(id: id, owner: owner, productCode: code, state: .issued, latestVersion: 2,
                                                      signedOffVersion: 2, createdBy: "pm", createdAt: "t"),
                            signedOff: version, storedHash: hash)
    }

    static func documents(for stage: NSIStage) -> [String: GateDocument] {
        Dictionary(uniqueKeysWithValues: catalogue.mandatory(stage: stage, type: .lsp).enumerated().map { ($1.code, approved($1.code, id: Int64($0 + 1))) })
    }

    static func decisions(through stage: NSIStage) -> [GateDecision] {
        NSIStage.allCases.filter { $0 < stage }.map {
            GateDecision(owner: .project(Fixture.project(.lsp)), stage: $0, outcome: .passed, decidedBy: "b", role: .projectBoardMember,
                         reason: nil, decidedAt: "t", evidence: [], gaps: [])
        }
    }

    static func hazard(residual severity: HazardSeverity, _ likelihood: HazardLikelihood, status: HazardStatus = .open) -> Hazard {
        Hazard(id: 1, owner: .project(Fixture.project(.lsp)), title: "t", cause: "c", effect: "e", harm: "h", initialSeverity: .catastrophic,
               initialLikelihood: .veryHigh, controls: [], residualSeverity: severity, residualLikelihood: likelihood, status: status)
    }

    static func check(_ stage: NSIStage, achieved: Int, documents: [String: GateDocument], hazards: [Hazard] = [],
                      signOff: SafetyCaseSignOff? = nil, logHash: String = "log") -> GateCheck {
        GateRules.check(stage: stage, project: Fixture.project(.lsp, achieved: achieved), catalogue: catalogue, documents: documents,
                        decided: decisions(through: stage), hazards: hazards, signOff: signOff, currentLogHash: logHash)
    }

    @Test func aGatePassesWithEveryMandatoryProductApprovedAndItsMilestone() throws {
        let check = Self.check(.initiate, achieved: 2, documents: Self.documents(for: .initiate))
        #expect(check.passes, "\(check.missing.map(\.detail))")
        #expect(check.evidence.map(\.productCode).sorted() == Self.catalogue.mandatory(stage: .initiate, type: .lsp).map(\.code).sorted())
        #expect(try GateRules.decide(check, override: false, reason: nil, role: .trustProjectManager) == .passed)
    }

    @Test func missingEvidenceIsListedAndRefusedWithoutAnOverride() {
        var documents = Self.documents(for: .initiate)
        documents["PID"] = nil
        let check = Self.check(.initiate, achieved: 1, documents: documents)
        #expect(!check.passes)
        let missing = check.missing.map(\.kind)
        #expect(missing.contains(.milestone(.initiationCompleted)))
        #expect(missing.contains { if case .document(let p, nil) = $0 { p.code == "PID" } else { false } })
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(check, override: false, reason: nil, role: .projectBoardMember) }
    }

    @Test func onlyTheProjectBoardOverridesAndOnlyWithAReason() throws {
        let check = Self.check(.initiate, achieved: 1, documents: [:])
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(check, override: true, reason: "a good long reason", role: .trustProjectManager) }
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(check, override: true, reason: "  short ", role: .projectBoardMember) }
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(check, override: true, reason: nil, role: .projectBoardMember) }
        #expect(try GateRules.decide(check, override: true, reason: "Signed copy follows next week", role: .projectBoardMember) == .overridden)
    }

    @Test func aVoidApprovalIsNotEvidence() {
        var documents = Self.documents(for: .initiate)
        documents["PID"]?.storedHash = String(repeating: "e", count: 64)
        let check = Self.check(.initiate, achieved: 2, documents: documents)
        #expect(check.missing.count == 1)
        #expect(check.missing.first?.detail.contains("void") == true)
    }

    @Test func gatesPassInOrderAndEarlierGatesCannotBeOverridden() {
        let check = GateRules.check(stage: .localDesign, project: Fixture.project(.lsp, achieved: 3), catalogue: Self.catalogue,
                                    documents: Self.documents(for: .localDesign), decided: [], hazards: [], signOff: nil, currentLogHash: "")
        #expect(check.missing.contains { $0.kind == .earlierGate(.prepare) })
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(check, override: true, reason: "We really must go on", role: .projectBoardMember) }
        #expect(GateRules.nextGate(decided: Self.decisions(through: .localDesign)) == .localDesign)
    }

    @Test func theGoLiveGateNeedsTheSafetyOfficersCurrentSignOffWhileHazardsAreAboveAcceptable() throws {
        let docs = Self.documents(for: .prepareForGoLive)
        let blocking = [Self.hazard(residual: .major, .medium)]
        let unsigned = Self.check(.prepareForGoLive, achieved: 4, documents: docs, hazards: blocking)
        #expect(!unsigned.passes)
        #expect(unsigned.missing.map(\.kind) == [.clinicalSafety(blockingHazards: [1])])
        #expect(throws: DocumentRules.Refusal.self) { try GateRules.decide(unsigned, override: true, reason: "Board accepts the clinical risk", role: .projectBoardMember) }
        let signOff = SafetyCaseSignOff(projectID: 1, signedBy: "cso", signedAt: "t", logHash: "log", statement: "acceptable")
        #expect(Self.check(.prepareForGoLive, achieved: 4, documents: docs, hazards: blocking, signOff: signOff).passes)
        #expect(!Self.check(.prepareForGoLive, achieved: 4, documents: docs, hazards: blocking, signOff: signOff, logHash: "changed").passes,
                "a sign-off of an earlier log is stale")
        #expect(Self.check(.prepareForGoLive, achieved: 4, documents: docs, hazards: [Self.hazard(residual: .minor, .low)]).passes)
        #expect(Self.check(.prepareForGoLive, achieved: 4, documents: docs, hazards: [Self.hazard(residual: .major, .high, status: .closed)]).passes)
    }

    @Test func theClinicalRiskMatrixIsDCB0129s() {
        #expect(ClinicalRiskRating(severity: .minor, likelihood: .veryLow).value == 1)
        #expect(ClinicalRiskRating(severity: .catastrophic, likelihood: .veryHigh).value == 5)
        #expect(ClinicalRiskRating(severity: .considerable, likelihood: .medium).value == 3)
        #expect(ClinicalRiskRating(severity: .significant, likelihood: .low).isAcceptable)
        #expect(!ClinicalRiskRating(severity: .major, likelihood: .low).isAcceptable)
    }

    @Test func hazardsNeedTheirFieldsAndControlsReduceRisk() {
        var h = Self.hazard(residual: .catastrophic, .veryHigh)
        #expect(Hazard.validate(h).isEmpty)
        h.title = " "
        h.initialSeverity = .minor
        h.controls = [HazardControl(description: "Check NHS Number", verification: "", verified: false)]
        let fields = Hazard.validate(h).map(\.field)
        #expect(fields.contains("title") && fields.contains("controls") && fields.contains("residualSeverity"))
        var closed = Self.hazard(residual: .minor, .low, status: .closed)
        closed.controls = [HazardControl(description: "x", verification: "y", verified: false)]
        #expect(Hazard.validate(closed).map(\.field) == ["status"])
    }
}
