import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("JSON API")
struct APITests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("organisations list, filter and page with a cursor, with nothing missed or repeated")
    func organisationsPaging() async throws {
        let app = try await TestApp.make()
        let expected = Set(app.dataset.organisations.filter { $0.kind == .sha }.map(\.code))
        try await app.test { client in
            var seen: [String] = []
            var cursor: Int?
            repeat {
                let uri = "/api/v1/organisations?kind=sha&limit=5" + (cursor.map { "&after=\($0)" } ?? "")
                let page = try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                    return try object(response)
                }
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                cursor = page["nextCursor"] as? Int
            } while cursor != nil
            #expect(seen.count == 28)
            #expect(Set(seen) == expected)
        }
    }

    @Test("projects filter by organisation subtree, product, type and stage")
    func projectsFilter() async throws {
        let app = try await TestApp.make()
        let sha = try #require(app.dataset.organisations.first { $0.code == "Q05" })
        let expected = app.dataset.projects.filter { $0.ancestry.shaID == sha.id && $0.productCode == "CRS" && $0.type == .lsp }
        try await app.test { client in
            let page = try await client.execute(uri: "/api/v1/projects?within=Q05&product=CRS&type=lsp&limit=500", method: .get) {
                try object($0)
            }
            let codes = (page["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes == expected.map(\.code))
        }
    }

    @Test("bad filters are problem+json 400s", arguments: [
        "/api/v1/projects?product=NOPE", "/api/v1/projects?type=foo", "/api/v1/projects?within=NOPE", "/api/v1/projects?stage=7",
        "/api/v1/organisations?kind=galaxy", "/api/v1/projects?limit=0",
    ])
    func badFilters(uri: String) async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest || response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let detail = try object(response)["detail"] as? String
                #expect(detail?.isEmpty == false)
            }
        }
    }

    @Test("a project comes with its milestones and an ETag; unknown ones are problem+json 404s")
    func project() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            try await client.execute(uri: "/api/v1/projects/\(project.code)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] == "\"\(project.version)\"")
                let body = try object(response)
                #expect((body["milestones"] as? [Any])?.count == 6)
            }
            try await client.execute(uri: "/api/v1/projects/NOPE", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            try await client.execute(uri: "/api/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test("updating a milestone checks the rules, the ETag (lost updates get 412) and the date format, and changes nothing on failure",
          arguments: Backend.testable)
    func updateMilestone(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
        let project = try app.unstartedLSPProject()
        let esp = try app.espProject()
        let uri = "/api/v1/projects/\(project.code)/milestones/initiation-commenced"
        try await app.test { client in
            func patch(_ uri: String, _ body: String, ifMatch: String? = "\"1\"") async throws -> TestResponse {
                var headers = Self.json
                if let ifMatch { headers[.ifMatch] = ifMatch }
                return try await client.execute(uri: uri, method: .patch, headers: headers, body: ByteBuffer(string: body)) { $0 }
            }
            let malformed = try await patch(uri, #"{"forecast": "2027-02-30"}"#)
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            // The problem names the field in the form's own words, as the project page does.
            let fields = (try object(malformed)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["forecast.initiation-commenced"])
            let future = try await patch(uri, #"{"actual": "2027-01-01"}"#)
            #expect(future.status == .unprocessableContent)
            #expect(try await patch("/api/v1/projects/\(project.code)/milestones/go-live-completed", #"{"actual": "2026-11-01"}"#).status == .unprocessableContent)
            #expect(try await patch("/api/v1/projects/\(esp.code)/milestones/local-design-completed", #"{"forecast": "2027-01-01"}"#).status == .unprocessableContent)
            #expect(try await patch(uri, #"{"forecast": "2027-01-04"}"#, ifMatch: "\"99\"").status == .preconditionFailed)
            let oversized = try await patch(uri, #"{"forecast": "2027-01-04", "x": ""# + String(repeating: "a", count: 100_000) + #""}"#)
            #expect(oversized.status == .contentTooLarge)
            #expect(oversized.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            let unconditional = try await patch(uri, #"{"forecast": "2027-01-04"}"#, ifMatch: nil)
            #expect(unconditional.status == .preconditionRequired)
            #expect(unconditional.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(try await patch(uri, #"{"forecast": 12}"#).status == .badRequest)
            #expect(try await app.store.project(code: project.code, scope: .national)?.project == project)

            let ok = try await patch(uri, #"{"forecast": "2027-01-04"}"#, ifMatch: "\"\(project.version)\"")
            #expect(ok.status == .ok)
            #expect(ok.headers[.eTag] == "\"\(project.version + 1)\"")
            #expect(try await app.store.project(code: project.code, scope: .national)?.project.milestone(.initiationCommenced)?.forecast == Day(iso: "2027-01-04"))
            // A second client still holding the old ETag would overwrite that: refused.
            #expect(try await patch(uri, #"{"forecast": "2027-01-05"}"#, ifMatch: "\"\(project.version)\"").status == .preconditionFailed)

            // Fields the caller may not set (a baseline, a version, an organisation) are refused, not ignored.
            for field in [#""baseline": "2027-01-01""#, #""version": 9"#, #""organisationCode": "X""#] {
                let response = try await patch(uri, #"{"forecast": "2027-01-06", "# + field + "}", ifMatch: "\"\(project.version + 1)\"")
                #expect(response.status == .badRequest || response.status == .unprocessableContent, "\(field)")
            }
            #expect(try await app.store.project(code: project.code, scope: .national)?.project.version == project.version + 1)
        }
        }
    }

    @Test("the roll-up for any organisation matches the data, and the spec is served")
    func rollUpAndSpec() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            let body = try await client.execute(uri: "/api/v1/organisations/CLD/rollup", method: .get) { try object($0) }
            let london = try #require(app.dataset.organisations.first { $0.code == "CLD" })
            let total = body["total"] as? [String: Any]
            #expect(total?["projects"] as? Int == app.dataset.projects.filter { $0.ancestry.clusterID == london.id }.count)
            #expect((body["groups"] as? [Any])?.count == 5)
            try await client.execute(uri: "/api/v1/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.hasPrefix("openapi: 3.1.0"))
            }
        }
    }
}
