import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Milestone form")
struct MilestoneFormTests {
    func page(_ client: SignedInClient, _ code: String) async throws -> FormSession {
        try await client.execute(uri: "/projects/\(code)", method: .get) { try FormSession($0) }
    }

    func stored(_ app: TestApp, _ code: String) async throws -> ImplementationProject {
        try #require(try await app.store.project(code: code, scope: .national)).project
    }

    @Test("valid dates are saved, redirect with a notice, and write one audit entry")
    func saves() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let form = try await page(client, project.code)
            let body = form.body([("forecast.initiation-commenced", "2027-01-15")])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/projects/\(project.code)?saved=1")
            }
            let saved = try await stored(app, project.code)
            #expect(saved.milestone(.initiationCommenced)?.forecast == Day(iso: "2027-01-15"))
            #expect(saved.version == project.version + 1)
            #expect(try await app.store.auditEntries(entityType: "project", entityID: project.id, limit: 10).count == 1)
        }
    }

    @Test("bad dates are shown beside their field, entered values are kept, and nothing changes",
          arguments: [
            ("forecast.initiation-commenced", "31/13/2026", "YYYY-MM-DD"),
            ("actual.initiation-commenced", "2026-12-25", "cannot be in the future"),
            ("actual.initiation-completed", "2026-11-02", "milestones are completed in order"),
          ])
    func refuses(field: String, value: String, message: String) async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let form = try await page(client, project.code)
            let body = form.body([(field, value), ("forecast.go-live-completed", "2028-02-01")])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: body) { response in
                #expect(response.status == .unprocessableContent)
                let html = response.text
                let id = field.replacingOccurrences(of: ".", with: "-")
                // The message sits in the same field wrapper as the input that caused it.
                let wrapper = try #require(html.range(of: "id=\"\(id)\" name=\"\(field)\""))
                let after = html[wrapper.upperBound...].prefix(600)
                #expect(after.contains("class=\"error-message\" id=\"\(id)-error\""))
                #expect(after.contains(HTML.escape(message)) || html.contains(message))
                #expect(html.contains("value=\"\(HTML.escape(value))\""))
                #expect(html.contains("value=\"2028-02-01\""), "other entered values are kept")
            }
            let after = try await stored(app, project.code)
            #expect(after == project)
            #expect(try await app.store.auditEntries(entityType: "project", entityID: project.id, limit: 10).isEmpty)
        }
    }

    @Test("a form without the CSRF token, or from another site, is refused and changes nothing", arguments: Backend.testable)
    func csrf(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let form = try await page(client, project.code)
            let fields = [("forecast.initiation-commenced", "2027-01-15")]
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(),
                                     body: form.body(fields, token: "forged")) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post,
                                     headers: form.headers(origin: "https://evil.example"), body: form.body(fields)) {
                #expect($0.status == .forbidden)
            }
            let oversized = form.body(fields + [("padding", String(repeating: "x", count: 100_000))])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: oversized) {
                #expect($0.status == .contentTooLarge)
                #expect(String(buffer: $0.body).contains("limited to 64 KiB"))
            }
            #expect(try await stored(app, project.code) == project)
        }
        }
    }

    @Test("a stale form (someone else saved first) is refused with a conflict")
    func staleVersion() async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            let form = try await page(client, project.code)
            let first = form.body([("forecast.initiation-commenced", "2027-01-15")])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: first) {
                #expect($0.status == .seeOther)
            }
            let second = form.body([("forecast.initiation-commenced", "2027-02-15")])
            try await client.execute(uri: "/projects/\(project.code)/milestones", method: .post, headers: form.headers(), body: second) { response in
                #expect(response.status == .preconditionFailed)
                let page = response.text
                #expect(page.contains("Someone else saved this project after you opened it"))
                #expect(page.contains("Changed since you opened the form"))
                #expect(page.contains("national-programme-office-"), "who changed it")
                #expect(page.contains("Initiation Commenced forecast"), "what they changed")
                #expect(page.contains("value=\"2027-02-15\""), "the user's input is kept")
            }
            #expect(try await stored(app, project.code).milestone(.initiationCommenced)?.forecast == Day(iso: "2027-01-15"))
        }
    }
}
