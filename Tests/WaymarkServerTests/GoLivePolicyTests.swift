import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// The Go Live decision (issue 14, part 5), on both backends: warn records and warns; require
/// refuses Go-Live Completed without the gate, the signed ORR, the checklists and the CSO's
/// sign-off, unless the Project Board overrides with a reason, which roll-ups then show.
@Suite("Go Live policy: warn or require, and the Board's override")
struct GoLivePolicyTests {
    /// A project in the project manager's trust that has achieved Preparation for Go-Live Completed but not gone live.
    static func readyToGoLive(_ app: TestApp) throws -> ImplementationProject {
        let trust = try app.homeOrganisation(for: .trustProjectManager)
        return try #require(app.dataset.projects.first {
            $0.ancestry.trustID == trust.id && $0.type == .lsp && $0.isLive && $0.achievedCount == 4
        }, "the test programme has a project about to go live in the project manager's trust")
    }

    static func goLive(_ project: ImplementationProject) -> RecordMilestoneDates {
        RecordMilestoneDates(entries: [.goLiveCompleted: .init(actual: TestApp.today.iso)], expectedVersion: nil)
    }

    @Test("under warn Go-Live Completed is recorded; under require it is refused with each gap named and nothing written, until the Board overrides with a reason; the override shows on the roll-ups",
          arguments: Backend.testable)
    func requireAndOverride(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = GoLivePolicyService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let board = try await SupplierContractTests.user(app, .projectBoardMember)
            let npo = try await SupplierContractTests.user(app, .nationalProgrammeOffice)
            let project = try Self.readyToGoLive(app)
            let cluster = try #require(app.dataset.organisations.first { $0.id == project.ancestry.clusterID })
            let national = try #require(app.dataset.organisations.first { $0.kind == .national })

            #expect(try await service.policy(for: project) == .warn, "warn until someone sets it")
            // Only the National Programme Office sets it; a cluster's own setting beats the programme's.
            let sha = await OrganisationServiceTests.serviceError {
                _ = try await service.setPolicy(organisationCode: cluster.code, .require, as: try await SupplierContractTests.user(app, .clusterProgrammeControls))
            }
            #expect(sha?.kind == .forbidden)
            let trustLevel = await OrganisationServiceTests.failure {
                _ = try await service.setPolicy(organisationCode: try app.homeOrganisation(for: .trustProjectManager).code, .require, as: npo)
            }
            #expect(trustLevel?.errors.map(\.field) == ["organisation"])
            _ = try await service.setPolicy(organisationCode: national.code, .warn, as: npo)
            _ = try await service.setPolicy(organisationCode: cluster.code, .require, as: npo)
            #expect(try await service.policy(for: project) == .require)
            let view = try await service.policies(as: pm)
            #expect(view.national == .warn && view.clusters.first { $0.cluster.id == cluster.id }.map { $0.own && $0.policy == .require } == true)

            let before = try await app.store.project(code: project.code, scope: .national)?.project
            let refused = await OrganisationServiceTests.failure {
                _ = try await app.service.recordMilestoneDates(projectCode: project.code, Self.goLive(project), as: pm)
            }
            let message = refused?.errors.first?.message ?? ""
            #expect(refused?.errors.map(\.field) == ["actual.go-live-completed"])
            for gap in ["gate out of stage 3 Prepare for Go Live has not been passed", "no Operational Readiness Report is signed off",
                        "no Go Live Checklist has been started", "Clinical Safety Officer has not signed"] {
                #expect(message.contains(gap), "\(message) lacks '\(gap)'")
            }
            #expect(try await app.store.project(code: project.code, scope: .national)?.project == before, "nothing was written")

            // The override: a reason first, then the Board alone.
            let short = await OrganisationServiceTests.failure { _ = try await service.override(projectCode: project.code, milestone: .goLiveCompleted, reason: "go", as: board) }
            #expect(short?.errors.map(\.field) == ["reason"])
            let notBoard = await OrganisationServiceTests.serviceError {
                _ = try await service.override(projectCode: project.code, milestone: .goLiveCompleted, reason: "Agreed at the Board on 1 December", as: pm)
            }
            #expect(notBoard?.kind == .forbidden)
            let override = try await service.override(projectCode: project.code, milestone: .goLiveCompleted, reason: "Agreed at the Board on 1 December", as: board)
            #expect(override.gaps.count == 4)
            let twice = await OrganisationServiceTests.serviceError {
                _ = try await service.override(projectCode: project.code, milestone: .goLiveCompleted, reason: "Agreed at the Board again", as: board)
            }
            #expect(twice?.kind == .conflict)
            let recorded = try await app.service.recordMilestoneDates(projectCode: project.code, Self.goLive(project), as: pm)
            #expect(recorded.milestone(.goLiveCompleted)?.actual == TestApp.today)

            // Every roll-up that counts the project shows it.
            for organisation in [national, cluster] {
                let listed = try await service.overridden(organisation: organisation, as: npo)
                #expect(listed.map(\.projectCode) == [project.code], "\(organisation.code)")
            }
            try await app.test(as: .nationalProgrammeOffice) { client in
                let page = try await client.execute(uri: "/organisations/\(cluster.code)", method: .get)
                #expect(page.text.contains("Milestones achieved under a Project Board override") && page.text.contains("Agreed at the Board on 1 December"))
                let api = try await client.execute(uri: "/api/v1/projects/\(project.code)/go-live-policy", method: .get)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [String: Any])
                #expect(body["policy"] as? String == "require" && (body["overrides"] as? [Any])?.count == 1)
            }
        }
    }

    @Test("under warn the same milestone is recorded without the evidence", arguments: Backend.testable)
    func warnRecords(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let project = try Self.readyToGoLive(app)
            let recorded = try await app.service.recordMilestoneDates(projectCode: project.code, Self.goLive(project), as: pm)
            #expect(recorded.milestone(.goLiveCompleted)?.actual == TestApp.today)
        }
    }

    @Test("the policy page lets the National Programme Office set a cluster's policy; the API does too", arguments: Backend.testable)
    func pageAndAPI(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let cluster = try #require(app.dataset.organisations.first { $0.kind == .cluster })
            try await app.test(as: .nationalProgrammeOffice) { client in
                let page = try await client.execute(uri: "/go-live-policy", method: .get)
                #expect(page.text.contains("The programme's policy: <strong>Warn</strong>"))
                let form = try FormSession(page)
                let set = try await client.execute(uri: "/go-live-policy", method: .post, headers: form.headers(),
                                                   body: form.body([("organisation", cluster.code), ("policy", "require")]))
                #expect(set.status == .seeOther)
                let api = try await client.execute(uri: "/api/v1/go-live-policy", method: .get)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [String: Any])
                let row = (body["clusters"] as? [[String: Any]])?.first { $0["code"] as? String == cluster.code }
                #expect(row?["policy"] as? String == "require" && row?["own"] as? Bool == true)
                let inherit = try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/go-live-policy", method: .put,
                                                       headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"policy": "inherit"}"#))
                #expect(inherit.status == .ok && inherit.text.contains("warn"), "\(inherit.text)")
            }
        }
    }
}
