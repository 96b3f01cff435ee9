import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Roll-out templates and roll-outs (issue 13), on both backends.
@Suite("Roll-out: templates, waves, one atomic batch, deviations")
struct RollOutTests {
    static let offsets = ["initiation-commenced": "0", "initiation-completed": "20", "local-design-completed": "60",
                          "preparation-for-go-live-completed": "100", "go-live-completed": "120", "implementation-completed": "160"]

    @Test("a template needs every mandatory milestone's baseline; a roll-out previews its waves, refuses bad input writing nothing, then creates every project at once; moved baselines show as deviations",
          arguments: Backend.testable)
    func rollOut(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = RollOutService(programme: app.service)
            let npo = try await SupplierContractTests.user(app)
            let projects = { try await ProjectLifecycleTests.projectCount(app) }
            var missing = Self.offsets
            missing["go-live-completed"] = nil
            let refused = await OrganisationServiceTests.failure {
                _ = try await service.saveTemplate(TemplateInput(code: "PACS-GP", name: "PACS for practices", product: "PACS", offsets: missing), as: npo)
            }
            #expect(refused?.errors.contains { $0.field == "offset.go-live-completed" && $0.message.contains("Give a baseline") } == true)
            #expect(try await app.store.templates().isEmpty)
            let v1 = try await service.saveTemplate(TemplateInput(code: "pacs-gp", name: "PACS for practices", product: "PACS", offsets: Self.offsets,
                                                                  documents: ["PID"], planTasks: ["Survey", "Install"]), as: npo)
            #expect(v1.code == "PACS-GP" && v1.version == 1 && v1.type == .lsp && v1.catalogueVersion == NSIProductCatalogue.latest.number)

            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let practices = app.dataset.organisations.filter { $0.ancestry.shaID == sha.id && $0.subtype == "GP practice" }
            let start = TestApp.today.adding(days: 7)
            let waves = [RollOutWave(start: start, perWeek: 3), RollOutWave(start: start.adding(days: 14), perWeek: 100)]
            let request = RollOutRequest(template: "PACS-GP", within: sha.code, subtype: "GP practice", waves: waves)
            let preview = try await service.preview(request, as: npo)
            #expect(preview.projects.count == practices.count && !practices.isEmpty)
            #expect(preview.waves.map(\.wave) == [1, 2] && preview.waves[0].sites == min(6, practices.count))
            #expect(preview.waves[0].first == start && preview.waves[0].last == start.adding(days: 7))

            let before = try await projects()
            let crsSite = try #require(app.dataset.projects.first { $0.productCode == "CRS" }.flatMap { p in app.dataset.organisations.first { $0.id == p.organisationID } })
            for (bad, fragment) in [
                (RollOutRequest(template: "PACS-GP", within: sha.code, subtype: "GP practice", waves: [RollOutWave(start: TestApp.today.adding(days: -1), perWeek: 5)]), "has passed"),
                (RollOutRequest(template: "PACS-GP", within: sha.code, subtype: "observatory", waves: waves), "No site matches"),
                (RollOutRequest(template: "CRS-NONE", within: sha.code, waves: waves), "No roll-out template"),
            ] {
                do {
                    _ = try await service.apply(bad, expectedFingerprint: nil, as: npo)
                    Issue.record("\(bad) was not refused")
                } catch {
                    #expect("\(error)".contains(fragment) || (error as? ServiceError)?.message.contains(fragment) == true, "\(error)")
                }
            }
            _ = try await app.store.saveTemplate(RollOutTemplate(code: "CRS-AGAIN", name: "CRS", productCode: "CRS", type: .lsp,
                                                             offsets: v1.offsets, catalogueVersion: 2), audit: AuditRecord(
                at: "2026-11-24T12:00:00Z", actor: "tests", origin: nil, action: "test", entityType: "rollout_template", entityID: 0, before: nil, after: nil))
            let listed = await OrganisationServiceTests.failure {
                _ = try await service.apply(RollOutRequest(template: "CRS-AGAIN", sites: [crsSite.code], waves: waves), expectedFingerprint: nil, as: npo)
            }
            #expect(listed?.errors.contains { $0.message.contains("already has a live CRS project") } == true)
            let moved = await OrganisationServiceTests.serviceError { _ = try await service.apply(request, expectedFingerprint: "stale", as: npo) }
            #expect(moved?.kind == .conflict)
            #expect(try await projects() == before, "nothing was written")

            let applied = try await service.apply(request, expectedFingerprint: preview.fingerprint, as: npo)
            #expect(applied.applied && applied.projects.count == practices.count)
            #expect(try await projects() == before.map { $0 + Int64(practices.count) })
            let first = try #require(applied.projects.first)
            let stored = try #require(try await app.store.project(code: first.projectCode, scope: .national)).project
            #expect(stored.milestone(.goLiveCompleted)?.baseline == WorkingCalendar.england.adding(workingDays: 120, to: first.start))
            let again = await OrganisationServiceTests.failure { _ = try await service.preview(request, as: npo) }
            #expect(again?.errors.first?.message.contains("No site matches") == true, "every practice now has PACS")
            var report = try await service.deviations(templateCode: "PACS-GP", as: npo).1
            #expect(report.projects == practices.count && report.moved.isEmpty && report.catalogue.isEmpty)

            try await app.store.database.write([SQLStatement("UPDATE milestone SET baseline = baseline + 7 WHERE project_id = ? AND kind = 'go-live-completed'",
                                                             [.integer(stored.id)])])
            report = try await service.deviations(templateCode: "PACS-GP", as: npo).1
            #expect(report.moved.map(\.projectCode) == [stored.code] && report.moved.first?.milestone == .goLiveCompleted)

            // Version 2 moves go-live ten working days later: untouched baselines follow, the moved one keeps its date.
            var later = Self.offsets
            later["go-live-completed"] = "130"
            let v2 = try await service.saveTemplate(TemplateInput(code: "PACS-GP", name: "PACS for practices", product: "PACS", offsets: later), as: npo)
            #expect(v2.version == 2)
            let esp = await OrganisationServiceTests.failure {
                _ = try await service.saveTemplate(TemplateInput(code: "PACS-GP", name: "x", product: "PACS", type: "esp",
                                                                 offsets: ["initiation-completed": "10", "go-live-completed": "50"]), as: npo)
            }
            #expect(esp?.errors.first?.message.contains("keeps both") == true)
            let upgrade = try await service.upgradePreview(templateCode: "PACS-GP", as: npo)
            #expect(upgrade.projects == practices.count && upgrade.moves.count == practices.count - 1 && upgrade.keptDeviations.map(\.projectCode) == [stored.code])
            #expect(upgrade.moves.allSatisfy { $0.milestone == .goLiveCompleted })
            let stale = await OrganisationServiceTests.serviceError { _ = try await service.upgrade(templateCode: "PACS-GP", expectedFingerprint: "old", as: npo) }
            #expect(stale?.kind == .conflict)
            let other = try #require(applied.projects.first { $0.projectCode != stored.code })
            #expect(try await app.store.project(code: other.projectCode, scope: .national)?.project.milestone(.goLiveCompleted)?.baseline
                    == WorkingCalendar.england.adding(workingDays: 120, to: other.start), "nothing moved before the apply")
            let upgraded = try await service.upgrade(templateCode: "PACS-GP", expectedFingerprint: upgrade.fingerprint, as: npo)
            #expect(upgraded.applied)
            #expect(try await app.store.project(code: other.projectCode, scope: .national)?.project.milestone(.goLiveCompleted)?.baseline
                    == WorkingCalendar.england.adding(workingDays: 130, to: other.start))
            #expect(try await app.store.project(code: stored.code, scope: .national)?.project.milestone(.goLiveCompleted)?.baseline
                    == stored.milestone(.goLiveCompleted)?.baseline.map { $0.adding(days: 7) }, "the deviation keeps its date")
            report = try await service.deviations(templateCode: "PACS-GP", as: npo).1
            #expect(report.moved.map(\.projectCode) == [stored.code], "and is still reported")
            #expect(try await service.upgradePreview(templateCode: "PACS-GP", as: npo).projects == 0)
        }
    }
}

/// The same roll-out on the pages: save a template, preview, create, and read the deviations.
@Suite("Roll-out in the web app")
struct RollOutPageTests {
    @Test("the programme office saves a template, previews a roll-out in waves, creates it from the preview, and sees the template's report",
          arguments: Backend.testable)
    func pages(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let start = TestApp.today.adding(days: 7).iso
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let page = try await client.execute(uri: "/rollout", method: .get)
                #expect(page.status == .ok && page.text.contains("Save a template"))
                let form = try FormSession(page)
                var fields = [("code", "PACS-GP"), ("name", "PACS for practices"), ("product", "PACS")]
                fields += RollOutTests.offsets.map { ("offset.\($0.key)", $0.value) }
                let bad = try await client.execute(uri: "/rollout/templates", method: .post, headers: form.headers(),
                                                   body: form.body(fields.filter { $0.0 != "offset.go-live-completed" }))
                #expect(bad.status == .unprocessableContent && bad.text.contains("Give a baseline for Go-Live Completed"))
                let saved = try await client.execute(uri: "/rollout/templates", method: .post, headers: form.headers(), body: form.body(fields))
                #expect(saved.status == .seeOther)
                let choices = [("template", "PACS-GP"), ("within", sha.code), ("subtype", "GP practice"), ("waves", "\(start):5")]
                let preview = try await client.execute(uri: "/rollout/preview", method: .post, headers: form.headers(), body: form.body(choices))
                #expect(preview.status == .ok && preview.text.contains("Preview: PACS-GP version 1"))
                let fingerprint = try #require(FormSession.hiddenValue("fingerprint", in: preview.text))
                let before = try await ProjectLifecycleTests.projectCount(app)
                let applied = try await client.execute(uri: "/rollout/apply", method: .post, headers: form.headers(),
                                                       body: form.body(choices + [("fingerprint", fingerprint)]))
                #expect(applied.status == .ok && applied.text.contains("Rolled out"))
                #expect(try await ProjectLifecycleTests.projectCount(app) ?? 0 > before ?? 0)
                let report = try await client.execute(uri: "/rollout/PACS-GP", method: .get)
                #expect(report.status == .ok && report.text.contains("0 baselines have moved"))
            }
        }
    }
}

/// Deviations beyond baselines: the plan against the skeleton, mandatory documents made
/// obsolete, a project page's own panel, and a report scoped to the reader.
@Suite("Roll-out deviations in plans and documents")
struct RollOutPlanDeviationTests {
    @Test("a plan's added and removed tasks and an obsolete mandatory document are deviations; each reader sees only their projects",
          arguments: Backend.testable)
    func plansAndDocuments(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let service = RollOutService(programme: app.service)
            let npo = try await SupplierContractTests.user(app)
            let office = try await SupplierContractTests.user(app, .shaProgrammeOffice)
            let tools = ActingUser.commandLine(origin: "tests")
            _ = try await service.saveTemplate(TemplateInput(code: "PACS-SKELETON", name: "PACS with a plan", product: "PACS", offsets: RollOutTests.offsets,
                                                             documents: ["PID"], planTasks: ["Project initiation", "Local  design", "Site survey"]), as: npo)
            let sha = try app.homeOrganisation(for: .shaProgrammeOffice)
            let practices = app.dataset.organisations.filter { $0.subtype == "GP practice" }
            let ours = try #require(practices.first { $0.ancestry.shaID == sha.id })
            let theirs = try #require(practices.first { $0.ancestry.shaID != sha.id })
            let request = RollOutRequest(template: "PACS-SKELETON", sites: RollOutRequest.siteCodes("code,name\n\(ours.code),x\n\"\(theirs.code)\",y\n"),
                                         waves: [RollOutWave(start: TestApp.today.adding(days: 7), perWeek: 10)])
            let applied = try await service.apply(request, expectedFingerprint: try await service.preview(request, as: npo).fingerprint, as: npo)
            let codes = applied.projects.map(\.projectCode)
            #expect(codes.count == 2)
            var report = try await service.deviations(templateCode: "PACS-SKELETON", as: npo).1
            #expect(report.isEmpty && report.withoutPlan == 2)

            let project = try #require(codes.first { $0.hasPrefix(ours.code) })
            _ = try await PlanService(programme: app.service).importPlan(code: project, data: Data(PlanTests.csv.utf8), format: .csv,
                                                                         expectedVersion: nil, as: tools)
            let documents = DocumentService(programme: app.service)
            let pid = try await documents.upload(projectCode: project, productCode: "PID", fileName: "pid.pdf", declaredMediaType: "application/pdf",
                                                 bytes: DocumentAPITests.pdf, changeSummary: "First", expectedVersion: nil, as: tools)
            _ = try await documents.act(documentID: pid.document.id, number: 1, action: .makeObsolete, expectedVersion: pid.document.version, as: tools)

            report = try await service.deviations(templateCode: "PACS-SKELETON", as: npo).1
            #expect(report.withoutPlan == 1)
            let plan = try #require(report.plans.first)
            #expect(report.plans.count == 1 && plan.projectCode == project)
            #expect(plan.removed == ["Site survey"], "spacing and case do not count")
            #expect(plan.added.contains("Build and test") && !plan.added.contains("Project initiation") && !plan.added.contains("Local design"))
            #expect(report.documents.map { [$0.projectCode, $0.productCode] } == [[project, "PID"]])

            let scoped = try await service.deviations(templateCode: "PACS-SKELETON", as: office).1
            #expect(scoped.projects == 1 && scoped.withoutPlan == 0 && scoped.plans.map(\.projectCode) == [project])

            try await app.test(as: .shaProgrammeOffice) { client async throws in
                let page = try await client.execute(uri: "/projects/\(project)", method: .get)
                #expect(page.status == .ok && page.text.contains("Rolled out from") && page.text.contains("PACS-SKELETON version 1"))
                #expect(page.text.contains("Site survey") && page.text.contains("Mandatory documents made obsolete"))
                let report = try await client.execute(uri: "/rollout/PACS-SKELETON", method: .get)
                #expect(report.text.contains("1 projects you can see") && !report.text.contains(theirs.code))
            }
        }
    }

    @Test("the roll-out form takes an uploaded list of sites, and a list naming an unknown site changes nothing")
    func uploadedList() async throws {
        try await TestApp.with(.sqlite) { app async throws in
            let npo = try await SupplierContractTests.user(app)
            _ = try await RollOutService(programme: app.service).saveTemplate(TemplateInput(code: "PACS-LIST", name: "PACS", product: "PACS",
                                                                                            offsets: RollOutTests.offsets), as: npo)
            let sites = app.dataset.organisations.filter { $0.subtype == "GP practice" }.prefix(3).map(\.code)
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let form = try FormSession(try await client.execute(uri: "/rollout", method: .get))
                func preview(_ list: String) async throws -> TestResponse {
                    let boundary = "rolloutlist"
                    var body = ""
                    for (name, value) in [("csrf", form.token), ("template", "PACS-LIST"), ("waves", "\(TestApp.today.adding(days: 7).iso):2")] {
                        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                    }
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"sitesFile\"; filename=\"sites.csv\"\r\nContent-Type: text/csv\r\n\r\n\(list)\r\n--\(boundary)--\r\n"
                    var headers = form.headers()
                    headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                    return try await client.execute(uri: "/rollout/preview", method: .post, headers: headers, body: ByteBuffer(string: body))
                }
                let before = try await ProjectLifecycleTests.projectCount(app)
                let bad = try await preview("code\n\(sites[0])\nNOPE99\n")
                #expect(bad.status == .unprocessableContent && bad.text.contains("NOPE99 is not a site"))
                let good = try await preview("code\n" + sites.joined(separator: "\n") + "\n")
                #expect(good.status == .ok && good.text.contains("This creates 3 PACS projects"))
                let fingerprint = try #require(FormSession.hiddenValue("fingerprint", in: good.text))
                let listed = try #require(FormSession.hiddenValue("sites", in: good.text))
                let applied = try await client.execute(uri: "/rollout/apply", method: .post, headers: form.headers(), body: form.body(
                    [("template", "PACS-LIST"), ("sites", listed), ("waves", "\(TestApp.today.adding(days: 7).iso):2"), ("fingerprint", fingerprint)]))
                #expect(applied.status == .ok && applied.text.contains("Created 3 PACS projects"))
                #expect(try await ProjectLifecycleTests.projectCount(app) == before.map { $0 + 3 })
            }
        }
    }
}
