import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Document control, gates and the hazard log through the service, on both backends: each bad
/// input the issue names is refused with a clear message and changes nothing.
@Suite("Documents, stage gates and hazards: service")
struct DocumentServiceTests {
    static func user(_ app: TestApp, _ role: Role) async throws -> ActingUser {
        try await app.accounts.actingUser(try await app.signIn(role).user, origin: "tests")
    }

    /// The demo trust's first LSP project with nothing achieved yet.
    static func project(_ app: TestApp) throws -> ImplementationProject {
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        return try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
    }

    static let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

    static func refusal(_ body: () async throws -> Void) async -> String? {
        do { try await body() } catch let failure as ValidationFailure { return failure.errors.map(\.message).joined(separator: " ") }
        catch let error as ServiceError { return error.message } catch { Issue.record("unexpected \(error)") }
        Issue.record("expected a refusal")
        return nil
    }

    static func counts(_ app: TestApp) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for table in ["project_document", "document_version", "document_file", "document_comment", "gate_decision", "hazard",
                      "safety_signoff", "audit_entry"] {
            counts[table] = try await app.store.database.fetch("SELECT COUNT(*) AS records FROM \(table)", []).first?.int("records")
        }
        return counts
    }

    @Test("bad uploads are refused with their reason and store nothing", arguments: Backend.testable)
    func badUploads(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = DocumentService(programme: app.service, maximumBytes: 1024)
            let pm = try await Self.user(app, .trustProjectManager)
            let code = try Self.project(app).code
            let before = try await Self.counts(app)
            func upload(_ name: String, _ bytes: [UInt8], type: String? = nil) async -> String? {
                await Self.refusal {
                    _ = try await service.upload(projectCode: code, productCode: "PID", fileName: name, declaredMediaType: type, bytes: bytes,
                                                 changeSummary: "First issue", expectedVersion: nil, as: pm)
                }
            }
            #expect(await upload("pid.docx", Self.pdf)?.contains("not") == true, "bytes that do not match the declared type")
            #expect(await upload("pid.pdf", Array("<html><script>alert(1)</script>".utf8))?.contains("PDF") == true)
            #expect(await upload("pid.pdf", Self.pdf + [UInt8](repeating: 32, count: 2000))?.contains("limit") == true, "oversized")
            #expect(await upload("../../etc/pid.pdf", Self.pdf) != nil, "a path in the name")
            #expect(await upload("C:\\docs\\pid.pdf", Self.pdf) != nil)
            #expect(await upload("pid.exe", Self.pdf) != nil, "a type not on the allow-list")
            #expect(try await Self.counts(app) == before, "nothing stored, nothing audited")
        }
    }

    @Test("approval: never by the author, only by the approver role, never of a superseded version; hashes recorded", arguments: Backend.testable)
    func approval(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = DocumentService(programme: app.service)
            let board = try await Self.user(app, .projectBoardMember)
            let otherBoard = try await Self.user(app, .projectBoardMember)
            let cso = try await Self.user(app, .clinicalSafetyOfficer)
            let code = try Self.project(app).code
            // The board member writes the PID, so they cannot approve it; the CSO's role cannot either.
            var record = try await service.upload(projectCode: code, productCode: "PID", fileName: "pid.pdf", declaredMediaType: "application/pdf",
                                                  bytes: Self.pdf, changeSummary: "First issue", expectedVersion: nil, as: board)
            let id = record.document.id
            record = try await service.act(documentID: id, number: 1, action: .submit, expectedVersion: record.document.version, as: board)
            let before = try await Self.counts(app)
            let own = await Self.refusal { _ = try await service.act(documentID: id, number: 1, action: .approve, expectedVersion: record.document.version, as: board) }
            #expect(own?.contains("segregation of duties") == true, "\(own ?? "")")
            let wrongRole = await Self.refusal { _ = try await service.act(documentID: id, number: 1, action: .approve, expectedVersion: record.document.version, as: cso) }
            #expect(wrongRole?.contains("Project Board member") == true, "\(wrongRole ?? "")")
            // A bad comment refuses the whole action: the version stays in review.
            let longComment = await Self.refusal {
                _ = try await service.act(documentID: id, number: 1, action: .returnToDraft, expectedVersion: record.document.version,
                                          comment: String(repeating: "x", count: 4001), as: board)
            }
            #expect(longComment?.contains("4,000") == true, "\(longComment ?? "")")
            #expect(try await Self.counts(app) == before)
            #expect(try await service.documentView(id: id, as: board).versions.first?.version.state == .inReview)
            // A second version supersedes the first, which can then no longer be approved.
            let v2 = Array("%PDF-1.4\nversion two\n%%EOF\n".utf8)
            record = try await service.upload(projectCode: code, productCode: "PID", fileName: "pid-v2.pdf", declaredMediaType: nil, bytes: v2,
                                              changeSummary: "Board comments", expectedVersion: record.document.version, as: board)
            #expect(record.versions.map(\.state) == [.draft, .superseded])
            let superseded = await Self.refusal { _ = try await service.act(documentID: id, number: 1, action: .approve, expectedVersion: record.document.version, as: otherBoard) }
            #expect(superseded?.contains("superseded") == true, "\(superseded ?? "")")
            record = try await service.act(documentID: id, number: 2, action: .submit, expectedVersion: record.document.version,
                                           comment: "Ready for the Board", as: board)
            #expect(record.comments.map(\.text) == ["Ready for the Board"], "the comment is saved with the action")
            record = try await service.act(documentID: id, number: 2, action: .approve, expectedVersion: record.document.version, as: otherBoard)
            let approval = try #require(record.versions.first?.approval)
            #expect(approval.by == otherBoard.name && approval.role == .projectBoardMember)
            #expect(approval.contentHash == Secrets.sha256Hex(Data(v2)))
            #expect(record.document.signedOffVersion == 2 && record.document.state == .approved)
            // A stale version number is refused too.
            let stale = await Self.refusal { _ = try await service.act(documentID: id, number: 2, action: .issue, expectedVersion: 1, as: board) }
            #expect(stale?.contains("changed by someone else") == true)
            let view = try await service.documentView(id: id, as: board)
            #expect(view.versions.first?.approvalVoid == false)
            #expect(view.history.count >= 5, "every step audited")
        }
    }

    @Test("gates: refused with missing evidence, override only by the Project Board with a reason, passed on evidence", arguments: Backend.testable)
    func gates(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let gates = GateService(programme: app.service)
            let documents = DocumentService(programme: app.service)
            let pm = try await Self.user(app, .trustProjectManager)
            let board = try await Self.user(app, .projectBoardMember)
            let code = try Self.project(app).code
            let before = try await Self.counts(app)
            let missing = await Self.refusal { _ = try await gates.decide(projectCode: code, stage: .prepare, override: false, reason: nil, as: pm) }
            #expect(missing?.contains("Project Brief") == true, "\(missing ?? "")")
            let wrongRole = await Self.refusal { _ = try await gates.decide(projectCode: code, stage: .prepare, override: true, reason: "Agreed at Board", as: pm) }
            #expect(wrongRole?.contains("Only the Project Board") == true)
            let noReason = await Self.refusal { _ = try await gates.decide(projectCode: code, stage: .prepare, override: true, reason: " ", as: board) }
            #expect(noReason?.contains("reason") == true)
            let outOfOrder = await Self.refusal { _ = try await gates.decide(projectCode: code, stage: .initiate, override: true, reason: "Jump ahead please", as: board) }
            #expect(outOfOrder?.contains("in order") == true)
            #expect(try await Self.counts(app) == before)
            // Evidence: the brief and benefits plan from their templates, approved by another board member.
            let view = try await gates.gateView(projectCode: code, as: pm)
            let check = try #require(view.next)
            for requirement in check.requirements {
                guard case .document(let product, _) = requirement.kind else { continue }
                var record = try await documents.startFromTemplate(projectCode: code, productCode: product.code, as: pm)
                record = try await documents.act(documentID: record.document.id, number: 1, action: .submit, expectedVersion: record.document.version, as: pm)
                _ = try await documents.act(documentID: record.document.id, number: 1, action: .approve, expectedVersion: record.document.version, as: board)
            }
            let after = try await gates.gateView(projectCode: code, as: pm).next!
            let milestoneMet = after.requirements.allSatisfy { if case .milestone = $0.kind { $0.met } else { true } }
            if milestoneMet {
                let decision = try await gates.decide(projectCode: code, stage: .prepare, override: false, reason: nil, as: pm)
                #expect(decision.outcome == .passed && decision.evidence.count == check.requirements.count - 1)
            } else {
                let decision = try await gates.decide(projectCode: code, stage: .prepare, override: true, reason: "Milestone date to follow", as: board)
                #expect(decision.outcome == .overridden && decision.gaps.count == 1)
            }
            let trail = try await app.store.auditEntries(AuditQuery(entityType: "project", entityID: try Self.project(app).id, changesOnly: true, limit: 10)).items
            #expect(trail.contains { $0.action.hasPrefix("stage gate") }, "the decision is in the audit trail")
        }
    }

    @Test("the Go Live gate fails while a hazard is above acceptable, until the CSO signs; a later change makes it stale", arguments: Backend.testable)
    func goLiveSafety(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let hazards = HazardService(programme: app.service)
            let cso = try await Self.user(app, .clinicalSafetyOfficer)
            let pm = try await Self.user(app, .trustProjectManager)
            let code = try Self.project(app).code
            let draft = HazardService.Draft(title: "Wrong patient", cause: "Similar names", effect: "Wrong record", harm: "Missed treatment",
                                            initialSeverity: .major, initialLikelihood: .high, controls: [], residualSeverity: .major,
                                            residualLikelihood: .medium)
            let hazard = try await hazards.save(projectCode: code, id: nil, expectedVersion: nil, draft: draft, as: pm)
            #expect(hazard.blocksGoLive)
            let notCSO = await Self.refusal { _ = try await hazards.signSafetyCase(projectCode: code, statement: "Looks fine to me", as: pm) }
            #expect(notCSO != nil)
            _ = try await hazards.signSafetyCase(projectCode: code, statement: "Residual risk accepted with the clinical lead.", as: cso)
            #expect(try await hazards.hazardLog(projectCode: code, as: pm).signOffCurrent)
            var changed = draft
            changed.residualLikelihood = .high
            _ = try await hazards.save(projectCode: code, id: hazard.id, expectedVersion: 1, draft: changed, as: pm)
            #expect(try await hazards.hazardLog(projectCode: code, as: pm).signOffCurrent == false, "the log changed after signing")
            let stale = await Self.refusal { _ = try await hazards.save(projectCode: code, id: hazard.id, expectedVersion: 1, draft: draft, as: pm) }
            #expect(stale?.contains("changed by someone else") == true)
        }
    }

    @Test("start from template fills the project's data; a newer catalogue applies as a diff", arguments: [Backend.sqlite])
    func templatesAndCatalogue(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let documents = DocumentService(programme: app.service)
            let pm = try await Self.user(app, .trustProjectManager)
            let project = try Self.project(app)
            let record = try await documents.startFromTemplate(projectCode: project.code, productCode: "PID", as: pm)
            let (version, bytes) = try await documents.content(documentID: record.document.id, number: 1, as: pm)
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(version.fileType == .markdown && version.state == .draft)
            #expect(text.contains(project.code) && text.contains("Initiation Completed"), "milestones filled in")
            #expect(!text.contains("{{"), "every placeholder filled")
            let view = try await documents.projectDocuments(projectCode: project.code, as: pm)
            #expect(view.catalogue.number == 1)
            let diff = try #require(view.newerCatalogue)
            #expect(diff.added.contains { $0.code == "SAFETY-CASE" })
            _ = try await documents.applyLatestCatalogue(projectCode: project.code, checked: NSIProductCatalogue.latest.number, as: pm)
            #expect(try await documents.projectDocuments(projectCode: project.code, as: pm).catalogue.number == NSIProductCatalogue.latest.number)
        }
    }

    @Test("every catalogue product has a template that uses only known placeholders")
    func everyProductHasATemplate() throws {
        let known = DocumentTemplate.valueNames.union(DocumentTemplate.blockNames)
        for product in NSIProductCatalogue.versions.flatMap(\.products) {
            let template = try #require(TemplateLibrary.template(code: product.code), "no template for \(product.code)")
            #expect(DocumentTemplate.placeholders(in: template).isSubset(of: known), "\(product.code)")
            #expect(template.contains("{{document.name}}"))
        }
        #expect(TemplateLibrary.template(code: "../Package") == nil)
    }
}
