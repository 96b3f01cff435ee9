import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Risk and issue registers in the web app and the API")
struct RegisterTests {
    static let goodRisk: [(String, String)] = [
        ("kind", "risk"), ("title", "PACS go-live clashes with winter pressures"), ("area", "Process and Performance"),
        ("priority", "2"), ("controllability", "C"), ("probability", "65"), ("owner", "Grace Hughes"), ("reviewDate", "2026-12-15"),
        ("actions[0].description", "Agree a March slot with the LSP"), ("actions[0].owner", "Ben Shaw"), ("actions[0].due", "2026-12-01"),
        ("actions[1].description", ""), ("actions[1].owner", ""), ("actions[1].due", ""),
        ("contingencyPlan", "Keep the old PACS running read-only"),
    ]

    static func post(_ client: SignedInClient, _ page: String, _ action: String, _ fields: [(String, String)]) async throws -> TestResponse {
        let form = try FormSession(try await client.execute(uri: page, method: .get))
        return try await client.execute(uri: action, method: .post, headers: form.headers(), body: form.body(fields))
    }

    static func newest(_ app: TestApp) async throws -> TrackingItem {
        let count = try await app.store.trackingCount(TrackingQuery(scope: .national))
        return try #require(try await app.store.trackingItem(id: Int64(count), scope: .national))
    }

    @Test("raising a risk: probability, priority and controllability out of range are refused and change nothing; a good one is saved and audited",
          arguments: Backend.testable)
    func raise(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let page = "/organisations/\(trust.code)/register"
            let before = try await app.store.trackingCount(TrackingQuery(scope: .national))
            try await app.test(as: .trustProjectManager) { client async throws in
                for (field, value, message) in [("probability", "150", "0 to 100"), ("probability", "-1", "0 to 100"),
                                                ("priority", "9", "1 to 5"), ("controllability", "E", "A, B, C or D"),
                                                ("area", "Finance", "Unknown area"), ("budget", "10", "not a register field"),
                                                ("actions[0].due", "soon", "due date of action 1")] {
                    let fields = Self.goodRisk.filter { $0.0 != field } + [(field, value)]
                    let response = try await Self.post(client, page, page, fields)
                    #expect(response.status == .unprocessableContent, "\(field)=\(value)")
                    #expect(response.text.contains(message), "\(field)=\(value)")
                }
                #expect(try await app.store.trackingCount(TrackingQuery(scope: .national)) == before, "nothing was added")

                let saved = try await Self.post(client, page, page, Self.goodRisk)
                #expect(saved.status == .seeOther)
                let item = try await Self.newest(app)
                #expect(saved.headers[.location] == "/tracking/\(item.id)?saved=1")
                #expect(item.title == "PACS go-live clashes with winter pressures" && item.owner.organisationID == trust.id)
                #expect(item.requiredResponse == .contingencyPlan && !item.isFlagged)
                #expect(item.actions == [MitigatingAction(description: "Agree a March slot with the LSP", owner: "Ben Shaw",
                                                          due: Day(iso: "2026-12-01")!)], "the blank row added nothing")
                let shown = try await client.execute(uri: "/tracking/\(item.id)", method: .get)
                #expect(shown.text.contains("Action plan and contingency plan required (60-70%)"))
                let audit = try await app.store.auditEntries(entityType: "tracking", entityID: item.id, limit: 5)
                #expect(audit.map(\.action) == ["raise risk"])
            }
        }
    }

    @Test("escalation: trust → SHA with a reason; the SHA sees it in its register, linked; de-escalation returns it; each step audited",
          arguments: Backend.testable)
    func escalation(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            #expect(trust.ancestry.shaID == sha.id)
            let original = try #require(app.dataset.tracking.first { $0.owner.organisationID == trust.id && $0.owner.projectID == nil && $0.status == .open })
            try await app.test(as: .trustProjectManager) { client async throws in
                let empty = try await Self.post(client, "/tracking/\(original.id)", "/tracking/\(original.id)/escalate", [("reason", " ")])
                #expect(empty.status == .unprocessableContent && empty.text.contains("Give a reason"))
                let escalated = try await Self.post(client, "/tracking/\(original.id)", "/tracking/\(original.id)/escalate",
                                                    [("reason", "Needs SHA funding for backfill")])
                #expect(escalated.status == .seeOther)
            }
            let after = try #require(try await app.store.trackingItem(id: original.id, scope: .national))
            let copyID = try #require(after.escalatedToID)
            let copy = try #require(try await app.store.trackingItem(id: copyID, scope: .national))
            #expect(after.status == .escalated && copy.escalatedFromID == original.id && copy.owner.organisationID == sha.id)
            #expect(copy.escalationReason == "Needs SHA funding for backfill" && copy.title == original.title)
            try await app.test(as: .trustProjectManager) { client async throws in
                #expect(try await client.execute(uri: "/tracking/\(copyID)", method: .get).status == .notFound, "the SHA's register is not the trust's")
                #expect(try await client.execute(uri: "/tracking/\(original.id)", method: .get).text.contains("in a register you cannot see"))
            }
            try await app.test(as: .shaProgrammeOffice) { client async throws in
                let register = try await client.execute(uri: "/organisations/\(sha.code)/register?status=open", method: .get)
                #expect(register.text.contains("/tracking/\(copyID)\""))
                let page = try await client.execute(uri: "/tracking/\(copyID)", method: .get).text
                #expect(page.contains("Escalated from") && page.contains("/tracking/\(original.id)\""))
                let returned = try await Self.post(client, "/tracking/\(copyID)", "/tracking/\(copyID)/de-escalate", [("reason", "Funding agreed; manage locally")])
                #expect(returned.status == .seeOther)
            }
            #expect(try await app.store.trackingItem(id: original.id, scope: .national)?.status == .open)
            #expect(try await app.store.trackingItem(id: copyID, scope: .national)?.status == .returned)
            #expect(try await app.store.auditEntries(entityType: "tracking", entityID: original.id, limit: 5).map(\.action)
                    == ["de-escalate risk", "escalate \(original.kind.rawValue) to \(sha.code)"].map { $0.replacingOccurrences(of: "risk", with: original.kind.rawValue) })
            let copyTrail = try await app.store.auditEntries(entityType: "tracking", entityID: copyID, limit: 5).map(\.action)
            // Received, returned, and the trust's attempt to open it (out of its scope) recorded as denied.
            #expect(copyTrail == ["de-escalate \(original.kind.rawValue)", "denied: out of scope",
                                  "receive escalated \(original.kind.rawValue) \(original.reference)"], "\(copyTrail)")
        }
    }

    @Test("escalating beyond national, converting twice and saving a stale version are refused with clear messages")
    func refusals() async throws {
        let app = try await TestApp.make()
        let national = try #require(app.dataset.tracking.first { $0.owner.organisationKind == .national && $0.status == .open })
        let risk = try #require(app.dataset.tracking.first { $0.kind == .risk && $0.status == .open && $0.owner.projectID != nil })
        try await app.test(as: .nationalProgrammeOffice) { client async throws in
            let beyond = try await Self.post(client, "/tracking/\(national.id)", "/tracking/\(national.id)/escalate", [("reason", "ministers")])
            #expect(beyond.status == .unprocessableContent && beyond.text.contains("no level above national"))

            let stale = try FormSession(try await client.execute(uri: "/tracking/\(risk.id)", method: .get))
            let first = try await client.execute(uri: "/tracking/\(risk.id)/convert", method: .post, headers: stale.headers(),
                                                 body: stale.body([("occurredOn", "2026-11-20")]))
            #expect(first.status == .seeOther)
            let issue = try await Self.newest(app)
            #expect(issue.kind == .issue && issue.linkedItemID == risk.id && issue.occurredOn == Day(iso: "2026-11-20"))
            #expect(try await app.store.trackingItem(id: risk.id, scope: .national)?.linkedItemID == issue.id)
            let again = try await client.execute(uri: "/tracking/\(risk.id)", method: .post, headers: stale.headers(),
                                                 body: stale.body([("title", "Renamed")]))
            #expect(again.status == .preconditionFailed && again.text.contains("has changed since you loaded it"))
            #expect(try await app.store.trackingItem(id: risk.id, scope: .national)?.title == risk.title)
        }
    }

    @Test("CSV: the export imports back unchanged; malformed files and bad rows are refused whole, with line numbers", arguments: Backend.testable)
    func csv(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let page = "/organisations/\(trust.code)/register"
            try await app.test(as: .trustProjectManager) { client async throws in
                let exported = try await client.execute(uri: page + ".csv", method: .get)
                #expect(exported.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                let own = app.dataset.tracking.filter { $0.owner.organisationID == trust.id && $0.owner.projectID == nil }
                #expect(exported.text.split(separator: "\r\n").count == own.count + 1)
                let roundTrip = try await Self.upload(client, page, exported.text)
                #expect(roundTrip.text.contains("0 added, 0 updated, \(own.count) unchanged"), "\(roundTrip.text.prefix(300))")

                let before = try await app.store.trackingCount(TrackingQuery(scope: .national))
                let header = "title,kind,priority,controllability,probability,owner,area"
                let bad = [header, "Good row,risk,2,B,30,Ben Shaw,IT", "Too likely,risk,2,B,150,Ben Shaw,IT",
                           "\"Quoted, fine\",issue,7,B,30,Ben Shaw,IT"].joined(separator: "\n")
                let refused = try await Self.upload(client, page, bad)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("Line 3: probability") && refused.text.contains("Line 4: priority"))
                #expect(refused.text.contains("Line 4: occurredOn"), "an issue needs the date it occurred")
                let malformed = try await Self.upload(client, page, header + "\n\"Never closed,risk,2,B,30,Ben,IT\n")
                #expect(malformed.status == .unprocessableContent && malformed.text.contains("never closed"))
                let unknown = try await Self.upload(client, page, "title,budget\nA,1\n")
                #expect(unknown.text.contains("Unknown column budget"))
                #expect(try await app.store.trackingCount(TrackingQuery(scope: .national)) == before, "nothing was imported")

                let good = try await Self.upload(client, page, [header, "Good row,risk,2,B,30,Ben Shaw,IT", "Second,risk,3,A,45,Nia Jones,People"].joined(separator: "\n"))
                #expect(good.text.contains("2 added, 0 updated"))
                #expect(try await app.store.trackingCount(TrackingQuery(scope: .national)) == before + 2)
            }
        }
    }

    static func upload(_ client: SignedInClient, _ page: String, _ file: String) async throws -> TestResponse {
        let form = try FormSession(try await client.execute(uri: page, method: .get))
        let boundary = "RegisterBoundary"
        let body = """
            --\(boundary)\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n\(form.token)\r\n\
            --\(boundary)\r\nContent-Disposition: form-data; name="file"; filename="register.csv"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n\
            --\(boundary)--\r\n
            """
        return try await client.execute(uri: page + "/import", method: .post, headers: [
            .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: form.cookie], body: ByteBuffer(string: body))
    }

    @Test("the heat map is an SVG whose cells link to the matching list, and agrees with the API", arguments: Backend.testable)
    func heatMap(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            try await app.test(as: .clusterProgrammeControls) { client async throws in
                let page = try await client.execute(uri: "/organisations/\(cluster.code)/register/heatmap", method: .get).text
                #expect(page.contains("<svg class=\"chart heatmap\""))
                let link = "/organisations/\(cluster.code)/register?kind=risk&amp;status=open&amp;priority=1&amp;controllability=A&amp;below=1"
                #expect(page.contains(link))
                let json = try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/register/heatmap?kind=risk", method: .get)
                let map = try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any]
                let expected = app.dataset.tracking.filter { $0.kind == .risk && $0.status == .open && $0.owner.ancestry.clusterID == cluster.id }
                #expect(map?["total"] as? Int == expected.count)
                let list = try await client.execute(uri: link.replacingOccurrences(of: "&amp;", with: "&"), method: .get).text
                let cell = expected.filter { $0.current.priority == .showstopper && $0.current.controllability == .a }
                #expect(list.contains("\(cell.count) records") || (cell.count > 50 && list.contains("50+ records")))
            }
        }
    }

    @Test("the API refuses out-of-range values with field errors, a stale If-Match with 412, and escalation beyond national")
    func api() async throws {
        let app = try await TestApp.make()
        let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == (try? app.homeOrganisation(for: .trustProjectManager))?.id })
        try await app.test(as: .trustProjectManager) { client async throws in
            let bad = try await client.execute(uri: "/api/v1/projects/\(project.code)/register", method: .post, headers: [.contentType: "application/json"],
                                               body: ByteBuffer(string: #"{"title": "N3 late", "owner": "Ben", "area": "IT", "probability": 101, "controllability": "Z"}"#))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("\"field\":\"probability\"") && bad.text.contains("\"field\":\"controllability\""))
            let good = try await client.execute(uri: "/api/v1/projects/\(project.code)/register", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: #"{"title": "N3 late", "owner": "Ben", "area": "IT", "probability": 45, "priority": 2, "controllability": "C"}"#))
            #expect(good.status == .ok && good.headers[.eTag] == "\"1\"")
            #expect(good.text.contains("\"requiredResponse\":\"actionPlan\"") && good.text.contains("\"flagged\":true"))
            let id = try await Self.newest(app).id
            let stale = try await client.execute(uri: "/api/v1/tracking/\(id)", method: .patch,
                                                 headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"7\""],
                                                 body: ByteBuffer(string: #"{"probability": 20}"#))
            #expect(stale.status == .preconditionFailed)
            let patched = try await client.execute(uri: "/api/v1/tracking/\(id)", method: .patch,
                                                   headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"1\""],
                                                   body: ByteBuffer(string: #"{"probability": 20}"#))
            #expect(patched.status == .ok && patched.text.contains("\"flagged\":false"))
        }
        let national = try #require(app.dataset.tracking.first { $0.owner.organisationKind == .national && $0.status == .open })
        try await app.test(as: .nationalProgrammeOffice) { client async throws in
            // Issue 12: a register write without If-Match is 428, like every versioned write.
            for (uri, body) in [("/api/v1/tracking/\(national.id)/escalate", #"{"reason": "to ministers"}"#),
                                ("/api/v1/tracking/\(national.id)/de-escalate", #"{"reason": "back down"}"#),
                                ("/api/v1/tracking/\(national.id)/convert", #"{"occurredOn": "2026-11-20"}"#)] {
                let unconditional = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                                                             body: ByteBuffer(string: body))
                #expect(unconditional.status == .preconditionRequired, "\(uri)")
                #expect(unconditional.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            let unconditional = try await client.execute(uri: "/api/v1/tracking/\(national.id)", method: .patch, headers: [.contentType: "application/json"],
                                                         body: ByteBuffer(string: #"{"probability": 20}"#))
            #expect(unconditional.status == .preconditionRequired)
            let beyond = try await client.execute(uri: "/api/v1/tracking/\(national.id)/escalate", method: .post,
                                                  headers: [.contentType: "application/json", HTTPField.Name("If-Match")!: "\"\(national.version)\""],
                                                  body: ByteBuffer(string: #"{"reason": "to ministers"}"#))
            #expect(beyond.status == .unprocessableContent && beyond.text.contains("no level above national"))
        }
    }
}
