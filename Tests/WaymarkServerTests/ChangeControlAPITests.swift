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

@Suite("Change control in the JSON API")
struct ChangeControlAPITests {
    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], "\(response.text.prefix(300))")
    }

    static func send(_ client: SignedInClient, _ method: HTTPRequest.Method, _ uri: String, _ body: String, etag: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let etag { headers[HTTPField.Name("If-Match")!] = etag }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a note is raised, moved, assessed and approved through the API with ETags; the project's baseline history shows it",
          arguments: Backend.testable)
    func lifecycle(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let moved = Set(app.dataset.changeControl.baselineChanges.map(\.projectID))
            let project = try #require(app.dataset.projects.first { (p: ImplementationProject) -> Bool in
                p.ancestry.clusterID == cluster.id && p.type == .lsp && p.achievedCount == 0 && !moved.contains(p.id)
            })
            let goLive = try #require(project.milestone(.goLiveCompleted)?.baseline)
            let proposed = goLive.adding(days: 21).iso
            let credentials = try await app.signIn(.clusterProgrammeControls)
            try await ChangeControlService(programme: app.service).setMember(
                organisationCode: cluster.code, username: credentials.user.username, name: "API PCM", representing: "Programme controls",
                remove: false, as: try await app.accounts.actingUser(credentials.user, origin: "tests"))
            try await app.test(credentials) { client in
                let bad = try await Self.send(client, .post, "/api/v1/organisations/\(cluster.code)/changes",
                                              #"{"type": "technical", "title": "", "description": "d", "reason": "r", "projects": ["NOPE-1"]}"#)
                #expect(bad.status == .unprocessableContent && bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let fields = (try Self.json(bad)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(Set(fields ?? []) == ["title", "projects"])

                let raised = try await Self.send(client, .post, "/api/v1/organisations/\(cluster.code)/changes", """
                    {"type": "business", "title": "API change", "description": "d", "reason": "r", "impact": {"costPounds": 100},
                     "projects": ["\(project.code)"], "milestones": [{"project": "\(project.code)", "milestone": "go-live-completed", "proposedBaseline": "\(proposed)"}]}
                    """)
                #expect(raised.status == .created && raised.headers[.eTag] == "\"1\"")
                let note = try Self.json(raised)
                let id = try #require(note["id"] as? Int)
                #expect((note["reference"] as? String)?.hasPrefix("CCN-\(cluster.code)-") == true && note["nextStates"] as? [String] == ["under-assessment"])
                let path = "/api/v1/changes/\(id)"

                #expect(try await Self.send(client, .post, path + "/transition", #"{"state": "under-assessment"}"#).status == .preconditionRequired)
                let illegal = try await Self.send(client, .post, path + "/transition", #"{"state": "implemented"}"#, etag: "\"1\"")
                #expect(illegal.status == .unprocessableContent && illegal.text.contains("it can move only to under assessment"))
                var etag = "\"1\""
                let moved = try await Self.send(client, .post, path + "/transition", #"{"state": "under-assessment"}"#, etag: etag)
                #expect(moved.status == .ok && moved.headers[.eTag] == "\"2\"")
                #expect(try await Self.send(client, .post, path + "/transition", #"{"state": "at-board"}"#, etag: etag).status == .preconditionFailed)
                etag = "\"2\""
                for discipline in AssessorDiscipline.allCases {
                    let saved = try await Self.send(client, .post, path + "/assessments",
                                                    #"{"discipline": "\#(discipline.rawValue)", "assessor": "A", "recommendation": "Approve"}"#, etag: etag)
                    #expect(saved.status == .ok)
                    etag = try #require(saved.headers[.eTag])
                }
                let atBoard = try await Self.send(client, .post, path + "/transition", #"{"state": "at-board"}"#, etag: etag)
                #expect(atBoard.status == .ok)
                etag = try #require(atBoard.headers[.eTag])
                let meeting = try #require(app.dataset.changeControl.boards.first { $0.clusterID == cluster.id }?.meetings.last)
                let approved = try await Self.send(client, .post, path + "/decision",
                                                   #"{"meeting": \#(meeting.id), "outcome": "approved", "reason": "Agreed"}"#, etag: etag)
                let decided = try Self.json(approved)
                #expect(approved.status == .ok && decided["state"] as? String == "approved")

                let history = try await client.execute(uri: "/api/v1/projects/\(project.code)/baseline-history", method: .get)
                let entries = try #require(try JSONSerialization.jsonObject(with: Data(buffer: history.body)) as? [[String: Any]])
                #expect(entries.first?["from"] as? String == goLive.iso && entries.first?["to"] as? String == proposed)
                #expect(entries.first?["ccnId"] as? Int == id)
            }
        }
    }

    @Test("a decision by a non-member is 403 problem+json; DIP performance and a DIP edit without an approved CCN", arguments: Backend.testable)
    func refusalsAndDIP(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let note = try #require(app.dataset.changeControl.notes.first { $0.clusterID == cluster.id && $0.state == .atBoard && $0.dipLines.isEmpty })
            let meeting = try #require(app.dataset.changeControl.boards.first { $0.clusterID == cluster.id }?.meetings.last)
            let year = FinancialYear(containing: TestApp.today)
            let dip = try #require(app.dataset.changeControl.dips.first { $0.clusterID == cluster.id && $0.year == year })
            let line = try #require(dip.lines.first { $0.ccnID == nil })
            try await app.test(as: .shaProgrammeOffice) { client in
                let refused = try await Self.send(client, .post, "/api/v1/changes/\(note.id)/decision",
                                                  #"{"meeting": \#(meeting.id), "outcome": "rejected", "reason": "No"}"#, etag: "\"\(note.version)\"")
                #expect(refused.status == .forbidden && refused.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(refused.text.contains("not a member"))
            }
            try await app.test(as: .clusterProgrammeControls) { client in
                let performance = try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/dip-performance", method: .get)
                let body = try Self.json(performance)
                #expect(body["year"] as? String == year.label && (body["months"] as? [Any])?.count == 12)
                #expect(body["due"] as? Int == dip.lines.count)
                #expect(try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/dip-performance?year=26", method: .get).status == .badRequest)
                let read = try Self.json(try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/dips/\(dip.id)", method: .get))
                #expect((read["lines"] as? [Any])?.count == dip.lines.count && read["state"] as? String == "agreed")

                let uri = "/api/v1/organisations/\(cluster.code)/dips/\(dip.id)/lines/\(line.number)"
                #expect(try await Self.send(client, .patch, uri, #"{"due": "\#(year.end.iso)"}"#).status == .preconditionRequired)
                let refused = try await Self.send(client, .patch, uri, #"{"due": "\#(year.end.iso)"}"#, etag: "\"\(line.version)\"")
                #expect(refused.status == .unprocessableContent && refused.text.contains("only through an approved Change Control Note"))
                #expect(try await app.store.dipLines(dipID: dip.id, within: nil, scope: .national).first { $0.number == line.number } == line)
            }
        }
    }
}
