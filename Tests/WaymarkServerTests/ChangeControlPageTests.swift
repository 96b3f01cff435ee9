import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Change control pages")
struct ChangeControlPageTests {
    /// Posts `fields` with the CSRF token of the page at `page`.
    static func post(_ client: SignedInClient, _ uri: String, from page: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let form = try await client.execute(uri: page, method: .get) { try FormSession($0) }
        return try await client.execute(uri: uri, method: .post, headers: form.headers(), body: form.body(fields))
    }

    @Test("the cluster page links to its notes, board and DIP performance; the SHA page to its DIP performance")
    func panels() async throws {
        let app = try await TestApp.make()
        let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
        let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
        try await app.test { client in
            let page = try await client.execute(uri: "/organisations/\(cluster.code)", method: .get).text
            #expect(page.contains("Change control and the DIP") && page.contains("/organisations/\(cluster.code)/change-board"))
            #expect(page.contains("<span class=\"label\">At the Change Review Board</span>"))
            let shaPage = try await client.execute(uri: "/organisations/\(sha.code)", method: .get).text
            #expect(shaPage.contains("/organisations/\(sha.code)/dip\""))
        }
    }

    @Test("a note raised through the form goes to the board and a member's approval shows in the project's baseline history",
          arguments: Backend.testable)
    func raiseToApproval(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let moved = Set(app.dataset.changeControl.baselineChanges.map(\.projectID))
            let project = try #require(app.dataset.projects.first { p in
                p.ancestry.clusterID == cluster.id && p.type == .lsp && p.achievedCount == 0 && !moved.contains(p.id)
            })
            let goLive = try #require(project.milestone(.goLiveCompleted)?.baseline)
            let credentials = try await app.signIn(.clusterProgrammeControls)
            try await app.test(credentials) { client in
                let list = "/organisations/\(cluster.code)/changes"
                let unknown = try await Self.post(client, list, from: list, [("title", "x"), ("state", "approved")])
                #expect(unknown.status == .unprocessableContent && unknown.text.contains("&#39;state&#39; cannot be set from this form"))
                let missing = try await Self.post(client, list, from: list, [("title", "<b>Kept</b>"), ("costPounds", "lots")])
                #expect(missing.status == .unprocessableContent)
                #expect(missing.text.contains("Choose the type of change") && missing.text.contains("The cost must be a whole number"))
                #expect(missing.text.contains("value=\"&lt;b&gt;Kept&lt;/b&gt;\""), "what was typed comes back, escaped")

                let raised = try await Self.post(client, list, from: list, [
                    ("type", "technical"), ("title", "Go-live after <rehearsal>"), ("description", "Later."), ("reason", "Rehearsal."),
                    ("costPounds", "12,500"), ("projects", project.code),
                    ("milestones", "\(project.code) go-live-completed \(goLive.adding(days: 35).iso)")])
                #expect(raised.status == .seeOther)
                let location = try #require(raised.headers[.location])
                let page = try await client.execute(uri: location, method: .get).text
                #expect(page.contains("Change Control Note raised.") && page.contains("Go-live after &lt;rehearsal&gt;") && page.contains("£12,500"))
                let notePath = String(location.prefix { $0 != "?" })
                #expect(try await Self.post(client, notePath + "/transition", from: notePath, [("state", "under-assessment")]).status == .seeOther)
                let early = try await Self.post(client, notePath + "/transition", from: notePath, [("state", "at-board")])
                #expect(early.status == .unprocessableContent && early.text.contains("until every discipline has assessed it"))
                for discipline in AssessorDiscipline.allCases {
                    let saved = try await Self.post(client, notePath + "/assessments", from: notePath, [
                        ("discipline", discipline.rawValue), ("assessor", "A. Assessor"), ("recommendation", "Approve")])
                    #expect(saved.status == .seeOther)
                }
                #expect(try await Self.post(client, notePath + "/transition", from: notePath, [("state", "at-board")]).status == .seeOther)

                // Not on the board yet: refused with the reason.
                let meeting = try #require(app.dataset.changeControl.boards.first { $0.clusterID == cluster.id }?.meetings.last)
                let decision = [("meeting", String(meeting.id)), ("outcome", "approved"), ("reason", "Agreed")]
                let refused = try await Self.post(client, notePath + "/decision", from: notePath, decision)
                #expect(refused.status == .forbidden && refused.text.contains("not a member of the \(cluster.code) Change Review Board"))
                let board = "/organisations/\(cluster.code)/change-board"
                let added = try await Self.post(client, board + "/members", from: board, [
                    ("username", credentials.user.username), ("name", "Test PCM"), ("representing", "Programme controls")])
                #expect(added.status == .seeOther)
                let approved = try await Self.post(client, notePath + "/decision", from: notePath, decision)
                #expect(approved.status == .seeOther)
                let projectPage = try await client.execute(uri: "/projects/\(project.code)", method: .get).text
                #expect(projectPage.contains("Baseline history") && projectPage.contains(">\(goLive.iso)</td><td>\(goLive.adding(days: 35).iso)</td>"))
                #expect(projectPage.contains("href=\"\(notePath)\""))
                let boardPage = try await client.execute(uri: board, method: .get).text
                #expect(boardPage.contains("Go-live after &lt;rehearsal&gt;") && boardPage.contains("<td>Approved</td>"))
            }
        }
    }

    @Test("a stale form gets 409, and an unknown note 404")
    func staleAndUnknown() async throws {
        let app = try await TestApp.make()
        let note = try #require(app.dataset.changeControl.notes.first { $0.state == .raised })
        try await app.test { client in
            let path = "/changes/\(note.id)"
            let form = try await client.execute(uri: path, method: .get) { try FormSession($0) }
            #expect(try await client.execute(uri: path + "/transition", method: .post, headers: form.headers(),
                                             body: form.body([("state", "under-assessment")])).status == .seeOther)
            let stale = try await client.execute(uri: path + "/transition", method: .post, headers: form.headers(),
                                                 body: form.body([("state", "at-board")]))
            #expect(stale.status == .preconditionFailed && stale.text.contains("was changed by someone else"))
            #expect(try await client.execute(uri: "/changes/999999", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/changes/abc", method: .get).status == .notFound)
        }
    }

    @Test("DIP performance shows the chart and the months; the DIP refuses an edit without an approved CCN")
    func dipPages() async throws {
        let app = try await TestApp.make()
        let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
        let year = FinancialYear(containing: TestApp.today)
        let dip = try #require(app.dataset.changeControl.dips.first { $0.clusterID == cluster.id && $0.year == year })
        let line = try #require(dip.lines.first { $0.ccnID == nil })
        try await app.test { client in
            let page = try await client.execute(uri: "/organisations/\(cluster.code)/dip", method: .get)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("<svg class=\"chart dip-chart\"") && text.contains("<title id=\"dip-chart-title\">"))
            #expect(text.contains("<polyline") && text.contains("Planned: obligations due") && text.contains(">Apr 2026</th>"))
            #expect(text.contains("/organisations/\(cluster.code)/dips/\(dip.id)"))
            #expect(try await client.execute(uri: "/organisations/\(cluster.code)/dip?year=2026-27", method: .get).status == .badRequest)
            let older = try await client.execute(uri: "/organisations/\(cluster.code)/dip?year=\(Self.urlQuery(FinancialYear(startYear: year.startYear - 1).label))", method: .get)
            #expect(older.status == .ok)

            let dipPath = "/organisations/\(cluster.code)/dips/\(dip.id)"
            let dipPage = try await client.execute(uri: dipPath, method: .get).text
            #expect(dipPage.contains("Agreed by") && dipPage.contains("id=\"line-\(line.number)\""))
            let edit = try await Self.post(client, dipPath + "/lines/\(line.number)", from: dipPath + "?edit=\(line.number)",
                                           [("due", year.end.iso), ("organisation", line.organisationCode)])
            #expect(edit.status == .unprocessableContent)
            #expect(edit.text.contains("can change only through an approved Change Control Note"))
            #expect(try await app.store.dipLines(dipID: dip.id, within: nil, scope: .national).first { $0.number == line.number } == line)
        }
    }

    static func urlQuery(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
}
