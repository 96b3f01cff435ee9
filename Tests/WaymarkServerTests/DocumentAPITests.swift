import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Documents, stage gates and the hazard log through the JSON API, on both backends.
@Suite("Documents, gates and hazards in the JSON API")
struct DocumentAPITests {
    static let pdf = Array("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(response.text.prefix(300))")
    }

    /// A call as `who` (the client's own user by default), with a JSON body and an If-Match if given.
    static func send(_ client: SignedInClient, _ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, etag: String? = nil,
                     as who: TestApp.Credentials? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if body != nil { headers[.contentType] = "application/json" }
        if let etag { headers[HTTPField.Name("If-Match")!] = etag }
        if let who { headers[.authorization] = "Bearer \(who.token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// A raw-body upload of `bytes` as `fileName`.
    static func upload(_ client: SignedInClient, _ code: String, _ product: String, _ fileName: String, _ bytes: [UInt8],
                       type: String = "application/pdf", etag: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: type]
        if let etag { headers[HTTPField.Name("If-Match")!] = etag }
        let name = fileName.addingPercentEncodingForForm
        return try await client.execute(uri: "/api/v1/projects/\(code)/documents/\(product)?fileName=\(name)&changeSummary=First%20issue",
                                        method: .put, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    static func isProblem(_ response: TestResponse) -> Bool {
        response.headers[.contentType]?.hasPrefix("application/problem+json") == true
    }

    @Test("template draft → submit → approval by another board member → gate passed or overridden, with ETags, the roll-up and the catalogue",
          arguments: Backend.testable)
    func roundTrip(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let project = try DocumentServiceTests.project(app)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let pm = try await app.signIn(.trustProjectManager)
            let board = try await app.signIn(.projectBoardMember)
            let otherBoard = try await app.signIn(.projectBoardMember)
            let code = project.code
            try await app.test(pm) { client in
                let before = try Self.json(try await Self.send(client, .get, "/api/v1/organisations/\(trust.code)/gates"))
                let listing = try Self.json(try await Self.send(client, .get, "/api/v1/projects/\(code)/documents"))
                #expect((listing["catalogue"] as? [String: Any])?["number"] as? Int == 1)
                let products = try #require(listing["products"] as? [[String: Any]])
                let brief = try #require(products.first { ($0["product"] as? [String: Any])?["code"] as? String == "PROJECT-BRIEF" })
                #expect(brief["mandatory"] as? Bool == true && brief["document"] == nil)
                #expect((brief["product"] as? [String: Any])?["approver"] as? String == "project-board-member")
                #expect(((listing["newerCatalogue"] as? [String: Any])?["added"] as? [[String: Any]])?.contains { $0["code"] as? String == "SAFETY-CASE" } == true)

                // Each document the first gate needs: drafted by the board member, who cannot approve it; another member does.
                let gates = try Self.json(try await Self.send(client, .get, "/api/v1/projects/\(code)/gates"))
                let next = try #require(gates["next"] as? [String: Any])
                #expect(next["stage"] as? Int == 0 && next["passes"] as? Bool == false)
                let needed = (next["requirements"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "document" }.compactMap { $0["product"] as? String }
                #expect(Set(needed) == ["PROJECT-BRIEF", "BENEFITS-PLAN"])
                for product in needed {
                    let drafted = try await Self.send(client, .post, "/api/v1/projects/\(code)/documents/\(product)/from-template", as: board)
                    #expect(drafted.status == .created && drafted.headers[.eTag] == "\"1\"", "\(drafted.text.prefix(300))")
                    let document = try Self.json(drafted)
                    let id = try #require(document["id"] as? Int)
                    let version = try #require((document["versions"] as? [[String: Any]])?.first)
                    #expect(version["state"] as? String == "draft" && version["fileType"] as? String == "markdown")
                    #expect(version["actions"] as? [String] == ["submit-for-review", "obsolete"])
                    let actions = "/api/v1/documents/\(id)/versions/1/actions"
                    #expect(try await Self.send(client, .post, actions, #"{"action": "submit-for-review"}"#, as: board).status == .preconditionRequired)
                    #expect(try await Self.send(client, .post, actions, #"{"action": "submit-for-review"}"#, etag: "\"7\"", as: board).status == .preconditionFailed)
                    let submitted = try await Self.send(client, .post, actions, #"{"action": "submit-for-review", "comment": "Ready for the Board"}"#,
                                                        etag: "\"1\"", as: board)
                    #expect(submitted.status == .ok)
                    let etag = try #require(submitted.headers[.eTag])
                    let own = try await Self.send(client, .post, actions, #"{"action": "approve"}"#, etag: etag, as: board)
                    #expect(own.status == .conflict && Self.isProblem(own) && own.text.contains("segregation of duties"), "\(own.text.prefix(300))")
                    let wrongRole = try await Self.send(client, .post, actions, #"{"action": "approve"}"#, etag: etag)
                    #expect(wrongRole.status == .conflict && wrongRole.text.contains("Project Board member"))
                    let approved = try await Self.send(client, .post, actions, #"{"action": "approve"}"#, etag: etag, as: otherBoard)
                    #expect(approved.status == .ok, "\(approved.text.prefix(300))")
                    let signed = try #require((try Self.json(approved)["versions"] as? [[String: Any]])?.first)
                    let approval = try #require(signed["approval"] as? [String: Any])
                    #expect(signed["state"] as? String == "approved" && approval["by"] as? String == otherBoard.user.username)
                    #expect(approval["sha256"] as? String == signed["sha256"] as? String && approval["void"] as? Bool == false)
                    #expect((signed["comments"] as? [[String: Any]])?.first?["text"] as? String == "Ready for the Board")
                }
                let checked = try #require(try Self.json(try await Self.send(client, .get, "/api/v1/projects/\(code)/gates"))["next"] as? [String: Any])
                let outcome: String
                if checked["passes"] as? Bool == true {
                    let decided = try await Self.send(client, .post, "/api/v1/projects/\(code)/gates", #"{"stage": 0}"#)
                    #expect(decided.status == .created)
                    #expect((try Self.json(decided)["evidence"] as? [Any])?.count == 2)
                    outcome = "passed"
                } else {
                    // Only the milestone is missing: the PM may not override, the Board may, with a reason.
                    let refused = try await Self.send(client, .post, "/api/v1/projects/\(code)/gates", #"{"stage": 0, "override": true, "reason": "Date to follow"}"#)
                    #expect(refused.status == .conflict && refused.text.contains("Only the Project Board"))
                    let decided = try await Self.send(client, .post, "/api/v1/projects/\(code)/gates",
                                                      #"{"stage": 0, "override": true, "reason": "Milestone date to follow"}"#, as: board)
                    #expect(decided.status == .created, "\(decided.text.prefix(300))")
                    let decision = try Self.json(decided)
                    #expect(decision["outcome"] as? String == "passed-with-override" && (decision["gaps"] as? [Any])?.count == 1)
                    outcome = "overridden"
                }
                let again = try await Self.send(client, .post, "/api/v1/projects/\(code)/gates", #"{"stage": 0}"#)
                #expect(again.status == .conflict && again.text.contains("in order"))
                #expect(try await Self.send(client, .post, "/api/v1/projects/\(code)/gates", #"{"stage": 9}"#).status == .unprocessableContent)
                let after = try Self.json(try await Self.send(client, .get, "/api/v1/projects/\(code)/gates"))
                #expect((after["decisions"] as? [Any])?.count == 1 && (after["next"] as? [String: Any])?["stage"] as? Int == 1)

                // The roll-up counts the gate and the signed-off brief.
                func stage0(_ rollUp: [String: Any]) -> Int {
                    (rollUp["gates"] as? [[String: Any]])?.first { $0["stage"] as? Int == 0 }?[outcome] as? Int ?? -1
                }
                func briefs(_ rollUp: [String: Any]) -> Int {
                    (rollUp["signedOff"] as? [[String: Any]])?.first { $0["product"] as? String == "PROJECT-BRIEF" }?["projects"] as? Int ?? 0
                }
                let rolled = try Self.json(try await Self.send(client, .get, "/api/v1/organisations/\(trust.code)/gates"))
                #expect(rolled["projects"] as? Int == before["projects"] as? Int && (rolled["projects"] as? Int ?? 0) > 0)
                #expect(stage0(rolled) == stage0(before) + 1 && briefs(rolled) == briefs(before) + 1)

                // The newer catalogue: only the version whose diff was shown applies, once.
                #expect(try await Self.send(client, .post, "/api/v1/projects/\(code)/catalogue", #"{"version": 1}"#).status == .conflict)
                let applied = try await Self.send(client, .post, "/api/v1/projects/\(code)/catalogue", #"{"version": 2}"#)
                let diff = try Self.json(applied)
                #expect(applied.status == .ok && diff["to"] as? Int == 2)
                #expect(try await Self.send(client, .post, "/api/v1/projects/\(code)/catalogue", #"{"version": 2}"#).status == .conflict)
            }
            // Out of scope is 404; a role that may not manage documents is 403.
            let document = try #require(try await app.store.documents(projectID: project.id).first)
            let elsewhere = try #require(app.dataset.organisations.first { $0.kind == .trust && $0.ancestry.clusterID != trust.ancestry.clusterID })
            try await app.test(as: .trustProjectManager, at: elsewhere) { client in
                let hidden = try await Self.send(client, .get, "/api/v1/documents/\(document.id)")
                #expect(hidden.status == .notFound && Self.isProblem(hidden))
            }
            try await app.test(as: .auditor) { client in
                #expect(try await Self.send(client, .get, "/api/v1/documents/\(document.id)").status == .ok)
                let refused = try await Self.send(client, .post, "/api/v1/documents/\(document.id)/versions/1/comments", #"{"text": "Hello"}"#)
                #expect(refused.status == .forbidden && Self.isProblem(refused))
            }
        }
    }

    @Test("uploads: refused files are 422 with the reason and store nothing; If-Match 428/412; downloads are attachments with nosniff and the hash",
          arguments: Backend.testable)
    func uploadsAndDownloads(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try DocumentServiceTests.project(app).code
            try await app.test(as: .trustProjectManager) { client in
                let before = try await DocumentServiceTests.counts(app)
                let refusals: [(String, [UInt8], String, String)] = [
                    ("pid.pdf", Array("<html><script>alert(1)</script>".utf8), "application/pdf", "not a PDF"),
                    ("pid.docx", Self.pdf, DocumentFileType.docx.mediaType, "not a Word (DOCX) document"),
                    ("pid.pdf", Self.pdf, "text/markdown", "but was sent as text"),
                    ("../../etc/pid.pdf", Self.pdf, "application/pdf", "without a folder path"),
                    ("pid.exe", Self.pdf, "application/octet-stream", "can't be uploaded"),
                    ("pid.pdf", Self.pdf + [UInt8](repeating: 32, count: DocumentUpload.defaultMaximumBytes), "application/pdf", "over the 10 MiB limit"),
                ]
                for (name, bytes, type, reason) in refusals {
                    let refused = try await Self.upload(client, code, "PID", name, bytes, type: type)
                    #expect(refused.status == .unprocessableContent && Self.isProblem(refused), "\(name) \(type): \(refused.status)")
                    #expect(refused.text.contains(reason), "\(name): \(refused.text.prefix(300))")
                }
                let image = try await Self.upload(client, code, "PID", "pid.png", Self.pdf, type: "image/png")
                #expect(image.status == .badRequest && Self.isProblem(image), "a media type the operation does not take")
                #expect(try await DocumentServiceTests.counts(app) == before, "nothing stored, nothing audited")

                let created = try await Self.upload(client, code, "PID", "pid final.pdf", Self.pdf)
                #expect(created.status == .created && created.headers[.eTag] == "\"1\"", "\(created.text.prefix(300))")
                let document = try Self.json(created)
                let id = try #require(document["id"] as? Int)
                #expect(try await Self.upload(client, code, "PID", "pid.pdf", Self.pdf).status == .preconditionRequired)
                #expect(try await Self.upload(client, code, "PID", "pid.pdf", Self.pdf, etag: "\"5\"").status == .preconditionFailed)
                #expect(try await Self.upload(client, code, "PROJECT-BRIEF", "brief.pdf", Self.pdf, etag: "\"1\"").status == .preconditionFailed,
                        "If-Match where there is no document yet")
                let markdown = Array("# PID\n\nSecond version, *in Markdown*.\n".utf8)
                let second = try await Self.upload(client, code, "PID", "pid.md", markdown, type: "application/octet-stream", etag: "\"1\"")
                #expect(second.status == .ok, "\(second.text.prefix(300))")
                let versions = try #require(try Self.json(second)["versions"] as? [[String: Any]])
                #expect(versions.map { $0["state"] as? String } == ["draft", "superseded"])
                #expect(versions.first?["mediaType"] as? String == "text/markdown; charset=utf-8")
                #expect(try await Self.send(client, .get, "/api/v1/documents/\(id)").headers[.eTag] == second.headers[.eTag])

                let pdf = try await Self.send(client, .get, "/api/v1/documents/\(id)/versions/1/content")
                #expect(pdf.status == .ok && Array(buffer: pdf.body) == Self.pdf)
                #expect(pdf.headers[.contentType] == "application/pdf")
                #expect(pdf.headers[.contentDisposition] == "attachment; filename=\"pid_final.pdf\"")
                #expect(pdf.headers[.xContentTypeOptions] == "nosniff" && pdf.headers[.cacheControl] == "private, no-store")
                #expect(pdf.headers[HTTPField.Name("X-Content-SHA256")!] == Secrets.sha256Hex(Self.pdf))
                #expect(pdf.headers[HTTPField.Name("X-Content-SHA256")!] == versions.last?["sha256"] as? String)
                let md = try await Self.send(client, .get, "/api/v1/documents/\(id)/versions/2/content")
                #expect(md.headers[.contentType] == "text/markdown; charset=utf-8" && md.headers[.xContentTypeOptions] == "nosniff")
                #expect(try await Self.send(client, .get, "/api/v1/documents/\(id)/versions/3/content").status == .notFound)

                let blank = try await Self.send(client, .post, "/api/v1/documents/\(id)/versions/2/comments", #"{"text": "  "}"#)
                #expect(blank.status == .unprocessableContent && Self.isProblem(blank))
                let commented = try await Self.send(client, .post, "/api/v1/documents/\(id)/versions/2/comments", #"{"text": "Add the scope"}"#)
                #expect(commented.status == .created)
                let long = String(repeating: "x", count: 4001)
                let badComment = try await Self.send(client, .post, "/api/v1/documents/\(id)/versions/2/actions",
                                                     #"{"action": "submit-for-review", "comment": "\#(long)"}"#, etag: commented.headers[.eTag])
                #expect(badComment.status == .unprocessableContent, "a bad comment is refused before the version moves")
                let unmoved = try Self.json(try await Self.send(client, .get, "/api/v1/documents/\(id)"))
                #expect(unmoved["state"] as? String == "draft")
            }
        }
    }

    @Test("hazards: every problem at once, ratings, If-Match 428/412; the CSO's sign-off goes stale when a hazard changes",
          arguments: Backend.testable)
    func hazardsAndSafetyCase(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try DocumentServiceTests.project(app).code
            let cso = try await app.signIn(.clinicalSafetyOfficer)
            try await app.test(as: .trustProjectManager) { client in
                let path = "/api/v1/projects/\(code)/hazards"
                let invalid = try await Self.send(client, .post, path, #"{"initialSeverity": 9, "controls": [{"description": "", "verification": "Test"}]}"#)
                #expect(invalid.status == .unprocessableContent && Self.isProblem(invalid))
                let fields = Set((try Self.json(invalid)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
                #expect(fields == ["title", "cause", "effect", "harm", "initialSeverity", "initialLikelihood", "controls"], "\(fields)")

                let body = #"{"title": "Wrong patient selected", "cause": "Similar names", "effect": "Wrong record", "harm": "Missed treatment", "initialSeverity": 4, "initialLikelihood": 4}"#
                let raised = try await Self.send(client, .post, path, body)
                #expect(raised.status == .created && raised.headers[.eTag] == "\"1\"")
                let hazard = try Self.json(raised)
                let id = try #require(hazard["id"] as? Int)
                #expect(hazard["blocksGoLive"] as? Bool == true && (hazard["residualRating"] as? [String: Any])?["value"] as? Int == 4)
                var log = try Self.json(try await Self.send(client, .get, path))
                #expect(log["blocking"] as? [Int] == [id] && log["signOff"] == nil)

                let safety = "/api/v1/projects/\(code)/safety-case"
                let notCSO = try await Self.send(client, .post, safety, #"{"statement": "Residual risk accepted."}"#)
                #expect(notCSO.status == .forbidden && Self.isProblem(notCSO))
                #expect(try await Self.send(client, .post, safety, #"{"statement": "ok"}"#, as: cso).status == .unprocessableContent)
                let signed = try await Self.send(client, .post, safety, #"{"statement": "Residual risk accepted with the clinical lead."}"#, as: cso)
                let signOff = try Self.json(signed)
                #expect(signed.status == .created && signOff["current"] as? Bool == true)
                log = try Self.json(try await Self.send(client, .get, path))
                #expect((log["signOff"] as? [String: Any])?["current"] as? Bool == true)

                let update = body.replacingOccurrences(of: #""initialLikelihood": 4"#, with: #""initialLikelihood": 4, "residualLikelihood": 2"#)
                #expect(try await Self.send(client, .put, "\(path)/\(id)", update).status == .preconditionRequired)
                #expect(try await Self.send(client, .put, "\(path)/\(id)", update, etag: "\"9\"").status == .preconditionFailed)
                #expect(try await Self.send(client, .put, "\(path)/999999", update, etag: "\"1\"").status == .notFound)
                let worse = body.replacingOccurrences(of: #""initialLikelihood": 4"#, with: #""initialLikelihood": 4, "residualSeverity": 5"#)
                #expect(try await Self.send(client, .put, "\(path)/\(id)", worse, etag: "\"1\"").status == .unprocessableContent)
                let saved = try await Self.send(client, .put, "\(path)/\(id)", update, etag: "\"1\"")
                #expect(saved.status == .ok && saved.headers[.eTag] == "\"2\"")
                #expect((try Self.json(saved)["residualRating"] as? [String: Any])?["value"] as? Int == 3)
                log = try Self.json(try await Self.send(client, .get, path))
                #expect((log["signOff"] as? [String: Any])?["current"] as? Bool == false, "the log changed after signing")
            }
        }
    }
}
