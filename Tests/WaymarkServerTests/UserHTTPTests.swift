import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// The users page, the reset-link page and the users API (issue 13): the same service and the
/// same refusals, each shown beside its form or as a problem, with nothing written.
@Suite("Users in the web app and the API")
struct UserHTTPTests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("a system administrator adds a user on the page, edits them, issues a link the user sets a password with once; refusals come back beside the form",
          arguments: Backend.testable)
    func pages(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let link = try await Self.adminPages(app, trust: trust, sha: sha)
            // The user, signed out, sets a password with the link; it works once.
            try await app.test(nil) { client async throws in
                let page = try await client.execute(uri: link, method: .get)
                #expect(page.status == .ok && page.text.contains("pat.page"))
                let form = try FormSession(page)
                let mismatch = try await client.execute(uri: link, method: .post, headers: form.headers(),
                                                        body: form.body([("password", "a good long password"), ("confirm", "another one entirely")]))
                #expect(mismatch.status == .unprocessableContent && mismatch.text.contains("not the same"))
                let set = try await client.execute(uri: link, method: .post, headers: form.headers(),
                                                   body: form.body([("password", "a good long password"), ("confirm", "a good long password")]))
                #expect(set.status == .seeOther && set.headers[.location] == "/sign-in")
                #expect(try await client.execute(uri: link, method: .get).status == .notFound, "single use")
                let signedIn = try await SignInTests.signInForm(client, username: "pat.page", password: "a good long password")
                #expect(signedIn.status == .seeOther && SignInTests.sessionCookie(signedIn) != nil)
            }
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                #expect(try await client.execute(uri: "/users", method: .get).status == .forbidden)
                #expect(try await client.execute(uri: "/users/pat.page", method: .get).status == .forbidden)
            }
        }
    }

    /// The administrator's side of `pages`; returns the reset link's path.
    static func adminPages(_ app: TestApp, trust: Organisation, sha: Organisation) async throws -> String {
        let box = LinkBox()
        try await app.test(as: .systemAdministrator) { client async throws in
            let new = try await client.execute(uri: "/users/new", method: .get)
            #expect(new.status == .ok && new.text.contains("Add a user"))
            let form = try FormSession(new)
            let wrongLevel = try await client.execute(uri: "/users", method: .post, headers: form.headers(), body: form.body([
                ("username", "pat.page"), ("name", "Pat <b>Page</b>"), ("role", "trust-project-manager"), ("organisation", sha.code)]))
            #expect(wrongLevel.status == .unprocessableContent && wrongLevel.text.contains("belongs at a"))
            #expect(wrongLevel.text.contains("Pat &lt;b&gt;Page&lt;/b&gt;"), "what was entered comes back, escaped")
            #expect(try await app.store.user(username: "pat.page") == nil)
            let added = try await client.execute(uri: "/users", method: .post, headers: form.headers(), body: form.body([
                ("username", "pat.page"), ("name", "Pat Page"), ("role", "trust-project-manager"), ("organisation", trust.code)]))
            #expect(added.status == .seeOther && added.headers[.location] == "/users/pat.page?saved=add")
            let list = try await client.execute(uri: "/users?organisation=\(trust.code)&role=trust-project-manager", method: .get)
            #expect(list.status == .ok && list.text.contains("/users/pat.page"))

            let edit = try FormSession(try await client.execute(uri: "/users/pat.page", method: .get))
            #expect(edit.version == "1")
            let saved = try await client.execute(uri: "/users/pat.page", method: .post, headers: edit.headers(),
                                                 body: edit.body([("name", "Pat Page-Smith"), ("role", "trust-project-manager"), ("organisation", trust.code)]))
            #expect(saved.status == .seeOther)
            let stale = try await client.execute(uri: "/users/pat.page", method: .post, headers: edit.headers(),
                                                 body: edit.body([("name", "Stale"), ("role", "trust-project-manager"), ("organisation", trust.code)]))
            #expect(stale.status == .preconditionFailed && stale.text.contains("changed by someone else"))
            #expect(try await app.store.user(username: "pat.page")?.displayName == "Pat Page-Smith")

            // An administrator cannot change their own role: refused outright, nothing changed.
            let me = try #require(client.credentials?.user)
            let mine = try FormSession(try await client.execute(uri: "/users/\(me.username)", method: .get))
            let promote = try await client.execute(uri: "/users/\(me.username)", method: .post, headers: mine.headers(),
                                                   body: mine.body([("role", "national-programme-office")]))
            #expect(promote.status == .forbidden && promote.text.contains("your own role"))
            #expect(try await app.store.user(id: me.id)?.role == .systemAdministrator)

            let issued = try await client.execute(uri: "/users/pat.page/reset-link", method: .post, headers: edit.headers(),
                                                  body: edit.body([]))
            #expect(issued.status == .ok && issued.text.contains("only time Waymark shows it"))
            let text = issued.text
            let start = try #require(text.range(of: "/reset/"))
            box.path = String(text[start.lowerBound...].prefix { $0 != "<" })
        }
        return try #require(box.path)
    }

    final class LinkBox: @unchecked Sendable { var path: String? }

    @Test("the API adds, edits (If-Match), deactivates and issues links; a deactivated user's token stops at once; a narrowed token cannot mint an administrator",
          arguments: Backend.testable)
    func api(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let target = try await app.signIn(.trustProjectManager)
            let writeOnly = try await app.signIn(.systemAdministrator, tokenScopes: [.write])
            try await app.test(as: .systemAdministrator) { client async throws in
                let body = #"{"username": "api.user", "name": "Api User", "role": "trust-project-manager", "organisation": "\#(trust.code)"}"#
                let created = try await client.execute(uri: "/api/v1/users", method: .post, headers: Self.json, body: ByteBuffer(string: body))
                #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
                let taken = try await client.execute(uri: "/api/v1/users", method: .post, headers: Self.json, body: ByteBuffer(string: body))
                let fields = (try Self.object(taken)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(taken.status == .unprocessableContent && fields == ["username"])

                var headers = Self.json
                let unconditional = try await client.execute(uri: "/api/v1/users/api.user", method: .patch, headers: headers,
                                                             body: ByteBuffer(string: #"{"name": "X"}"#))
                #expect(unconditional.status == .preconditionRequired)
                headers[.ifMatch] = "\"1\""
                let renamed = try await client.execute(uri: "/api/v1/users/api.user", method: .patch, headers: headers,
                                                       body: ByteBuffer(string: #"{"name": "Api Person"}"#))
                #expect(renamed.status == .ok && renamed.headers[.eTag] == "\"2\"")

                let link = try await client.execute(uri: "/api/v1/users/api.user/reset-link", method: .post, headers: Self.json)
                let path = try Self.object(link)["path"] as? String
                #expect(link.status == .created && path?.hasPrefix("/reset/") == true)

                let list = try await client.execute(uri: "/api/v1/users?organisation=\(trust.code)&limit=100", method: .get)
                let names = (try Self.object(list)["items"] as? [[String: Any]])?.compactMap { $0["username"] as? String } ?? []
                #expect(list.status == .ok && names.contains("api.user") && names.contains(target.user.username))

                // The target's token works until the moment they are deactivated.
                let bearer: HTTPFields = [.authorization: "Bearer \(target.token)"]
                #expect(try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get, headers: bearer).status == .ok)
                let off = try await client.execute(uri: "/api/v1/users/\(target.user.username)/deactivate", method: .post,
                                                   headers: [.ifMatch: "\"1\"", .accept: "application/json"])
                let active = try Self.object(off)["active"] as? Bool
                #expect(off.status == .ok && active == false)
                #expect(try await client.execute(uri: "/api/v1/organisations?limit=1", method: .get, headers: bearer).status == .unauthorized)

                var narrowed = Self.json
                narrowed[.authorization] = "Bearer \(writeOnly.token)"
                let minted = try await client.execute(uri: "/api/v1/users", method: .post, headers: narrowed,
                                                      body: ByteBuffer(string: #"{"username": "shadow", "name": "S", "role": "system-administrator", "organisation": "NPO"}"#))
                #expect(minted.status == .forbidden && minted.text.contains("rights you do not hold"))
                #expect(try await app.store.user(username: "shadow") == nil)
            }
        }
    }

    @Test("a CSV import previews, then applies all or nothing; bad rows are listed by line; the page does the same with the file chosen twice",
          arguments: Backend.testable)
    func importing(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let csv = "username,name,role,organisation\nimp.one,Imported One,trust-project-manager,\(trust.code)\nimp.two,Imported Two,auditor,NPO\n"
            try await app.test(as: .systemAdministrator) { client async throws in
                let headers: HTTPFields = [.contentType: "text/csv", .accept: "application/json"]
                let bad = try await client.execute(uri: "/api/v1/users/import", method: .post, headers: headers, body: ByteBuffer(string:
                    "username,name,role,organisation\nok.one,Ok,auditor,NPO\nbad,Bad,trust-project-manager,NPO\nok.one,Twice,auditor,NPO\n"))
                let lines = (try Self.object(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(bad.status == .unprocessableContent && lines == ["line 3", "line 4"])
                #expect(try await app.store.user(username: "ok.one") == nil, "nothing was written")
                let missing = try await client.execute(uri: "/api/v1/users/import?dryRun=true", method: .post, headers: headers,
                                                       body: ByteBuffer(string: "username,name,organisation\nx.y,X,NPO\n"))
                #expect(missing.status == .unprocessableContent && missing.text.contains("no 'role' column"))

                let dry = try await client.execute(uri: "/api/v1/users/import?dryRun=true", method: .post, headers: headers, body: ByteBuffer(string: csv))
                let preview = try Self.object(dry)
                #expect(dry.status == .ok && preview["added"] as? Int == 2 && preview["applied"] as? Bool == false)
                #expect(try await app.store.user(username: "imp.one") == nil, "a dry run writes nothing")
                let fingerprint = try #require(preview["fingerprint"] as? String)
                let applied = try await client.execute(uri: "/api/v1/users/import?fingerprint=\(fingerprint)", method: .post, headers: headers,
                                                       body: ByteBuffer(string: csv))
                let appliedFlag = try Self.object(applied)["applied"] as? Bool
                #expect(applied.status == .ok && appliedFlag == true)
                #expect(try await app.store.user(username: "imp.two")?.role == .auditor)
                let audits = try await app.store.auditEntries(AuditQuery(entityType: "user", entityID: 0, limit: 20)).items.filter { $0.action == "import users" }
                #expect(audits.count == 1 && audits.first?.after?.contains("\"added\":2") == true)
                let twice = try await client.execute(uri: "/api/v1/users/import", method: .post, headers: headers, body: ByteBuffer(string: csv))
                #expect(twice.status == .unprocessableContent && twice.text.contains("is taken"))

                let page = try await client.execute(uri: "/users/import", method: .get)
                let form = try FormSession(page)
                func upload(_ text: String, fingerprint: String?) async throws -> TestResponse {
                    let boundary = "UserImportBoundary"
                    var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(form.token)\r\n"
                    if let fingerprint { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"fingerprint\"\r\n\r\n\(fingerprint)\r\n" }
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"users.csv\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n--\(boundary)--\r\n"
                    return try await client.execute(uri: "/users/import", method: .post, headers: [
                        .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: form.cookie], body: ByteBuffer(string: body))
                }
                let more = "username,name,role,organisation\nimp.three,Imported Three,auditor,NPO\n"
                let shown = try await upload(more, fingerprint: nil)
                #expect(shown.status == .ok && shown.text.contains("1 to add") && shown.text.contains("imp.three"))
                #expect(try await app.store.user(username: "imp.three") == nil)
                let hidden: String = try #require(FormSession.hiddenValue("fingerprint", in: shown.text))
                let done = try await upload(more, fingerprint: hidden)
                #expect(done.status == .ok && done.text.contains("Imported"))
                #expect(try await app.store.user(username: "imp.three") != nil)
                let rejected = try await upload("username,name,role,organisation\nimp.four,Four,auditor,NOPE\n", fingerprint: nil)
                #expect(rejected.status == .unprocessableContent && rejected.text.contains("Line 2: Unknown organisation"))
            }
        }
    }
}
