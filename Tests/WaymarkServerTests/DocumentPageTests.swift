import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

/// The document-control, stage-gate and hazard-log pages over HTTP: who sees which forms,
/// uploads with their refusals, downloads, escaping, approval, gates, the hazard log, the
/// safety case, and the panels on the project and organisation pages.
@Suite("Documents, stage gates and hazards in the web app")
struct DocumentPageTests {
    // MARK: Fixtures

    /// A project every role's home reaches: the LSP project `homeOrganisation` is built around.
    static func sharedProject(_ app: TestApp) throws -> ImplementationProject {
        try #require(app.dataset.projects.first { $0.type == .lsp && $0.productCode == ProductCatalogue.crs && $0.supplierID != nil })
    }

    /// An ESP project, whose first gate needs only an approved Project Brief, and its trust.
    static func espProject(_ app: TestApp) throws -> (ImplementationProject, Organisation) {
        let project = try app.espProject()
        let trust = try #require(app.dataset.organisations.first { $0.id == (project.ancestry.trustID ?? project.organisationID) })
        return (project, trust)
    }

    static let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

    /// The page at `uri`, and the CSRF cookie and token its forms carry.
    static func open(_ client: SignedInClient, _ uri: String) async throws -> (TestResponse, FormSession) {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .ok, "\(uri): \(response.text.prefix(300))")
        return (response, try FormSession(response))
    }

    /// A form POST with the session's CSRF token (or none) and `fields`, in order.
    static func post(_ client: SignedInClient, _ uri: String, _ form: FormSession, _ fields: [(String, String)],
                     csrf: Bool = true) async throws -> TestResponse {
        let all = (csrf ? [("csrf", form.token)] : []) + fields
        let body = all.map { "\($0.0)=\($0.1.addingPercentEncodingForForm)" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: form.headers(), body: ByteBuffer(string: body))
    }

    /// The document upload form as a browser sends it: multipart, the file's own Content-Type.
    static func upload(_ client: SignedInClient, code: String, _ form: FormSession, product: String, fileName: String?,
                       type: String? = "application/pdf", bytes: [UInt8], summary: String = "First issue",
                       document: (id: Int64, version: String)? = nil, csrf: Bool = true) async throws -> TestResponse {
        let boundary = "DocumentBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        func text(_ name: String, _ value: String) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if csrf { text("csrf", form.token) }
        text("product", product)
        if let document {
            text("document", String(document.id))
            text("version", document.version)
        }
        if let fileName {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n".utf8)
            if let type { body += Array("Content-Type: \(type)\r\n".utf8) }
            body += Array("\r\n".utf8) + bytes + Array("\r\n".utf8)
        }
        text("changeSummary", summary)
        body += Array("--\(boundary)--\r\n".utf8)
        return try await client.execute(uri: "/projects/\(code)/documents", method: .post, headers: [
            .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: form.cookie], body: ByteBuffer(bytes: body))
    }

    /// The document id a redirect to `/documents/ID?...` names.
    static func documentID(_ response: TestResponse) throws -> Int64 {
        #expect(response.status == .seeOther, "\(response.text.prefix(300))")
        let location = try #require(response.headers[.location])
        let path = location.split(separator: "?")[0]
        return try #require(Int64(path.dropFirst("/documents/".count)), "\(location)")
    }

    /// The document's row version, as its page's action forms carry it.
    static func rowVersion(_ page: String) throws -> String {
        try #require(FormSession.hiddenValue("version", in: page))
    }

    /// Sends `action` on a version as its button would, at the row version the page shows
    /// (or 1, for a role whose page has no forms).
    static func act(_ client: SignedInClient, _ id: Int64, version: Int = 1, _ action: DocumentAction) async throws -> TestResponse {
        let (page, form) = try await open(client, "/documents/\(id)")
        return try await post(client, "/documents/\(id)/versions/\(version)/actions", form,
                              [("action", action.rawValue), ("version", FormSession.hiddenValue("version", in: page.text) ?? "1")])
    }

    /// The id of the project's Project Brief.
    static func brief(_ app: TestApp, _ code: String) async throws -> Int64 {
        let project = try #require(try await app.store.project(code: code, scope: .national)?.project)
        return try #require(try await app.store.documents(projectID: project.id).first { $0.productCode == "PROJECT-BRIEF" }).id
    }

    static func counts(_ app: TestApp) async throws -> [String: Int64] { try await DocumentServiceTests.counts(app) }

    // MARK: Pages by role

    @Test("documents, gates and hazard pages render for every role, with only the forms the role may use")
    func pagesByRole() async throws {
        let app = try await TestApp.make()
        let project = try Self.sharedProject(app)
        let code = project.code
        for role in Role.allCases {
            let home = try app.homeOrganisation(for: role)
            try await app.test(as: role) { client async throws in
                let documents = try await client.execute(uri: "/projects/\(code)/documents", method: .get)
                #expect(documents.status == .ok, "\(role)")
                let page = documents.text
                #expect(page.contains("NSI products for \(code)") && page.contains("Project Brief") && page.contains("Stage 0 Prepare for Implementation"))
                #expect(page.contains("Start from template") == PermissionMatrix.permits(role, .manageDocuments), "\(role) template")
                #expect(page.contains("id=\"product-PROJECT-BRIEF\""), "the gate page's links land on the product's row")

                let gates = try await client.execute(uri: "/projects/\(code)/gates", method: .get)
                #expect(gates.status == .ok, "\(role)")
                #expect(gates.text.contains("Next: the gate out of stage 0 Prepare for Implementation"))
                // The gate is not met, so only the Project Board, which may override it, gets the button.
                #expect(gates.text.contains("Record the gate decision") == (role == .projectBoardMember), "\(role) decide")
                #expect(gates.text.contains("only the Project Board can override it") == (role != .projectBoardMember), "\(role) hint")
                #expect(gates.text.contains("Override as the Project Board") == (role == .projectBoardMember), "\(role) override")

                let hazards = try await client.execute(uri: "/projects/\(code)/hazards", method: .get)
                #expect(hazards.status == .ok, "\(role)")
                #expect(hazards.text.contains("Clinical safety hazard log for \(code)"))
                #expect(hazards.text.contains("Raise a hazard") == PermissionMatrix.permits(role, .recordHazards), "\(role) raise")
                #expect(hazards.text.contains("Sign the safety case") == PermissionMatrix.permits(role, .signSafetyCase), "\(role) sign")

                let rollUp = try await client.execute(uri: "/organisations/\(home.code)/gates", method: .get)
                #expect(rollUp.status == .ok, "\(role)")
                #expect(rollUp.text.contains("<svg class=\"chart\""))
            }
        }
        // Out of scope is as if it did not exist.
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != trust.id && $0.organisationID != trust.id })
        try await app.test(as: .trustProjectManager) { client async throws in
            for path in ["documents", "gates", "hazards"] {
                #expect(try await client.execute(uri: "/projects/\(outside.code)/\(path)", method: .get).status == .notFound, "\(path)")
            }
        }
    }

    // MARK: Uploads and downloads

    @Test("an upload with CSRF stores a draft; bad files, oversized files, paths and missing CSRF are refused, storing nothing",
          arguments: Backend.testable)
    func uploads(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try Self.sharedProject(app).code
            try await app.test(as: .trustProjectManager) { client async throws in
                let (_, form) = try await Self.open(client, "/projects/\(code)/documents")
                let saved = try await Self.upload(client, code: code, form, product: "PID", fileName: "pid.pdf", bytes: Self.pdf)
                let id = try Self.documentID(saved)
                #expect(saved.headers[.location] == "/documents/\(id)?uploaded=1")
                let page = try await client.execute(uri: "/documents/\(id)?uploaded=1", method: .get).text
                #expect(page.contains("Version uploaded as a draft.") && page.contains("pid.pdf") && page.contains("First issue"))
                #expect(page.contains("Version 1 <span class=\"doc-state doc-draft\">Draft</span>"))

                let before = try await Self.counts(app)
                func refused(_ response: TestResponse, _ status: HTTPResponse.Status, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
                    #expect(response.status == status, "\(response.text.prefix(300))", sourceLocation: sourceLocation)
                    for fragment in fragments {
                        #expect(response.text.contains(fragment), "\(fragment)", sourceLocation: sourceLocation)
                    }
                }
                let docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.docx", type: docx, bytes: Self.pdf),
                        .unprocessableContent, "The upload was refused and nothing was stored", "its contents are not a Word (DOCX) document")
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.pdf", type: "text/html",
                                              bytes: Array("<html><script>alert(1)</script>".utf8)),
                        .unprocessableContent, "was sent as text/html")
                let oversized = Self.pdf + [UInt8](repeating: 0x20, count: DocumentUpload.defaultMaximumBytes)
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.pdf", bytes: oversized),
                        .unprocessableContent, "over the 10 MiB limit")
                let huge = [UInt8](repeating: 0x20, count: DocumentUpload.defaultMaximumBytes + 512 * 1024)
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.pdf", bytes: huge),
                        .contentTooLarge, "nothing was stored", "over the 10 MiB limit")
                for name in ["../../etc/plan.pdf", "C:\\Users\\pm\\plan.pdf", "reports/plan.pdf"] {
                    refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: name, bytes: Self.pdf),
                            .unprocessableContent, "without a folder path")
                }
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.exe", bytes: Self.pdf),
                        .unprocessableContent, "can&#39;t be uploaded")
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: nil, bytes: []),
                        .unprocessableContent, "Choose the file to upload.")
                refused(try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.pdf", bytes: Self.pdf, csrf: false),
                        .forbidden, "security token")
                refused(try await Self.upload(client, code: code, form, product: "NOT-A-PRODUCT", fileName: "plan.pdf", bytes: Self.pdf),
                        .unprocessableContent, "is not a product in catalogue version")
                // A second upload for the same product must go through its document, at its current version.
                refused(try await Self.upload(client, code: code, form, product: "PID", fileName: "pid-2.pdf", bytes: Self.pdf),
                        .conflict, "already exists; open it and add the new version there")
                refused(try await Self.upload(client, code: code, form, product: "PID", fileName: "pid-2.pdf", bytes: Self.pdf, document: (id, "0")),
                        .preconditionFailed, "was changed by someone else")
                #expect(try await Self.counts(app) == before, "nothing stored")

                // A new version from the document page supersedes the draft.
                let (documentPage, documentForm) = try await Self.open(client, "/documents/\(id)")
                let second = try await Self.upload(client, code: code, documentForm, product: "PID", fileName: "pid-v2.pdf",
                                                   bytes: Array("%PDF-1.4\nversion two\n%%EOF\n".utf8), summary: "Board comments",
                                                   document: (id, try Self.rowVersion(documentPage.text)))
                #expect(try Self.documentID(second) == id)
                let after = try await client.execute(uri: "/documents/\(id)", method: .get).text
                #expect(after.contains("Version 2 <span class=\"doc-state doc-draft\">Draft</span>"))
                #expect(after.contains("Version 1 <span class=\"doc-state doc-superseded\">Superseded</span>"))
            }
            // Roles that may not manage documents are refused before the file is looked at.
            try await app.test(as: .auditor) { client async throws in
                let (_, form) = try await Self.open(client, "/projects/\(code)/documents")
                let response = try await Self.upload(client, code: code, form, product: "BENEFITS-PLAN", fileName: "plan.pdf", bytes: Self.pdf)
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("downloads are attachments with the allow-listed type and nosniff; Markdown renders escaped")
    func downloadsAndEscaping() async throws {
        let app = try await TestApp.make()
        let code = try Self.sharedProject(app).code
        let markdown = """
            # Brief for <b>ward 7</b>

            <script>alert(1)</script>
            "><img src=x onerror=alert(1)>
            [click](javascript:alert(1)) ![x](x.png)
            """
        let bytes = Array(markdown.utf8)
        try await app.test(as: .trustProjectManager) { client async throws in
            let (_, form) = try await Self.open(client, "/projects/\(code)/documents")
            let hostileName = "brief \"v2\" <b>.md"
            let id = try Self.documentID(try await Self.upload(client, code: code, form, product: "PROJECT-BRIEF", fileName: hostileName,
                                                               type: "text/markdown", bytes: bytes, summary: "Draft <i>one</i>"))
            let page = try await client.execute(uri: "/documents/\(id)", method: .get).text
            #expect(page.contains("brief &quot;v2&quot; &lt;b&gt;.md") && page.contains("Draft &lt;i&gt;one&lt;/i&gt;"))
            #expect(!page.contains("<b>.md") && !page.contains("<i>one"))

            let download = try await client.execute(uri: "/documents/\(id)/versions/1/download", method: .get)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"brief__v2___b_.md\"")
            #expect(download.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(Array(download.body.readableBytesView) == bytes, "the bytes as uploaded")

            let version = try await client.execute(uri: "/documents/\(id)/versions/1", method: .get)
            #expect(version.status == .ok)
            let shown = version.text
            #expect(shown.contains("<article class=\"document\">"))
            #expect(shown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(shown.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!shown.contains("<script") && !shown.contains("<img") && !shown.contains("href=\"javascript"))

            // A PDF is never shown inline: the version page offers the download instead.
            let pdfID = try Self.documentID(try await Self.upload(client, code: code, form, product: "PID", fileName: "pid.pdf", bytes: Self.pdf))
            let pdfPage = try await client.execute(uri: "/documents/\(pdfID)/versions/1", method: .get).text
            #expect(pdfPage.contains("PDF files are not shown in the browser"))
            let pdfDownload = try await client.execute(uri: "/documents/\(pdfID)/versions/1/download", method: .get)
            #expect(pdfDownload.headers[.contentType] == "application/pdf")
            #expect(pdfDownload.headers[.contentDisposition] == "attachment; filename=\"pid.pdf\"")
            #expect(try await client.execute(uri: "/documents/\(pdfID)/versions/9/download", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/documents/\(pdfID)/versions/x", method: .get).status == .notFound)

            // The notice after an action names only Waymark's actions, never text from the address.
            let spoof = try await client.execute(uri: "/documents/\(pdfID)?done=Your-account-is-locked", method: .get).text
            #expect(!spoof.contains("account is locked") && !spoof.contains("Your-account"))
        }
        // Out of scope: 404, for the page, the version and the download alike.
        let outsider = try #require(app.dataset.organisations.first { o in
            o.kind == .trust && o.id != (try? app.homeOrganisation(for: .trustProjectManager))?.id
        })
        try await app.test(as: .trustProjectManager, at: outsider) { client async throws in
            for path in ["/documents/1", "/documents/1/versions/1", "/documents/1/versions/1/download"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "\(path)")
            }
        }
    }

    // MARK: Review and approval

    @Test("a draft from the template is submitted; the author cannot approve it, nor a role that is not its approver; the approver can",
          arguments: Backend.testable)
    func approval(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try Self.sharedProject(app).code
            try await app.test(as: .projectBoardMember) { client async throws in
                let (_, form) = try await Self.open(client, "/projects/\(code)/documents")
                let drafted = try await Self.post(client, "/projects/\(code)/documents/from-template", form, [("product", "PROJECT-BRIEF")])
                let id = try Self.documentID(drafted)
                #expect(drafted.headers[.location] == "/documents/\(id)?drafted=1")
                let page = try await client.execute(uri: "/documents/\(id)?drafted=1", method: .get).text
                #expect(page.contains("Draft started from the template"))
                let draft = try await client.execute(uri: "/documents/\(id)/versions/1", method: .get).text
                #expect(draft.contains("<article class=\"document\">") && draft.contains(code))

                let submitted = try await Self.act(client, id, .submit)
                #expect(submitted.headers[.location] == "/documents/\(id)?done=submit-for-review")
                let inReview = try await client.execute(uri: "/documents/\(id)?done=submit-for-review", method: .get).text
                #expect(inReview.contains("Done: submit for review.") && inReview.contains("doc-in-review"))
                #expect(!inReview.contains(">Approve</button>"), "the author is not offered approval")

                let before = try await Self.counts(app)
                let own = try await Self.act(client, id, .approve)
                #expect(own.status == .conflict)
                #expect(own.text.contains("segregation of duties"), "\(own.text.prefix(400))")
                #expect(try await Self.counts(app) == before)

                // A review comment is kept with its version, escaped.
                let (_, commentForm) = try await Self.open(client, "/documents/\(id)")
                let empty = try await Self.post(client, "/documents/\(id)/versions/1/comments", commentForm, [("comment", " ")])
                #expect(empty.status == .unprocessableContent)
                let comment = try await Self.post(client, "/documents/\(id)/versions/1/comments", commentForm,
                                                  [("comment", "Add the <b>risks</b> \"><img src=x onerror=alert(1)>")])
                #expect(comment.status == .seeOther)
                let withComment = try await client.execute(uri: try #require(comment.headers[.location]), method: .get).text
                #expect(withComment.contains("Review comment added.") && withComment.contains("Add the &lt;b&gt;risks&lt;/b&gt;"))
                #expect(!withComment.contains("<img"))
            }
            let id = try await Self.brief(app, code)
            try await app.test(as: .trustProjectManager) { client async throws in
                let page = try await client.execute(uri: "/documents/\(id)", method: .get).text
                #expect(!page.contains(">Approve</button>") && page.contains(">Return to draft</button>"), "not the product's approver role")
                let wrongRole = try await Self.act(client, id, .approve)
                #expect(wrongRole.status == .conflict)
                #expect(wrongRole.text.contains("Project Board member"), "\(wrongRole.text.prefix(400))")
            }
            try await app.test(as: .auditor) { client async throws in
                let page = try await client.execute(uri: "/documents/\(id)", method: .get).text
                #expect(!page.contains(">Approve</button>") && !page.contains("Upload a new version"))
                #expect(try await Self.act(client, id, .approve).status == .forbidden)
            }
            try await app.test(as: .projectBoardMember) { client async throws in
                #expect(try await client.execute(uri: "/documents/\(id)", method: .get).text.contains(">Approve</button>"), "the approver is offered it")
                let approved = try await Self.act(client, id, .approve)
                #expect(approved.headers[.location] == "/documents/\(id)?done=approve")
                let approver = try #require(client.credentials?.user.username)
                let page = try await client.execute(uri: "/documents/\(id)", method: .get).text
                #expect(page.contains("Approved by \(approver) (Project Board member)"), "\(page)")
                #expect(page.contains("doc-approved"))
                // A stale form (the row version it was opened at) is refused as stale.
                let (_, form) = try await Self.open(client, "/documents/\(id)")
                let stale = try await Self.post(client, "/documents/\(id)/versions/1/actions", form, [("action", "issue"), ("version", "1")])
                #expect(stale.status == .preconditionFailed && stale.text.contains("changed by someone else"))
                let unknown = try await Self.post(client, "/documents/\(id)/versions/1/actions", form, [("action", "publish"), ("version", "1")])
                #expect(unknown.status == .unprocessableContent && unknown.text.contains("not one Waymark sent"))
            }
            let record = try #require(try await app.store.documentRecord(id: id, scope: .national))
            #expect(record.document.state == .approved && record.versions[0].approval?.role == .projectBoardMember)
        }
    }

    // MARK: Gates

    @Test("the gate page lists what is missing with links; refusals say why; the Project Board overrides with a reason")
    func gateRefusalsAndOverride() async throws {
        let app = try await TestApp.make()
        let project = try Self.sharedProject(app)
        let code = project.code
        try await app.test(as: .trustProjectManager) { client async throws in
            let (page, form) = try await Self.open(client, "/projects/\(code)/gates")
            let text = page.text
            #expect(text.contains("checks are not met"))
            #expect(text.contains("<a href=\"/projects/\(code)/documents#product-PROJECT-BRIEF\">Project Brief</a>"))
            #expect(text.contains("<a href=\"/projects/\(code)/documents#product-BENEFITS-PLAN\">Benefits Realisation Plan</a>"))
            #expect(text.contains("<span class=\"mark\">Missing</span>"))
            #expect(text.contains("<a href=\"/projects/\(code)#actual-initiation-commenced\">Initiation Commenced</a>"))
            let before = try await Self.counts(app)
            let notMet = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0")])
            #expect(notMet.status == .conflict && notMet.text.contains("is not met"), "\(notMet.text.prefix(300))")
            let notBoard = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0"), ("override", "1"), ("reason", "Agreed at the Board meeting")])
            #expect(notBoard.status == .conflict && notBoard.text.contains("Only the Project Board can override"))
            let noStage = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "")])
            #expect(noStage.status == .unprocessableContent && noStage.text.contains("Choose the gate to decide."))
            let noCSRF = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0")], csrf: false)
            #expect(noCSRF.status == .forbidden)
            #expect(try await Self.counts(app) == before)
        }
        try await app.test(as: .auditor) { client async throws in
            let (_, form) = try await Self.open(client, "/projects/\(code)/gates")
            #expect(try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "")]).status == .forbidden)
        }
        try await app.test(as: .projectBoardMember) { client async throws in
            let (_, form) = try await Self.open(client, "/projects/\(code)/gates")
            let noReason = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0"), ("override", "1"), ("reason", "Too <b>")])
            #expect(noReason.status == .conflict)
            #expect(noReason.text.contains("An override needs a reason of at least 10 characters"))
            #expect(noReason.text.contains(">Too &lt;b&gt;</textarea>"), "the reason is kept, escaped")
            let outOfOrder = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "2"), ("override", "1"), ("reason", "Jump two stages ahead")])
            #expect(outOfOrder.status == .conflict && outOfOrder.text.contains("gates pass in order"))
            let reason = "Brief agreed verbally by the CEO; signed copy follows"
            let overridden = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0"), ("override", "1"), ("reason", reason)])
            #expect(overridden.status == .seeOther && overridden.headers[.location] == "/projects/\(code)/gates?decided=1")
            let decided = try await client.execute(uri: "/projects/\(code)/gates?decided=1", method: .get).text
            #expect(decided.contains("Gate decision recorded with its evidence."))
            #expect(decided.contains("Passed with Project Board override") && decided.contains("Reason: \(reason)"))
            #expect(decided.contains("Missing when overridden:") && decided.contains("No Project Brief yet"))
            #expect(decided.contains("Next: the gate out of stage 1 Initiate"))
        }
        let decisions = try await app.store.gateDecisions(projectID: project.id)
        #expect(decisions.map(\.outcome) == [.overridden])
    }

    @Test("a gate passes on approved evidence; the project page shows the panel and timeline; the organisation page counts it",
          arguments: Backend.testable)
    func gatePassAndRollUp(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let (project, trust) = try Self.espProject(app)
            let code = project.code
            try await app.test(as: .trustProjectManager, at: trust) { client async throws in
                let (_, form) = try await Self.open(client, "/projects/\(code)/documents")
                let id = try Self.documentID(try await Self.post(client, "/projects/\(code)/documents/from-template", form, [("product", "PROJECT-BRIEF")]))
                #expect(try await Self.act(client, id, .submit).status == .seeOther)
            }
            let id = try await Self.brief(app, code)
            try await app.test(as: .projectBoardMember, at: trust) { client async throws in
                #expect(try await Self.act(client, id, .approve).status == .seeOther)
                let (page, form) = try await Self.open(client, "/projects/\(code)/gates")
                #expect(page.text.contains("Every check is met.") && page.text.contains(">Pass the gate</button>"), "\(page.text)")
                #expect(page.text.contains("<span class=\"mark\">Met</span> <a href=\"/documents/\(id)\">Project Brief</a>"))
                let passed = try await Self.post(client, "/projects/\(code)/gates", form, [("stage", "0")])
                #expect(passed.status == .seeOther)
                let decided = try await client.execute(uri: "/projects/\(code)/gates?decided=1", method: .get).text
                #expect(decided.contains("<strong>Gate out of stage 0 Prepare for Implementation</strong>: Passed,"))
                let hash = try #require(try await app.store.documentRecord(id: id, scope: .national)?.versions.first?.contentHash)
                #expect(decided.contains("<a href=\"/documents/\(id)\">PROJECT-BRIEF</a> version 1, SHA-256 <span class=\"code\">\(hash)</span>"))

                let projectPage = try await client.execute(uri: "/projects/\(code)", method: .get).text
                #expect(projectPage.contains("<h2 id=\"documents-gates\">Documents and stage gates</h2>"))
                #expect(projectPage.contains("Next: the gate out of stage 1 Initiate"))
                #expect(projectPage.contains("<ol class=\"timeline\">"))
                #expect(projectPage.contains("gate out of stage 0 Prepare for Implementation passed by"))
                for achieved in project.milestones where achieved.actual != nil {
                    #expect(projectPage.contains("\(achieved.actual!.iso): \(achieved.kind.title) achieved"))
                }
                #expect(projectPage.contains("<a href=\"/projects/\(code)/documents\">NSI products and documents</a>"))

                let inTrust = app.dataset.projects.filter { $0.organisationID == trust.id || $0.ancestry.trustID == trust.id }.count
                let rollUp = try await client.execute(uri: "/organisations/\(trust.code)/gates", method: .get).text
                #expect(rollUp.contains("<svg class=\"chart\"") && rollUp.contains("role=\"img\""))
                #expect(rollUp.contains("\(inTrust) implementation projects"))
                #expect(rollUp.contains("<th scope=\"row\">Out of stage 0 Prepare for Implementation</th><td>1</td><td>0</td><td>1 of \(inTrust)</td>"))
                #expect(rollUp.contains("<th scope=\"row\">Project Brief</th><td>1 of \(inTrust)</td>"))
                let organisationPage = try await client.execute(uri: "/organisations/\(trust.code)", method: .get).text
                #expect(organisationPage.contains("Stage gates and signed products"))
                #expect(organisationPage.contains("/organisations/\(trust.code)/gates"))
            }
        }
    }

    // MARK: Hazards and the safety case

    @Test("a hazard with errors is shown again with each error beside its field and nothing stored; a good one is raised and edited")
    func hazards() async throws {
        let app = try await TestApp.make()
        let project = try Self.sharedProject(app)
        let code = project.code
        try await app.test(as: .clinicalSafetyOfficer) { client async throws in
            let (_, form) = try await Self.open(client, "/projects/\(code)/hazards")
            let before = try await Self.counts(app)
            let bad = try await Self.post(client, "/projects/\(code)/hazards", form, [
                ("title", ""), ("cause", "Kept <i>as typed</i>"), ("effect", ""), ("harm", ""), ("initialSeverity", "9"),
                ("initialLikelihood", ""), ("control1", "Check NHS Number"), ("verification1", ""), ("status", "closed"),
            ])
            #expect(bad.status == .unprocessableContent)
            let page = bad.text
            #expect(page.contains("The hazard was not raised"))
            for (field, message) in [("title", "Describe the hazard"), ("effect", "Describe the effect"), ("harm", "Describe the potential harm"),
                                     ("initialSeverity", "Choose the initial severity from the list"),
                                     ("initialLikelihood", "Choose the initial likelihood")] {
                #expect(page.contains("<span class=\"error-message\" id=\"hazard-\(field)-error\">\(message)"), "\(field)")
                #expect(page.contains("aria-describedby=\"hazard-\(field)-error\""), "\(field)")
                #expect(page.contains("<a href=\"#hazard-\(field)\">\(message)"), "\(field) summary link")
            }
            #expect(page.contains(">Kept &lt;i&gt;as typed&lt;/i&gt;</textarea>"), "entries kept, escaped")
            #expect(page.contains("value=\"Check NHS Number\""))
            #expect(try await Self.counts(app) == before, "nothing stored")

            let good = try await Self.post(client, "/projects/\(code)/hazards", form, [
                ("title", "Wrong patient <script>x</script>"), ("cause", "Similar names"), ("effect", "Wrong record"), ("harm", "Missed treatment"),
                ("initialSeverity", "4"), ("initialLikelihood", "3"), ("control1", "NHS Number shown"), ("verification1", "UAT PS-04"),
                ("verified1", "1"), ("residualSeverity", "4"), ("residualLikelihood", "2"), ("status", "open"),
            ])
            #expect(good.status == .seeOther && good.headers[.location] == "/projects/\(code)/hazards?saved=1")
            let log = try await client.execute(uri: "/projects/\(code)/hazards?saved=1", method: .get).text
            #expect(log.contains("Hazard saved.") && log.contains("Wrong patient &lt;script&gt;x&lt;/script&gt;") && !log.contains("<script>x"))
            #expect(log.contains("1 open hazard above acceptable") && log.contains("blocks Go Live"))
            let hazard = try #require(try await app.store.hazards(projectID: project.id).first)
            #expect(log.contains("<a href=\"/projects/\(code)/hazards/\(hazard.id)\">\(hazard.reference)</a>"))

            // Editing: a refusal stays on the hazard's own form, with the entries kept.
            let (editPage, editForm) = try await Self.open(client, "/projects/\(code)/hazards/\(hazard.id)")
            #expect(editPage.text.contains("Save hazard") && editPage.text.contains("value=\"UAT PS-04\""))
            let unverify = try await Self.post(client, "/projects/\(code)/hazards/\(hazard.id)", editForm, [
                ("version", String(hazard.version)), ("title", "Wrong patient"), ("cause", "Similar names"), ("effect", "Wrong record"),
                ("harm", "Missed treatment"), ("initialSeverity", "4"), ("initialLikelihood", "3"), ("control1", "NHS Number shown"),
                ("verification1", "UAT PS-04"), ("residualSeverity", "5"), ("residualLikelihood", "5"), ("status", "closed"),
            ])
            #expect(unverify.status == .unprocessableContent)
            #expect(unverify.text.contains("The hazard was not saved") && unverify.text.contains("cannot be worse than the initial rating"))
            #expect(unverify.text.contains("closed only when every control"))
            #expect(unverify.text.contains("action=\"/projects/\(code)/hazards/\(hazard.id)\""), "the edit form, not the raise form")
            #expect(!unverify.text.contains("id=\"hazard-verified1\" name=\"verified1\" value=\"1\" checked"), "the unticked box stays unticked")
            let stale = try await Self.post(client, "/projects/\(code)/hazards/\(hazard.id)", editForm, [
                ("version", "0"), ("title", "Wrong patient"), ("cause", "c"), ("effect", "e"), ("harm", "h"), ("initialSeverity", "4"),
                ("initialLikelihood", "3"),
            ])
            #expect(stale.status == .preconditionFailed && stale.text.contains("changed by someone else"))
            #expect(try await client.execute(uri: "/projects/\(code)/hazards/99999", method: .get).status == .notFound)
            #expect(try await Self.post(client, "/projects/\(code)/hazards/HAZ-x", editForm, [("title", "")]).status == .notFound)
        }
        try await app.test(as: .auditor) { client async throws in
            let hazard = try #require(try await app.store.hazards(projectID: project.id).first)
            let page = try await client.execute(uri: "/projects/\(code)/hazards/\(hazard.id)", method: .get)
            #expect(page.status == .ok)
            #expect(!page.text.contains("Save hazard") && page.text.contains("UAT PS-04"), "read-only for roles that may not record hazards")
        }
    }

    @Test("only the Clinical Safety Officer signs the safety case, with a statement; a later change makes it stale")
    func safetyCase() async throws {
        let app = try await TestApp.make()
        let project = try Self.sharedProject(app)
        let code = project.code
        try await app.test(as: .trustProjectManager) { client async throws in
            let (page, form) = try await Self.open(client, "/projects/\(code)/hazards")
            #expect(!page.text.contains("Sign the safety case"))
            let refused = try await Self.post(client, "/projects/\(code)/safety-case", form, [("statement", "Residual risk acceptable for go live.")])
            #expect(refused.status == .forbidden)
        }
        try await app.test(as: .clinicalSafetyOfficer) { client async throws in
            let (_, form) = try await Self.open(client, "/projects/\(code)/hazards")
            let short = try await Self.post(client, "/projects/\(code)/safety-case", form, [("statement", "ok <b>")])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("<span class=\"error-message\" id=\"statement-error\">State, in at least 10 characters"))
            #expect(short.text.contains(">ok &lt;b&gt;</textarea>"))
            #expect(try await app.store.latestSafetySignOff(projectID: project.id) == nil)
            let signed = try await Self.post(client, "/projects/\(code)/safety-case", form, [("statement", "Residual risks reviewed with the clinical lead.")])
            #expect(signed.status == .seeOther && signed.headers[.location] == "/projects/\(code)/hazards?signed=1")
            let log = try await client.execute(uri: "/projects/\(code)/hazards?signed=1", method: .get).text
            #expect(log.contains("Safety case signed.") && log.contains("Safety case signed by"))
            // Any change to the log afterwards makes the signature stale.
            _ = try await Self.post(client, "/projects/\(code)/hazards", form, [
                ("title", "Allergy data lost"), ("cause", "Unmapped codes"), ("effect", "Missing allergies"), ("harm", "Wrong drug"),
                ("initialSeverity", "4"), ("initialLikelihood", "4"),
            ])
            let stale = try await client.execute(uri: "/projects/\(code)/hazards", method: .get).text
            #expect(stale.contains("is stale: the hazard log has changed since"))
        }
    }
}
