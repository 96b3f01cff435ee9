import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Organisation management over the pages and the API (issue 13): the same service, the same
/// refusals, and the ETag rules of every versioned write.
@Suite("Organisations in the web app and the API")
struct OrganisationHTTPTests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("a cluster office adds a site from the manage page; a bad code comes back beside its field; edits need the version read",
          arguments: Backend.testable)
    func pages(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            try await app.test(as: .clusterProgrammeControls) { client async throws in
                let page = "/organisations/\(trust.code)/manage"
                let manage = try await client.execute(uri: page, method: .get)
                #expect(manage.status == .ok && manage.text.contains("Add an organisation below"))
                let form = try FormSession(manage)
                let refused = try await client.execute(uri: "/organisations/\(trust.code)/children", method: .post, headers: form.headers(),
                                                       body: form.body([("kind", "site"), ("code", "no good!"), ("name", "Clinic")], token: nil))
                #expect(refused.status == .unprocessableContent && refused.text.contains("ODS code"))
                #expect(try await app.store.organisation(code: "NO GOOD!", scope: .national) == nil)
                let added = try await client.execute(uri: "/organisations/\(trust.code)/children", method: .post, headers: form.headers(),
                                                     body: form.body([("kind", "site"), ("code", "ZZ920"), ("name", "Riverside Clinic")], token: nil))
                #expect(added.status == .seeOther && added.headers[.location] == "/organisations/ZZ920/manage?saved=add")
                let site = try #require(try await app.store.organisation(code: "ZZ920", scope: .national))
                #expect(site.parentID == trust.id && site.kind == .site)

                let edit = try FormSession(try await client.execute(uri: "/organisations/ZZ920/manage", method: .get))
                let saved = try await client.execute(uri: "/organisations/ZZ920", method: .post, headers: edit.headers(),
                                                     body: edit.body([("name", "Riverside Health Centre")]))
                #expect(saved.status == .seeOther)
                let again = try await client.execute(uri: "/organisations/ZZ920", method: .post, headers: edit.headers(),
                                                     body: edit.body([("name", "Stale name")]))
                #expect(again.status == .preconditionFailed && again.text.contains("changed by someone else"))
                #expect(try await app.store.organisation(code: "ZZ920", scope: .national)?.name == "Riverside Health Centre")
            }
            try await app.test(as: .trustProjectManager) { client async throws in
                #expect(try await client.execute(uri: "/organisations/\(trust.code)/manage", method: .get).status == .forbidden)
            }
        }
    }

    @Test("the API adds, edits and closes an organisation; If-Match is required (428) and must be current (412)", arguments: Backend.testable)
    func api(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let body = #"{"code": "ZZ930", "name": "Hillside Surgery", "kind": "site", "parent": "\#(trust.code)", "postcode": "ls2 9jt"}"#
                let created = try await client.execute(uri: "/api/v1/organisations", method: .post, headers: Self.json, body: ByteBuffer(string: body))
                #expect(created.status == .created && created.headers[.eTag] == "\"1\"")
                let fields = try Self.object(created)
                #expect(fields["postcode"] as? String == "LS2 9JT" && (fields["parent"] as? [String: Any])?["code"] as? String == trust.code)
                let duplicate = try await client.execute(uri: "/api/v1/organisations", method: .post, headers: Self.json, body: ByteBuffer(string: body))
                #expect(duplicate.status == .unprocessableContent)
                let errors = (try Self.object(duplicate)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(errors == ["code"])

                let uri = "/api/v1/organisations/ZZ930"
                var headers = Self.json
                let unconditional = try await client.execute(uri: uri, method: .patch, headers: headers, body: ByteBuffer(string: #"{"name": "X"}"#))
                #expect(unconditional.status == .preconditionRequired)
                headers[.ifMatch] = "\"1\""
                let renamed = try await client.execute(uri: uri, method: .patch, headers: headers, body: ByteBuffer(string: #"{"name": "Hillside Medical Centre"}"#))
                #expect(renamed.status == .ok && renamed.headers[.eTag] == "\"2\"")
                let stale = try await client.execute(uri: uri + "/close", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
                #expect(stale.status == .preconditionFailed)
                headers[.ifMatch] = "\"2\""
                let closed = try await client.execute(uri: uri + "/close", method: .post, headers: headers,
                                                      body: ByteBuffer(string: #"{"closedOn": "2026-12-01"}"#))
                let closedOn = try Self.object(closed)["closedOn"] as? String
                #expect(closed.status == .ok && closedOn == "2026-12-01")
                let read = try await client.execute(uri: uri, method: .get)
                #expect(read.status == .ok && read.headers[.eTag] == "\"3\"")
                let busy = try await client.execute(uri: "/api/v1/organisations/\(trust.code)/close", method: .post,
                                                    headers: [.contentType: "application/json", .ifMatch: "\"\(trust.version)\""],
                                                    body: ByteBuffer(string: "{}"))
                #expect(busy.status == .conflict)
            }
        }
    }

    @Test("an ODS import over the API previews (dry run) and applies with the preview's fingerprint; the page does the same with the file chosen twice",
          arguments: Backend.testable)
    func importing(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let sha = try #require(app.dataset.organisations.first { $0.kind == .sha })
            let csv = "code,name,parent code,level\nZZI01,Import LHC,\(sha.code),lhc\nZZI02,Import Trust,ZZI01,trust\n"
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let headers: HTTPFields = [.contentType: "text/csv", .accept: "application/json"]
                let dry = try await client.execute(uri: "/api/v1/organisations/import?dryRun=true", method: .post, headers: headers,
                                                   body: ByteBuffer(string: csv))
                #expect(dry.status == .ok)
                let preview = try Self.object(dry)
                #expect(preview["applied"] as? Bool == false && preview["added"] as? Int == 2)
                #expect(try await app.store.organisation(code: "ZZI01", scope: .national) == nil, "a dry run writes nothing")
                let fingerprint = try #require(preview["fingerprint"] as? String)
                let applied = try await client.execute(uri: "/api/v1/organisations/import?fingerprint=\(fingerprint)", method: .post,
                                                       headers: headers, body: ByteBuffer(string: csv))
                let appliedFlag = try Self.object(applied)["applied"] as? Bool
                #expect(applied.status == .ok && appliedFlag == true)
                #expect(try await app.store.organisation(code: "ZZI02", scope: .national)?.kind == .trust)
                // An extract bigger than an ordinary API body is read whole; one over the import cap is 413.
                let rows = (1...2_500).map { "ZZB\($0),Branch \($0),ZZI02,site" }.joined(separator: "\n")
                let big = "code,name,parent code,level\n" + rows + "\n"
                #expect(big.utf8.count > 64 * 1024)
                let bigDry = try await client.execute(uri: "/api/v1/organisations/import?dryRun=true", method: .post, headers: headers,
                                                      body: ByteBuffer(string: big))
                let bigAdded = try Self.object(bigDry)["added"] as? Int
                #expect(bigDry.status == .ok && bigAdded == 2_500)
                let huge = String(repeating: "x", count: OrganisationService.maximumImportBytes + 1)
                let tooLarge = try await client.execute(uri: "/api/v1/organisations/import", method: .post, headers: headers,
                                                        body: ByteBuffer(string: huge))
                #expect(tooLarge.status == .contentTooLarge)
                #expect(try await app.store.organisation(code: "ZZB1", scope: .national) == nil, "neither wrote anything")
                let bad = try await client.execute(uri: "/api/v1/organisations/import", method: .post, headers: headers,
                                                   body: ByteBuffer(string: "code,name,parent code,level\nZZI03,X,NOPE,site\n"))
                #expect(bad.status == .unprocessableContent)
                let lines = (try Self.object(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(lines == ["line 2"])

                // The page: preview, then the same file with the fingerprint.
                let page = try await client.execute(uri: "/organisations/import", method: .get)
                #expect(page.status == .ok)
                let form = try FormSession(page)
                func upload(_ text: String, fingerprint: String?) async throws -> TestResponse {
                    let boundary = "OrgImportBoundary"
                    var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(form.token)\r\n"
                    if let fingerprint { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"fingerprint\"\r\n\r\n\(fingerprint)\r\n" }
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"orgs.csv\"\r\nContent-Type: text/csv\r\n\r\n\(text)\r\n--\(boundary)--\r\n"
                    return try await client.execute(uri: "/organisations/import", method: .post, headers: [
                        .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: form.cookie], body: ByteBuffer(string: body))
                }
                let more = csv + "ZZI04,Import Site,ZZI02,site\n"
                let shown = try await upload(more, fingerprint: nil)
                #expect(shown.status == .ok && shown.text.contains("1 to add") && shown.text.contains("ZZI04"))
                let hidden = try #require(FormSession.hiddenValue("fingerprint", in: shown.text))
                #expect(try await app.store.organisation(code: "ZZI04", scope: .national) == nil)
                let done = try await upload(more, fingerprint: hidden)
                #expect(done.status == .ok && done.text.contains("Imported"))
                #expect(try await app.store.organisation(code: "ZZI04", scope: .national)?.parentID != nil)
            }
            try await app.test(as: .clusterProgrammeControls) { client async throws in
                #expect(try await client.execute(uri: "/organisations/import", method: .get).status == .forbidden)
            }
        }
    }
}
