import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage

/// Issue 12 defects: lists showed stage 0 for every project, and the project page hid a
/// conflict between its stage (from milestone dates) and its stage gates.
@Suite("Project stage in lists and on the project page")
struct ProjectStageTests {
    static let json: HTTPFields = [.contentType: "application/json", .accept: "application/json"]

    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("GET /api/v1/projects shows each project's stage, the same as the project itself, and the stage filter agrees")
    func apiListStage() async throws {
        let app = try await TestApp.make()
        let stages = Dictionary(uniqueKeysWithValues: app.dataset.projects.map { ($0.code, $0.stage.rawValue) })
        #expect(Set(stages.values).count > 1, "the demo has projects in several stages")
        try await app.test { client in
            var cursor: Int?
            var seen = 0
            repeat {
                let page = try await client.execute(uri: "/api/v1/projects?limit=500" + (cursor.map { "&after=\($0)" } ?? ""), method: .get) {
                    try object($0)
                }
                for item in page["items"] as? [[String: Any]] ?? [] {
                    let code = try #require(item["code"] as? String)
                    #expect(item["stage"] as? Int == stages[code], "\(code)")
                    seen += 1
                }
                cursor = page["nextCursor"] as? Int
            } while cursor != nil
            #expect(seen == stages.count)
            let sample = try #require(app.dataset.projects.first { $0.stage == .support })
            let one = try await client.execute(uri: "/api/v1/projects/\(sample.code)", method: .get) { try object($0) }
            let listed = try await client.execute(uri: "/api/v1/projects?q=\(sample.code)", method: .get) { try object($0) }
            #expect((listed["items"] as? [[String: Any]])?.first?["stage"] as? Int == one["stage"] as? Int)
            for stage in 0...5 {
                let page = try await client.execute(uri: "/api/v1/projects?stage=\(stage)&limit=500", method: .get) { try object($0) }
                let items = page["items"] as? [[String: Any]] ?? []
                #expect(!items.isEmpty && items.allSatisfy { $0["stage"] as? Int == stage }, "stage \(stage)")
            }
        }
    }

    @Test("/projects shows each project's stage from its milestone dates, and says so")
    func pageListStage() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { $0.stage == .support })
        try await app.test { client in
            try await client.execute(uri: "/projects?q=\(project.code)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Stage (from milestone dates)"))
                #expect(response.text.contains(#"<td class="num">5</td>"#), "\(project.code) is in stage 5")
            }
            try await client.execute(uri: "/projects?stage=5", method: .get) { response in
                #expect(response.text.contains(">\(project.code)</a>") || response.text.contains("Next page"))
                #expect(!response.text.contains(#"<td class="num">0</td>"#))
            }
        }
    }

    @Test("the project page shows the stage from milestone dates and from the gates, and flags a conflict in words")
    func stageConflict() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { $0.type == .lsp && $0.stage == .initiate })
        let unstarted = try app.unstartedLSPProject()
        try await app.test { client in
            try await client.execute(uri: "/projects/\(project.code)", method: .get) { response in
                let page = response.text
                #expect(page.contains("Stage (from milestone dates): 1 Initiate"))
                #expect(page.contains("Stage (from stage gates): the gate out of stage 0 Prepare for Implementation is not yet passed"))
                #expect(page.contains("Warning: the stage from milestone dates and the stage gates disagree"))
                #expect(page.contains("but the gate out of stage 0 Prepare for Implementation has not been passed"))
            }
            try await client.execute(uri: "/projects/\(unstarted.code)", method: .get) { response in
                #expect(response.text.contains("Stage (from milestone dates): 0 Prepare"))
                #expect(!response.text.contains("disagree"))
            }
        }
        // Once the gate out of stage 0 is passed, both say stage 1.
        _ = try await app.store.recordGateDecision(
            GateDecision(owner: .project(project), stage: .prepare, outcome: .passed, decidedBy: "tests", role: .projectBoardMember,
                         reason: nil, decidedAt: "2026-11-24T12:00:00Z", evidence: [], gaps: []),
            audit: AuditRecord(at: "2026-11-24T12:00:00Z", actor: "tests", origin: "tests", action: "stage gate passed",
                               entityType: "project", entityID: project.id, before: nil, after: nil))
        try await app.test { client in
            try await client.execute(uri: "/projects/\(project.code)", method: .get) { response in
                #expect(response.text.contains("Stage (from stage gates): the gate out of stage 1 Initiate is not yet passed"))
                #expect(!response.text.contains("disagree"))
            }
        }
    }
}
