import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Lessons learned in the JSON API")
struct LessonAPITests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func items(_ response: TestResponse) throws -> [[String: Any]] {
        try object(response)["items"] as? [[String: Any]] ?? []
    }

    @Test("search ranks, counts and pages; a supplier sees its own projects' lessons and guidance only", arguments: Backend.testable)
    func search(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            try await app.test(as: .nationalProgrammeOffice) { client in
                let first = try await client.execute(uri: "/api/v1/lessons?q=training&limit=10", method: .get)
                #expect(first.status == .ok)
                let body = try Self.object(first)
                let total = try #require(body["total"] as? Int)
                #expect(total > 10 && (body["items"] as? [Any])?.count == 10 && body["nextCursor"] as? Int == 10)
                let hit = try #require(try Self.items(first).first)
                #expect((hit["snippet"] as? String)?.isEmpty == false && (hit["reference"] as? String)?.hasPrefix("LL-") == true)
                let filtered = try Self.items(try await client.execute(uri: "/api/v1/lessons?stage=3&area=people&product=PACS&limit=100", method: .get))
                #expect(filtered.allSatisfy { $0["stage"] as? Int == 3 && $0["area"] as? String == "people" && $0["product"] as? String == "PACS" })
                for bad in ["stage=8", "product=NOPE", "limit=0", "limit=101", "area=galaxy", "for=NOPE-PACS"] {
                    let response = try await client.execute(uri: "/api/v1/lessons?\(bad)", method: .get)
                    #expect([.badRequest, .notFound].contains(response.status), "\(bad)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(bad)")
                }
            }
            let supplierID = try app.homeOrganisation(for: .supplierImplementer).id
            try await app.test(as: .supplierImplementer) { client in
                var after: Int?
                var seen = 0
                repeat {
                    let page = try await client.execute(uri: "/api/v1/lessons?limit=100" + (after.map { "&after=\($0)" } ?? ""), method: .get)
                    let items = try Self.items(page)
                    #expect(items.allSatisfy { item in
                        item["guidance"] as? Bool == true
                            || app.dataset.lessons.first { $0.id == item["id"] as? Int64 ?? Int64(item["id"] as? Int ?? 0) }?.source.supplierID == supplierID
                    })
                    seen += items.count
                    after = try Self.object(page)["nextCursor"] as? Int
                } while after != nil
                #expect(seen == app.dataset.lessons.filter { $0.isGuidance || $0.source.supplierID == supplierID }.count)
            }
        }
    }

    @Test("record: 201 with the lesson, 422 naming each field, 400 for unknown properties; nothing stored on refusal")
    func record() async throws {
        let app = try await TestApp.make()
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
        try await app.test(as: .trustProjectManager) { client in
            let good = #"{"area": "it", "title": "Firewall change freeze", "whatHappened": "Change freeze blocked the N3 cut-over.", "recommendation": "Book the change board slot early.", "tags": ["N3", "Change Board"]}"#
            let created = try await client.execute(uri: "/api/v1/projects/\(project.code)/lessons", method: .post, headers: Self.json,
                                                   body: ByteBuffer(string: good))
            #expect(created.status == .created)
            let lesson = try Self.object(created)
            #expect(lesson["stage"] as? Int == project.stage.rawValue && lesson["product"] as? String == project.productCode)
            #expect(lesson["tags"] as? [String] == ["n3", "change-board"] && lesson["sourceProject"] as? String == project.code)
            #expect(created.headers[.eTag] == "\"1\"")

            let bad = #"{"stage": 7, "area": "people", "title": "", "whatHappened": "x", "recommendation": "", "tags": ["fine", "not fine!"]}"#
            let refused = try await client.execute(uri: "/api/v1/projects/\(project.code)/lessons", method: .post, headers: Self.json,
                                                   body: ByteBuffer(string: bad))
            #expect(refused.status == .unprocessableContent)
            let fields = Set((try Self.object(refused)["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["stage", "title", "recommendation", "tags"])
            let unknown = #"{"area": "it", "title": "t", "whatHappened": "w", "recommendation": "r", "promoted": true}"#
            #expect(try await client.execute(uri: "/api/v1/projects/\(project.code)/lessons", method: .post, headers: Self.json,
                                             body: ByteBuffer(string: unknown)).status == .badRequest)
            let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != trust.id })
            #expect(try await client.execute(uri: "/api/v1/projects/\(outside.code)/lessons", method: .post, headers: Self.json,
                                             body: ByteBuffer(string: good)).status == .notFound)
        }
        #expect(try await app.store.searchLessons(LessonSearch(scope: .national)).total == app.dataset.lessons.count + 1)
    }

    @Test("read and promote: the ETag is the version; If-Match is required; only the national office promotes")
    func promote() async throws {
        let app = try await TestApp.make()
        let lesson = try #require(app.dataset.lessons.first { !$0.isGuidance })
        let uri = "/api/v1/lessons/\(lesson.id)"
        try await app.test(as: .trustProjectManager) { client in
            let read = try await client.execute(uri: uri, method: .get)
            #expect(read.status == .ok && read.headers[.eTag] == "\"1\"")
            #expect(try Self.object(read)["title"] as? String == lesson.title)
            let refused = try await client.execute(uri: uri + "/promote", method: .post, headers: [HTTPField.Name("If-Match")!: "\"1\""])
            #expect(refused.status == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/lessons/99999999", method: .get).status == .notFound)
        }
        try await app.test(as: .nationalProgrammeOffice) { client in
            #expect(try await client.execute(uri: uri + "/promote", method: .post).status == .preconditionRequired)
            #expect(try await client.execute(uri: uri + "/promote", method: .post, headers: [HTTPField.Name("If-Match")!: "\"3\""]).status
                    == .preconditionFailed)
            let promoted = try await client.execute(uri: uri + "/promote", method: .post, headers: [HTTPField.Name("If-Match")!: "\"1\""])
            #expect(promoted.status == .ok && promoted.headers[.eTag] == "\"2\"")
            let body = try Self.object(promoted)
            #expect(body["guidance"] as? Bool == true && (body["promotedBy"] as? String)?.hasPrefix("national-programme-office") == true)
            #expect(try await client.execute(uri: uri + "/promote", method: .post, headers: [HTTPField.Name("If-Match")!: "\"2\""]).status
                    == .conflict, "already guidance")
        }
    }

    @Test("`for` lists the lessons relevant to a project in scope, guidance first, from other projects")
    func relevant() async throws {
        let app = try await TestApp.make()
        let (project, relevant) = try LessonPageTests.projectWithRelevantLessons(app)
        try await app.test(as: .nationalProgrammeOffice) { client in
            let items = try Self.items(try await client.execute(uri: "/api/v1/lessons?for=\(project.code)", method: .get))
            #expect(items.compactMap { $0["reference"] as? String } == relevant.prefix(5).map(\.reference))
        }
        let home = try app.homeOrganisation(for: .trustProjectManager)
        let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != home.id })
        try await app.test(as: .trustProjectManager) { client in
            let response = try await client.execute(uri: "/api/v1/lessons?for=\(outside.code)", method: .get)
            #expect(response.status == .notFound)
        }
    }
}
