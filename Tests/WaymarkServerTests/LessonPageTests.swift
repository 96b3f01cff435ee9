import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Lessons learned in the web app")
struct LessonPageTests {
    /// A project at the trust PM's home trust, and its lesson form's session (the lesson form
    /// carries no version, unlike the milestone form on the same page).
    static func form(_ client: SignedInClient, _ code: String) async throws -> FormSession {
        var form = try await client.execute(uri: "/projects/\(code)", method: .get) { try FormSession($0) }
        form.version = ""
        return form
    }

    static func homeProject(_ app: TestApp) throws -> ImplementationProject {
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        return try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
    }

    /// A project that has recorded lessons and has more than five relevant ones from other
    /// projects, with those in the expected order: guidance first, then the most recent.
    static func projectWithRelevantLessons(_ app: TestApp) throws -> (ImplementationProject, [Lesson]) {
        let lessons = app.dataset.lessons
        func relevant(_ p: ImplementationProject) -> [Lesson] {
            lessons.filter { $0.stage == p.stage && $0.productCode == p.productCode && $0.source.projectID != p.id }
        }
        let project = try #require(app.dataset.projects.first { p in
            relevant(p).count > 5 && lessons.contains { $0.source.projectID == p.id }
        })
        return (project, relevant(project).sorted {
            ($0.isGuidance ? 1 : 0, $0.recordedOn, $0.id) > ($1.isGuidance ? 1 : 0, $1.recordedOn, $1.id)
        })
    }

    static let good: [(String, String)] = [
        ("stage", "3"), ("area", "people"), ("product", "PACS"), ("title", "Radiographers trained on the wrong build"),
        ("whatHappened", "Training used a build with a different worklist layout <b>bold</b>."),
        ("recommendation", "Freeze the training build two weeks before go-live."), ("tags", "Training, PACS build"),
    ]

    @Test("the search is in the navigation; results are counted, ranked and paged, with plain snippets")
    func search() async throws {
        let app = try await TestApp.make()
        try await app.test(as: .trustProjectManager) { client in
            #expect(try await client.execute(uri: "/", method: .get).text.contains("<a href=\"/lessons\">Lessons</a>"))
            let page = try await client.execute(uri: "/lessons?q=training", method: .get)
            #expect(page.status == .ok)
            let total = app.dataset.lessons.filter { ($0.title + $0.whatHappened + $0.recommendation + $0.tags.joined()).lowercased().contains("train") }.count
            #expect(total > 25)
            #expect(page.text.contains("Showing 1–25 of "), "count shown")
            #expect(page.text.contains("best match first"))
            #expect(page.text.components(separatedBy: "<li><h2 class=\"lesson-title\">").count == 26)
            #expect(page.text.contains("href=\"/lessons?q=training&amp;after=25\"") || page.text.contains("href=\"/lessons?q=training&after=25\""))
            let second = try await client.execute(uri: "/lessons?q=training&after=25", method: .get).text
            #expect(second.contains("Showing 26–"))
            let filtered = try await client.execute(uri: "/lessons?stage=2&product=N3&area=it&guidance=1", method: .get)
            #expect(filtered.status == .ok)
            #expect(filtered.text.contains("<option value=\"2\" selected>") && filtered.text.contains("checked"))
            let hostile = try await client.execute(uri: "/lessons?q=%22%3Cscript%3E%20NEAR(%20OR%20*", method: .get)
            #expect(hostile.status == .ok)
            #expect(!hostile.text.contains("<script>"))
            for bad in ["/lessons?stage=9", "/lessons?area=galaxy", "/lessons?product=NOPE", "/lessons?after=x"] {
                #expect(try await client.execute(uri: bad, method: .get).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("a lesson recorded from the project page is shared, found by search and audited")
    func record() async throws {
        let app = try await TestApp.make()
        let project = try Self.homeProject(app)
        try await app.test(as: .trustProjectManager) { client in
            let projectPage = try await client.execute(uri: "/projects/\(project.code)", method: .get).text
            #expect(projectPage.contains("Lessons for this stage") && projectPage.contains("Record lesson"))
            let form = try await Self.form(client, project.code)
            let saved = try await client.execute(uri: "/projects/\(project.code)/lessons", method: .post, headers: form.headers(),
                                                 body: form.body(Self.good))
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            let id = Int64(app.dataset.lessons.count + 1)
            #expect(location == "/lessons/\(id)?recorded=1")
            let page = try await client.execute(uri: location, method: .get).text
            #expect(page.contains("Lesson recorded") && page.contains("Radiographers trained on the wrong build"))
            #expect(page.contains("&lt;b&gt;bold&lt;/b&gt;"), "text is escaped")
            #expect(page.contains("/lessons?q=pacs-build"), "tags are normalised and link to a search")
            #expect(!page.contains("Promote to programme guidance"), "only the national office may promote")
            let found = try await client.execute(uri: "/lessons?q=worklist+radiographers", method: .get).text
            #expect(found.contains("/lessons/\(id)\"") && found.contains("Showing 1–1 of 1 lesson"))
            #expect(try await client.execute(uri: "/lessons/LL-\(String(repeating: "0", count: 6 - String(id).count))\(id)", method: .get).status == .ok)
        }
        let lesson = try #require(try await app.store.lesson(id: Int64(app.dataset.lessons.count + 1), scope: .national))
        #expect(lesson.stage == .prepareForGoLive && lesson.area == .people && lesson.tags == ["training", "pacs-build"])
        #expect(lesson.source.projectCode == project.code && lesson.recordedOn == TestApp.today)
        #expect(try await app.store.auditEntries(entityType: "lesson", entityID: lesson.id, limit: 5).map(\.action) == ["record lesson"])
    }

    @Test("bad input re-shows the form with 422, names each field, keeps the entries and stores nothing")
    func refused() async throws {
        let app = try await TestApp.make()
        let project = try Self.homeProject(app)
        try await app.test(as: .trustProjectManager) { client in
            let form = try await Self.form(client, project.code)
            let fields = [("stage", "9"), ("area", "galaxy"), ("title", ""), ("whatHappened", "Kept <i>as typed</i>"),
                          ("recommendation", ""), ("tags", "ok, bad!tag"), ("promoted", "1")]
            let response = try await client.execute(uri: "/projects/\(project.code)/lessons", method: .post, headers: form.headers(),
                                                    body: form.body(fields))
            #expect(response.status == .unprocessableContent)
            let page = response.text
            for message in ["Choose a stage from 0 to 5", "Choose an area of responsibility", "Give the lesson a short title",
                            "Give the recommendation", "bad!tag", "&#39;promoted&#39; cannot be set from this form"] {
                #expect(page.contains(message), "\(message)")
            }
            #expect(page.contains("Kept &lt;i&gt;as typed&lt;/i&gt;</textarea>"), "entries kept, escaped")
            #expect(page.contains("href=\"#lesson-title\""), "errors link to their fields")
        }
        #expect(try await app.store.searchLessons(LessonSearch(scope: .national)).total == app.dataset.lessons.count)
    }

    @Test("recording needs the project in scope (404) and the role's permission (403)")
    func recordRefusals() async throws {
        let app = try await TestApp.make()
        let home = try app.homeOrganisation(for: .trustProjectManager)
        let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != home.id })
        let inside = try Self.homeProject(app)
        try await app.test(as: .trustProjectManager) { client in
            let form = try await Self.form(client, inside.code)
            let response = try await client.execute(uri: "/projects/\(outside.code)/lessons", method: .post, headers: form.headers(),
                                                    body: form.body(Self.good))
            #expect(response.status == .notFound)
        }
        try await app.test(as: .auditor) { client in
            let page = try await client.execute(uri: "/projects/\(inside.code)", method: .get)
            #expect(page.text.contains("Lessons for this stage") && !page.text.contains("Record lesson"))
            let form = try FormSession(page)
            let response = try await client.execute(uri: "/projects/\(inside.code)/lessons", method: .post, headers: form.headers(),
                                                    body: form.body(Self.good))
            #expect(response.status == .forbidden)
        }
        #expect(try await app.store.searchLessons(LessonSearch(scope: .national)).total == app.dataset.lessons.count)
    }

    @Test("only the national office promotes; a stale form is refused with 409; promotion is audited")
    func promote() async throws {
        let app = try await TestApp.make()
        let lesson = try #require(app.dataset.lessons.first { !$0.isGuidance })
        try await app.test(as: .trustProjectManager) { client in
            let form = try await client.execute(uri: "/lessons/\(lesson.id)", method: .get) { try FormSession($0) }
            let refused = try await client.execute(uri: "/lessons/\(lesson.id)/promote", method: .post, headers: form.headers(),
                                                   body: form.body([("version", "1")]))
            #expect(refused.status == .forbidden)
        }
        try await app.test(as: .nationalProgrammeOffice) { client in
            let form = try await client.execute(uri: "/lessons/\(lesson.id)", method: .get) { response in
                #expect(response.text.contains("Promote to programme guidance"))
                return try FormSession(response)
            }
            #expect(form.version == "1")
            let stale = try await client.execute(uri: "/lessons/\(lesson.id)/promote", method: .post, headers: form.headers(),
                                                 body: form.body([], token: nil).replacingVersion("0"))
            #expect(stale.status == .preconditionFailed)
            #expect(stale.text.contains("has changed since you opened it"))
            let extra = try await client.execute(uri: "/lessons/\(lesson.id)/promote", method: .post, headers: form.headers(),
                                                 body: form.body([("promotedBy", "someone-else")]))
            #expect(extra.status == .unprocessableContent)
            let done = try await client.execute(uri: "/lessons/\(lesson.id)/promote", method: .post, headers: form.headers(), body: form.body([]))
            #expect(done.status == .seeOther && done.headers[.location] == "/lessons/\(lesson.id)?promoted=1")
            let page = try await client.execute(uri: "/lessons/\(lesson.id)?promoted=1", method: .get).text
            #expect(page.contains("Programme guidance</strong>, promoted by") && !page.contains("<button type=\"submit\">Promote"))
            let again = try await client.execute(uri: "/lessons/\(lesson.id)/promote", method: .post, headers: form.headers(), body: form.body([]))
            #expect(again.status == .conflict)
        }
        let promoted = try #require(try await app.store.lesson(id: lesson.id, scope: .national))
        #expect(promoted.isGuidance && promoted.version == 2)
        #expect(try await app.store.auditEntries(entityType: "lesson", entityID: lesson.id, limit: 5).map(\.action) == ["promote lesson to guidance"])
    }

    @Test("hostile lesson text is escaped on every page that shows it", arguments: [1, 2])
    func hostileText(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let app = try await TestApp.make()
        let project = try Self.homeProject(app)
        let payloads = (0..<4).map { XSSTests.payload(&random, $0) }
        let other = try #require(app.dataset.projects.first { $0.stage == project.stage && $0.productCode == project.productCode && $0.id != project.id })
        try await app.test(as: .nationalProgrammeOffice) { client in
            var form = try await client.execute(uri: "/projects/\(other.code)", method: .get) { try FormSession($0) }
            form.version = ""
            let saved = try await client.execute(uri: "/projects/\(other.code)/lessons", method: .post, headers: form.headers(), body: form.body([
                ("area", "it"), ("title", "sentinel " + payloads[0]), ("whatHappened", "sentinel " + payloads[1]),
                ("recommendation", payloads[2]), ("tags", "safe"),
            ]))
            #expect(saved.status == .seeOther)
            let refused = try await client.execute(uri: "/projects/\(other.code)/lessons", method: .post, headers: form.headers(),
                                                   body: form.body([("title", payloads[3]), ("tags", payloads[3])]))
            #expect(refused.status == .unprocessableContent)
            let pages = [try #require(saved.headers[.location]), "/lessons?q=sentinel", "/lessons?q=\(payloads[3].addingPercentEncodingForForm)",
                         "/projects/\(project.code)"]
            var responses = try await pages.asyncMap { try await client.execute(uri: $0, method: .get) }
            responses.append(refused)
            for (index, response) in responses.enumerated() {
                let page = response.text
                #expect(XSSTests.foreignTags(in: page).isEmpty, "page \(index): \(XSSTests.foreignTags(in: page).prefix(3))")
                for payload in payloads where HTML.escape(payload) != payload {
                    #expect(!page.contains(payload), "page \(index) shows a payload raw")
                }
            }
            #expect(responses[0].text.contains(HTML.escape(payloads[2])) && responses[1].text.contains(HTML.escape(payloads[0])))
        }
    }

    @Test("the project page shows up to five lessons from other projects for its stage and product, guidance first")
    func panel() async throws {
        let app = try await TestApp.make()
        let (project, relevant) = try Self.projectWithRelevantLessons(app)
        let expected = relevant.prefix(5)
        try await app.test(as: .nationalProgrammeOffice) { client in
            let page = try await client.execute(uri: "/projects/\(project.code)", method: .get).text
            let section = try #require(page.components(separatedBy: "id=\"lessons-heading\"").last)
            let linked = section.components(separatedBy: "<li><a href=\"/lessons/").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
            #expect(linked == expected.map(\.id))
            #expect(section.contains("lessons recorded by this project") || section.contains("lesson recorded by this project"))
            #expect(section.contains("/lessons?stage=\(project.stage.rawValue)&amp;product=\(project.productCode)")
                    || section.contains("/lessons?stage=\(project.stage.rawValue)&product=\(project.productCode)"))
        }
        try await app.test(as: .nationalProgrammeOffice) { client in
            let organisation = try await client.execute(uri: "/", method: .get).text
            #expect(organisation.contains("Search lessons learned") && organisation.contains("/lessons?guidance=1"))
        }
    }
}

extension ByteBuffer {
    /// The form body with its `version` field set to `version`.
    func replacingVersion(_ version: String) -> ByteBuffer {
        let text = String(buffer: self)
        let fields = text.split(separator: "&").map { $0.hasPrefix("version=") ? "version=\(version)" : String($0) }
        return ByteBuffer(string: fields.joined(separator: "&"))
    }
}
