import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Scoped access, tokens and the audit trail")
struct ScopeTests {
    @Test("a supplier opening another supplier's project gets 404, and finds no trace of it in lists, search or exports",
          arguments: Backend.testable)
    func supplierIsolation(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let supplier = try app.homeOrganisation(for: .supplierImplementer)
            let theirs = try #require(app.dataset.projects.first { $0.supplierID == supplier.id })
            let other = try #require(app.dataset.projects.first { $0.supplierID != nil && $0.supplierID != supplier.id })
            let site = try #require(app.dataset.organisations.first { $0.id == other.organisationID })
            try await app.test(as: .supplierImplementer) { client in
                let page = try await client.execute(uri: "/projects/\(other.code)", method: .get)
                #expect(page.status == .notFound)
                let unknown = try await client.execute(uri: "/projects/NO-SUCH-PROJECT", method: .get)
                // Out of scope reads exactly like unknown, so nothing is learnt from the answer.
                func main(_ text: String, _ code: String) -> String {
                    let start = text.range(of: "<main")?.lowerBound ?? text.startIndex
                    let end = text.range(of: "</main>")?.upperBound ?? text.endIndex
                    return text[start..<end].replacingOccurrences(of: code, with: "X")
                }
                #expect(main(page.text, other.code) == main(unknown.text, "NO-SUCH-PROJECT"))
                #expect(try await client.execute(uri: "/api/v1/projects/\(other.code)", method: .get).status == .notFound)
                let patch = try await client.execute(uri: "/api/v1/projects/\(other.code)/milestones/go-live-completed", method: .patch,
                                                     headers: [.contentType: "application/json", .ifMatch: "\"1\""],
                                                     body: ByteBuffer(string: #"{"forecast": "2027-01-01"}"#))
                #expect(patch.status == .notFound)
                for uri in ["/projects?q=\(other.code)", "/search?q=\(other.code)", "/projects/export.csv?q=\(other.code)",
                            "/api/v1/projects?q=\(other.code)", "/projects/export.csv", "/api/v1/projects?limit=500",
                            "/search?q=\(urlQuery(site.name))", "/projects?q=\(urlQuery(site.name))"] {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect(response.status == .ok, "\(uri)")
                    let text = response.text
                    let listed = text.contains("/projects/\(other.code)\"") || text.contains("\"code\":\"\(other.code)\"")
                        || text.contains("\n\(other.code),")
                    #expect(!listed, "\(uri) lists \(other.code)")
                }
                // Their own project is there.
                #expect(try await client.execute(uri: "/projects/\(theirs.code)", method: .get).status == .ok)
                #expect(try await client.execute(uri: "/projects/export.csv", method: .get).text.contains("\n\(theirs.code),"))
            }
            let audit = try await app.store.auditEntries(AuditQuery(entityType: "project", entityID: other.id)).items
            #expect(audit.contains { $0.action == "denied: out of scope" }, "the attempt is audited")
            let reads = try await app.store.auditEntries(AuditQuery(entityType: "project", entityID: theirs.id)).items
            #expect(reads.contains { $0.action == "read project" }, "supplier reads are audited")
        }
    }

    @Test("a role with view rights only cannot change a record it can see: 403, audited, nothing changed", arguments: Backend.testable)
    func viewOnly(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let trust = try app.homeOrganisation(for: .projectBoardMember)
            let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
            try await app.test(as: .projectBoardMember) { client in
                let page = try await client.execute(uri: "/projects/\(project.code)", method: .get)
                #expect(page.status == .ok)
                #expect(!page.text.contains("Save dates"), "no form for a read-only role")
                let token = String(repeating: "k", count: 43)
                let post = try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: "waymark_csrf=\(token)"],
                    body: ByteBuffer(string: "csrf=\(token)&forecast.implementation-completed=2030-01-01"))
                #expect(post.status == .forbidden)
            }
            #expect(try await app.store.project(code: project.code, scope: .national)?.project == project)
            let denied = try await app.store.auditEntries(AuditQuery(limit: 20)).items
            #expect(denied.contains { $0.action == "denied: recordMilestones" })
        }
    }

    @Test("a form field the user may not set is refused with a message, not silently dropped")
    func massAssignment() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let form = try await client.execute(uri: "/projects/\(project.code)", method: .get) { try FormSession($0) }
            for field in ["baseline.initiation-commenced", "organisation", "approver", "version.extra"] {
                let response = try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(),
                                                        body: form.body([("forecast.initiation-commenced", "2027-01-15"), (field, "2027-01-01")]))
                #expect(response.status == .unprocessableContent, "\(field)")
                #expect(response.text.contains("cannot be set from this form"), "\(field)")
            }
        }
        #expect(try await app.store.project(code: project.code, scope: .national)?.project == project)
    }

    @Test("API tokens: scopes narrow the role, and revoked, expired or unknown tokens are refused", arguments: Backend.testable)
    func tokens(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let project = try app.unstartedLSPProject()
            let readOnly = try await app.signIn(.nationalProgrammeOffice, tokenScopes: [.read])
            let user = try await app.accounts.actingUser(readOnly.user, origin: "tests")
            try await app.test(readOnly) { client in
                #expect(try await client.execute(uri: "/api/v1/projects/\(project.code)", method: .get).status == .ok)
                let write = try await client.execute(uri: "/api/v1/projects/\(project.code)/milestones/initiation-commenced", method: .patch,
                                                     headers: [.contentType: "application/json", .ifMatch: "\"\(project.version)\""],
                                                     body: ByteBuffer(string: #"{"forecast": "2027-01-15"}"#))
                #expect(write.status == .forbidden, "a read token cannot write")
                let token = try #require(try await app.accounts.tokens(for: user).first)
                try await app.accounts.revokeToken(id: token.id, as: user)
                let revoked = try await client.execute(uri: "/api/v1/projects/\(project.code)", method: .get)
                #expect(revoked.status == .unauthorized)
                #expect(revoked.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let unknown = try await client.execute(uri: "/api/v1/projects", method: .get, headers: [.authorization: "Bearer wmk_nonsense"])
                #expect(unknown.status == .unauthorized)
                // A session cookie does not open the API: browsers' cookies can never drive it.
                let cookieOnly = try await client.execute(uri: "/api/v1/projects", method: .get, headers: [
                    .authorization: "", .cookie: "waymark_session=\(readOnly.sessionSecret)"])
                #expect(cookieOnly.status == .unauthorized)
            }
            #expect(try await app.store.project(code: project.code, scope: .national)?.project == project)
            await #expect(throws: ServiceError.self) { try await app.accounts.revokeToken(id: 12345, as: user) }
            await #expect(throws: ServiceError.self) {
                try await app.accounts.createToken(name: "too long", scopes: [.read], days: 400, for: user)
            }
        }
    }

    @Test("a token over its request limit gets 429 with Retry-After")
    func tokenRateLimit() async throws {
        var limits = AbuseLimitRules()
        limits.requestsPerToken = .init(limit: 3, window: 60)
        let app = try await TestApp.make(limits: limits)
        try await app.test { client in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 { statuses.append(try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get).status) }
            #expect(statuses == [.ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
            let limited = try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test("the audit view filters by record, user and date, and only national audit roles may open it", arguments: Backend.testable)
    func auditView(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let project = try app.unstartedLSPProject()
            let editor = try await app.accounts.actingUser(try await app.signIn(.nationalProgrammeOffice).user, origin: "10.1.2.3")
            _ = try await app.service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(
                milestone: .initiationCommenced, forecast: "2027-01-15", actual: nil, expectedVersion: project.version), as: editor)
            try await app.test(as: .auditor) { client in
                let byRecord = try await client.execute(uri: "/audit?project=\(project.code)", method: .get)
                #expect(byRecord.status == .ok)
                #expect(byRecord.text.contains("record milestone dates") && byRecord.text.contains(editor.name))
                #expect(byRecord.text.contains("10.1.2.3"))
                let byUser = try await client.execute(uri: "/audit?user=\(editor.name)", method: .get).text
                #expect(byUser.contains("record milestone dates"))
                let otherUser = try await client.execute(uri: "/audit?user=nobody-at-all", method: .get).text
                #expect(!otherUser.contains("record milestone dates"))
                let before = try await client.execute(uri: "/audit?project=\(project.code)&to=2020-01-01", method: .get).text
                #expect(!before.contains("record milestone dates"))
                #expect(try await client.execute(uri: "/audit?from=nonsense", method: .get).status == .badRequest)
            }
            try await app.test(as: .trustProjectManager) { client in
                let refused = try await client.execute(uri: "/audit", method: .get)
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test("the account page creates a token shown once and revokes it")
    func accountTokens() async throws {
        let app = try await TestApp.make()
        try await app.test(as: .trustProjectManager) { client in
            let form = try await client.execute(uri: "/account", method: .get) { try FormSession($0) }
            let created = try await client.execute(uri: "/account/tokens", method: .post, headers: form.headers(),
                                                   body: form.body([("name", "nightly export"), ("scope.read", "1"), ("days", "30")]))
            #expect(created.status == .ok)
            let secret = try #require(created.text.range(of: "<p class=\"secret\">").map { String(created.text[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(secret.hasPrefix("wmk_"))
            let again = try await client.execute(uri: "/account", method: .get).text
            #expect(again.contains("nightly export") && !again.contains(secret), "listed, but the secret is never shown again")
            let api = try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(api.status == .ok)
            let row = try #require(again.range(of: "nightly export"))
            let id = try #require(again.range(of: "/account/tokens/", range: row.upperBound..<again.endIndex)
                .map { String(again[$0.upperBound...].prefix { $0.isNumber }) })
            let revoke = try await client.execute(uri: "/account/tokens/\(id)/revoke", method: .post, headers: form.headers(), body: form.body([]))
            #expect(revoke.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get, headers: [.authorization: "Bearer \(secret)"]).status == .unauthorized)
        }
    }

    func urlQuery(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}
