import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// One project by hand, later releases, closing and cancelling (issue 13), on both backends.
@Suite("Projects: create by hand, releases, close and cancel")
struct ProjectLifecycleTests {
    static func baselines(_ type: ProjectType, from start: Day) -> [String: String] {
        Dictionary(uniqueKeysWithValues: type.mandatoryMilestones.enumerated().map { ($1.rawValue, start.adding(days: 60 * $0).iso) })
    }

    static func projectCount(_ app: TestApp) async throws -> Int64? {
        try await app.store.database.fetch("SELECT COUNT(*) AS n FROM project", []).first?.int("n")
    }

    @Test("a project by hand takes its supplier from the contracts; bad input is refused and writes nothing; a product gone live takes a second release",
          arguments: Backend.testable)
    func create(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ProjectLifecycleService(programme: app.service)
            let npo = try await SupplierContractTests.user(app)
            let lsp = try app.homeOrganisation(for: .supplierImplementer)
            let practice = try #require(app.dataset.organisations.first { o in
                o.subtype == "GP practice" && app.dataset.projects.contains { $0.organisationID == o.id && $0.supplierID == lsp.id }
            })
            let lhc = try #require(app.dataset.organisations.first { $0.kind == .lhc })
            let start = TestApp.today.adding(days: 30)
            let before = try await Self.projectCount(app)
            var missing = Self.baselines(.lsp, from: start)
            missing[MilestoneKind.goLiveCompleted.rawValue] = nil
            var backwards = Self.baselines(.lsp, from: start)
            backwards[MilestoneKind.localDesignCompleted.rawValue] = start.adding(days: -300).iso
            for (input, field, fragment) in [
                (NewProject(organisation: practice.code, product: "PACS", baselines: missing), "baseline.go-live-completed", "Give a baseline"),
                (NewProject(organisation: practice.code, product: "PACS", baselines: backwards), "baseline.local-design-completed", "cannot be before"),
                (NewProject(organisation: practice.code, product: "XRAY", baselines: Self.baselines(.lsp, from: start)), "product", "not a product"),
                (NewProject(organisation: lhc.code, product: "PACS", baselines: Self.baselines(.lsp, from: start)), "organisation", "trust or a site"),
                (NewProject(organisation: practice.code, product: "PACS", type: "esp", baselines: Self.baselines(.lsp, from: start)),
                 "baseline.local-design-completed", "has no"),
            ] {
                let refused = await OrganisationServiceTests.failure { _ = try await service.create(input, as: npo) }
                #expect(refused?.errors.contains { $0.field == field && $0.message.contains(fragment) } == true, "\(input): \(String(describing: refused))")
            }
            #expect(try await Self.projectCount(app) == before)

            let created = try await service.create(NewProject(organisation: practice.code, product: "pacs", baselines: Self.baselines(.lsp, from: start)), as: npo)
            #expect(created.code == "\(practice.code)-PACS" && created.release == 1 && created.supplierID == lsp.id)
            let stored = try #require(try await app.store.project(code: created.code, scope: .supplier(id: lsp.id)), "the LSP's staff see it")
            #expect(stored.project.milestones.map(\.baseline) == MilestoneKind.allCases.enumerated().map { start.adding(days: 60 * $0.offset) })
            #expect(try await app.store.auditEntries(entityType: "project", entityID: 0, limit: 5).contains { $0.action == "create project" })

            // A product still short of go-live cannot start a second release; one gone live can.
            let again = await OrganisationServiceTests.failure {
                _ = try await service.create(NewProject(organisation: practice.code, product: "PACS", baselines: Self.baselines(.lsp, from: start)), as: npo)
            }
            #expect(again?.errors.first?.message.contains("has not gone live yet") == true)
            let live = try #require(app.dataset.projects.first { $0.milestone(.goLiveCompleted)?.isAchieved == true && $0.type == .lsp })
            let site = try #require(app.dataset.organisations.first { $0.id == live.organisationID })
            let second = try await service.create(NewProject(organisation: site.code, product: live.productCode,
                                                             baselines: Self.baselines(.lsp, from: start)), as: npo)
            #expect(second.code == "\(live.code)-R2" && second.release == 2)
        }
    }

    @Test("closing needs every milestone achieved; a closed or cancelled project leaves the live roll-up but keeps its history; on an agreed DIP only an approved CCN cancels",
          arguments: Backend.testable)
    func closeAndCancel(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ProjectLifecycleService(programme: app.service)
            let npo = try await SupplierContractTests.user(app)
            let national = app.dataset.organisations[0]
            let total = { try await app.store.rollUp(for: national, scope: .national).total.projects }
            let before = try await total()
            let open = try #require(app.dataset.projects.first { !$0.isComplete })
            let unfinished = await OrganisationServiceTests.serviceError { _ = try await service.close(code: open.code, expectedVersion: open.version, as: npo) }
            #expect(unfinished?.kind == .conflict && unfinished?.message.contains("stage 5") == true)
            let complete = try #require(app.dataset.projects.first { $0.isComplete })
            let stale = await OrganisationServiceTests.serviceError { _ = try await service.close(code: complete.code, expectedVersion: complete.version + 1, as: npo) }
            #expect(stale?.kind == .staleVersion)
            let closed = try await service.close(code: complete.code, expectedVersion: complete.version, as: npo)
            #expect(closed.state == .closed && closed.stateOn == TestApp.today)
            #expect(try await total() == before - 1)
            #expect(try await app.store.project(code: complete.code, scope: .national)?.project.state == .closed, "kept, not deleted")

            // Cancelling a project on an agreed DIP needs the approved note that names it.
            let onDIP = Set(try await app.store.database.fetch("""
                SELECT lp.project_id AS id FROM dip_line_project lp JOIN dip_line l ON l.id = lp.line_id JOIN dip d ON d.id = l.dip_id
                WHERE d.state = 'agreed' AND l.removed = 0
                """, []).map { $0.int("id") })
            let committed = try #require(app.dataset.projects.first { onDIP.contains($0.id) })
            let noNote = await OrganisationServiceTests.failure {
                _ = try await service.cancel(code: committed.code, reason: "Trust merged", ccn: nil, expectedVersion: committed.version, as: npo)
            }
            #expect(noNote?.errors.contains { $0.field == "ccn" && $0.message.contains("approved Change Control Note") } == true)
            let unrelated = try #require(app.dataset.changeControl.notes.first { $0.state == .approved && !$0.projects.map(\.id).contains(committed.id) })
            let wrongNote = await OrganisationServiceTests.failure {
                _ = try await service.cancel(code: committed.code, reason: "Trust merged", ccn: unrelated.id, expectedVersion: committed.version, as: npo)
            }
            #expect(wrongNote?.errors.contains { $0.field == "ccn" } == true)
            #expect(try await app.store.project(code: committed.code, scope: .national)?.project.state == .live)

            let free = try #require(app.dataset.projects.first { p in p.id != complete.id && !p.isComplete && !onDIP.contains(p.id) })
            let noReason = await OrganisationServiceTests.failure { _ = try await service.cancel(code: free.code, reason: " ", ccn: nil, expectedVersion: free.version, as: npo) }
            #expect(noReason?.errors.first?.field == "reason")
            let cancelled = try await service.cancel(code: free.code, reason: "Site closing", ccn: nil, expectedVersion: free.version, as: npo)
            #expect(cancelled.state == .cancelled && cancelled.stateReason == "Site closing")
            #expect(try await total() == before - 2)
            let audit = try await app.store.auditEntries(entityType: "project", entityID: free.id, limit: 5)
            #expect(audit.first?.action == "cancel project")
            let trustPM = try await app.accounts.actingUser(try await app.signIn(.trustProjectManager).user, origin: "tests")
            let forbidden = await OrganisationServiceTests.serviceError {
                _ = try await service.cancel(code: free.code, reason: "x", ccn: nil, expectedVersion: cancelled.version, as: trustPM)
            }
            #expect(forbidden?.kind == .notFound || forbidden?.kind == .forbidden)
        }
    }
}
