import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkInterchange
@testable import WaymarkService
import WaymarkServer
import WaymarkStorage
import WaymarkTestSupport

@Suite("Project plans in the web app")
struct PlanTests {
    static let csv = """
        id,wbs,name,duration_days,summary,constraint,constraint_date,nsi_milestone,predecessors,start,finish
        1,1,Deployment,0,true,,,,,,
        2,1.1,Initiation commenced,0,false,SNET,2026-12-01,initiation-commenced,,,
        3,1.2,Project initiation,10,false,,,,2FS,,
        4,1.3,Initiation completed,0,false,,,initiation-completed,3FS,,
        5,1.4,Local design,20,false,,,,4FS,,
        6,1.5,Local design completed,0,false,,,local-design-completed,5FS,,
        7,1.6,Build and test,15,false,,,,6FS,,
        8,1.7,Training,5,false,,,,6FS+2,,
        9,1.8,Preparation for go-live completed,0,false,,,preparation-for-go-live-completed,7FS;8FS,,
        10,1.9,Go-live completed,0,false,,,go-live-completed,9FS+2,,
        11,1.10,Implementation completed,0,false,,,implementation-completed,10FS+20,,

        """

    static func upload(_ client: SignedInClient, _ code: String, file: String, format: String = "csv") async throws -> TestResponse {
        let form = try await client.execute(uri: "/projects/\(code)/plan", method: .get) { try FormSession($0) }
        let boundary = "WaymarkTestBoundary"
        let body = """
            --\(boundary)\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n\(form.token)\r\n\
            --\(boundary)\r\nContent-Disposition: form-data; name="version"\r\n\r\n\(form.version)\r\n\
            --\(boundary)\r\nContent-Disposition: form-data; name="format"\r\n\r\n\(format)\r\n\
            --\(boundary)\r\nContent-Disposition: form-data; name="file"; filename="plan.\(format)"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n\
            --\(boundary)--\r\n
            """
        return try await client.execute(uri: "/projects/\(code)/plan", method: .post, headers: [
            .contentType: "multipart/form-data; boundary=\(boundary)", .cookie: form.cookie], body: ByteBuffer(string: body))
    }

    @Test("a plan imported through the form is scheduled, drawn as a Gantt with its critical path, baselined and exported",
          arguments: Backend.testable)
    func importBaselineExport(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
            try await app.test(as: .trustProjectManager) { client in
                let imported = try await Self.upload(client, project.code, file: Self.csv)
                #expect(imported.status == .ok)
                let page = imported.text
                #expect(page.contains("Plan imported") && page.contains("11 tasks and 10 dependencies"))
                #expect(page.contains("<svg class=\"chart gantt\""))
                #expect(page.contains("class=\"bar critical\""), "the critical path is drawn")
                #expect(page.contains("marker-end=\"url(#arrow)\""), "dependency arrows")
                #expect(page.contains("<span class=\"value\">2027-03-09</span>"), "planned finish: go-live (9 Feb) + 20 working days")

                let form = try FormSession(try await client.execute(uri: "/projects/\(project.code)/plan", method: .get))
                let saved = try await client.execute(uri: "/projects/\(project.code)/plan/baselines", method: .post,
                                                     headers: form.headers(), body: form.body([("name", "PID baseline")]))
                #expect(saved.status == .seeOther)
                // Re-plan with local design 5 days longer: the variance shows against the baseline.
                let later = Self.csv.replacingOccurrences(of: "5,1.4,Local design,20", with: "5,1.4,Local design,25")
                #expect(try await Self.upload(client, project.code, file: later).status == .ok)
                let variance = try await client.execute(uri: "/projects/\(project.code)/plan?baseline=PID%20baseline", method: .get).text
                #expect(variance.contains("<span class=\"late\">5 late</span>"))
                #expect(variance.contains("class=\"baseline\""), "the baseline overlay is drawn")

                let xml = try await client.execute(uri: "/projects/\(project.code)/plan.xml", method: .get)
                #expect(xml.status == .ok)
                #expect(xml.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                let reread = try PlanReader.read(Data(buffer: xml.body), format: .mspdi, projectCode: project.code)
                let stored = try #require(try await app.store.plan(projectID: project.id))
                #expect(reread.plan.tasks == stored.plan.tasks)
                #expect(reread.plan.dependencies == stored.plan.dependencies)
                // MS Project numbers its baselines rather than naming them, so only the dates come back.
                #expect(reread.baselines.count == 1)
            }
            let actions = try await app.store.auditEntries(AuditQuery(entityType: "project", entityID: project.id)).items.map(\.action)
            #expect(actions.filter { $0 == "import plan" }.count == 2 && actions.contains("save baseline"))
        }
    }

    @Test("a plan with a loop, a missing task or a malformed file is refused with its reason, and nothing changes",
          arguments: [
            ("loop", "3FS", "2FS;4FS", "loop"), ("missing task", "3FS", "99FS", "99"),
            ("negative duration", "5,1.4,Local design,20", "5,1.4,Local design,-3", "negative"),
          ])
    func refused(name: String, find: String, replace: String, mentions: String) async throws {
        let app = try await TestApp.make()
        let project = try app.unstartedLSPProject()
        try await app.test { client in
            var bad = Self.csv.replacingOccurrences(of: find, with: replace)
            if name == "loop" { bad = Self.csv.replacingOccurrences(of: "Project initiation,10,false,,,,2FS", with: "Project initiation,10,false,,,,2FS;4FS") }
            let response = try await Self.upload(client, project.code, file: bad)
            #expect(response.status == .unprocessableContent, "\(name)")
            #expect(response.text.contains("Not imported") && response.text.lowercased().contains(mentions), "\(name)")
            #expect(response.text.contains("Nothing was changed"))
        }
        #expect(try await app.store.plan(projectID: project.id) == nil)
    }

    @Test("read-only roles see the plan without the import and baseline forms")
    func readOnly() async throws {
        let app = try await TestApp.make()
        let trust = try app.homeOrganisation(for: .projectBoardMember)
        let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
        _ = try await PlanService(programme: app.service).importPlan(code: project.code, data: Data(Self.csv.utf8), format: .csv,
                                                                     expectedVersion: nil, as: .commandLine(origin: "tests"))
        try await app.test(as: .projectBoardMember) { client in
            let page = try await client.execute(uri: "/projects/\(project.code)/plan", method: .get).text
            #expect(page.contains("<svg class=\"chart gantt\""))
            #expect(!page.contains("Import plan") && !page.contains("Save baseline"))
        }
    }
}

@Suite("Milestone calendar feeds")
struct MilestoneFeedTests {
    @Test("a trust's feed lists its projects' milestones as all-day events, and nothing outside its scope", arguments: Backend.testable)
    func trustFeed(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let inside = app.dataset.projects.filter { $0.ancestry.trustID == trust.id }
            let outside = try #require(app.dataset.projects.first { $0.ancestry.trustID != trust.id })
            try await app.test(as: .trustProjectManager) { client in
                let feed = try await client.execute(uri: "/organisations/\(trust.code)/milestones.ics", method: .get)
                #expect(feed.status == .ok)
                #expect(feed.headers[.contentType]?.hasPrefix("text/calendar") == true)
                let text = feed.text
                #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
                for project in inside.prefix(5) { #expect(text.contains("UID:\(project.code)-"), "\(project.code)") }
                #expect(!text.contains("UID:\(outside.code)-"))
                #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 }, "lines are folded")
                let other = try await client.execute(uri: "/projects/\(outside.code)/milestones.ics", method: .get)
                #expect(other.status == .notFound)
            }
        }
    }

    @Test func textIsEscapedAndLongLinesFolded() {
        #expect(MilestoneFeed.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let folded = MilestoneFeed.fold(String(repeating: "é", count: 60))
        #expect(folded.components(separatedBy: "\r\n ").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == String(repeating: "é", count: 60))
    }
}

@Suite("Cross-project plans")
struct CrossProjectPlanTests {
    @Test("a plan that waits on another project's task is scheduled after it, and the programme view draws the link",
          arguments: Backend.testable)
    func crossProject(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let projects = app.dataset.projects.filter { $0.ancestry.trustID == trust.id && $0.type == .lsp }
            try #require(projects.count >= 2)
            let (first, second) = (projects[0], projects[1])
            let plans = PlanService(programme: app.service)
            _ = try await plans.importPlan(code: first.code, data: Data(PlanTests.csv.utf8), format: .csv, expectedVersion: nil,
                                           as: .commandLine(origin: "tests"))
            // The second project cannot start its initiation before the first goes live (task 10).
            let dependent = PlanTests.csv.replacingOccurrences(of: "Project initiation,10,false,,,,2FS", with: "Project initiation,10,false,,,,2FS;\(first.code):10FS")
            _ = try await plans.importPlan(code: second.code, data: Data(dependent.utf8), format: .csv, expectedVersion: nil,
                                           as: .commandLine(origin: "tests"))
            let view = try await plans.planView(code: second.code, as: .commandLine(origin: "tests"))
            let goLive = try #require(try await plans.planView(code: first.code, as: .commandLine(origin: "tests")).schedule?[taskID: 10])
            let initiation = try #require(view.schedule?[taskID: 3])
            // A milestone has no length, so work after it starts on its day.
            #expect(goLive.isMilestone && initiation.earlyStart == goLive.earlyFinish)
            #expect(initiation.earlyStart > Day(iso: "2026-12-01")!, "held back from its own start")
            #expect(try await app.store.dependentProjectCodes(of: first.code) == [second.code])
            try await app.test(as: .trustProjectManager) { client in
                let page = try await client.execute(uri: "/organisations/\(trust.code)/plans", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("2 planned projects"))
                #expect(page.text.contains("class=\"link"), "the cross-project dependency is drawn")
                let planPage = try await client.execute(uri: "/projects/\(first.code)/plan", method: .get).text
                #expect(planPage.contains("Plans that depend on this one") && planPage.contains(second.code))
            }
        }
    }
}

@Suite("Organisation calendars")
struct OrganisationCalendarTests {
    @Test("a trust's non-working day moves its plans' dates; a working weekend pulls them in", arguments: Backend.testable)
    func exceptions(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let project = try #require(app.dataset.projects.first { $0.ancestry.trustID == trust.id && $0.type == .lsp })
            let plans = PlanService(programme: app.service)
            let cli = ActingUser.commandLine(origin: "tests")
            _ = try await plans.importPlan(code: project.code, data: Data(PlanTests.csv.utf8), format: .csv, expectedVersion: nil, as: cli)
            let before = try #require(try await plans.planView(code: project.code, as: cli).schedule?.finish)
            // Project initiation runs 1-14 December 2026: a trust holiday on the 2nd pushes everything a day.
            try await plans.setCalendarException(organisationCode: trust.code, day: Day(iso: "2026-12-02")!, working: false,
                                                 note: "staff training day", as: cli)
            let later = try #require(try await plans.planView(code: project.code, as: cli).schedule?.finish)
            #expect(PlanCalendar().working.workingDays(from: before, to: later) == 1)
            try await plans.setCalendarException(organisationCode: trust.code, day: Day(iso: "2026-12-05")!, working: true,
                                                 note: "go-live weekend", as: cli)
            #expect(try await plans.planView(code: project.code, as: cli).schedule?.finish == before)
            await #expect(throws: ServiceError.self) {
                try await plans.setCalendarException(organisationCode: trust.code, day: Day(iso: "2026-12-07")!, working: false,
                                                     note: "", as: cli)
            }
            let audited = try await app.store.auditEntries(AuditQuery(entityType: "organisation", entityID: trust.id)).items
            #expect(audited.filter { $0.action == "set calendar exception" }.count == 2)
        }
    }

    @Test("the organisation's plans page adds and lists calendar exceptions; read-only roles get no form")
    func webForm() async throws {
        let app = try await TestApp.make()
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        try await app.test(as: .trustProjectManager) { client in
            let form = try FormSession(try await client.execute(uri: "/organisations/\(trust.code)/plans", method: .get))
            let saved = try await client.execute(uri: "/organisations/\(trust.code)/calendar", method: .post, headers: form.headers(),
                                                 body: form.body([("day", "2026-12-24"), ("working", "0"), ("note", "Christmas Eve <closure>")]))
            #expect(saved.status == .seeOther)
            let page = try await client.execute(uri: "/organisations/\(trust.code)/plans?saved=1", method: .get).text
            #expect(page.contains("2026-12-24") && page.contains("Christmas Eve &lt;closure&gt;") && page.contains("does not work"))
            let bad = try await client.execute(uri: "/organisations/\(trust.code)/calendar", method: .post, headers: form.headers(),
                                               body: form.body([("day", "24/12/2026"), ("working", "0"), ("note", "x")]))
            #expect(bad.status == .unprocessableContent && bad.text.contains("YYYY-MM-DD"))
        }
        try await app.test(as: .projectBoardMember) { client in
            let page = try await client.execute(uri: "/organisations/\(trust.code)/plans", method: .get).text
            #expect(page.contains("2026-12-24") && !page.contains("Add exception"))
        }
    }
}
