import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// "Which sites go live in the next 30, 60 and 90 days, and how ready is each?" (issue 14,
/// part 6), on both backends: the list, its score and reasons, its filters, the CSV and the API.
@Suite("Going live: readiness across the programme")
struct GoingLiveTests {
    @Test("a project forecast to go live is listed with a score that moves with its evidence; filters, the CSV and the API agree",
          arguments: Backend.testable)
    func outlook(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = GoingLiveService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let board = try await SupplierContractTests.user(app, .projectBoardMember)
            let project = try GoLivePolicyTests.readyToGoLive(app)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let forecast = TestApp.today.adding(days: 40)
            _ = try await app.service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(
                entries: [.goLiveCompleted: .init(forecast: forecast.iso)], expectedVersion: nil), as: pm)

            func entry(days: Int = 60, product: String? = nil) async throws -> GoingLiveService.Entry? {
                try await service.outlook(organisationCode: trust.code, days: days, product: product, supplierCode: nil, as: pm)
                    .entries.first { $0.row.projectCode == project.code }
            }
            #expect(try await entry(days: 30) == nil, "40 days away is not in the next 30")
            let bare = try #require(try await entry())
            #expect(bare.daysAway == 40 && bare.row.goLive == forecast)
            // The generated register may hold showstoppers for it; count them independently.
            let showstoppers = Int(try await app.store.database.fetch(
                "SELECT COUNT(*) AS n FROM tracking_item WHERE project_id = ? AND status = 'open' AND rating_priority = 1", [.integer(project.id)])[0].int("n"))
            #expect(bare.row.facts.showstoppers == showstoppers)
            let less = showstoppers > 0 ? 20 : 0
            let showstopperReason = showstoppers > 0 ? ["\(showstoppers) showstopper risk\(showstoppers == 1 ? "" : "s") or issue\(showstoppers == 1 ? "" : "s") open"] : []
            #expect(bare.score.value == 40 - less && bare.score.band == .notReady)
            #expect(bare.score.reasons == ["No Operational Readiness Report signed off", "No Go Live Checklist started"] + showstopperReason
                        + ["No readiness survey answered", "No data-quality check"])

            let reports = ReadinessReportService(programme: app.service)
            let report = try await reports.generate(projectCode: project.code, as: pm)
            _ = try await reports.sign(projectCode: project.code, number: report.number, as: board)
            _ = try await GoLiveChecklistService(programme: app.service).start(projectCode: project.code, template: "cutover", as: pm)
            let better = try #require(try await entry())
            #expect(better.score.value == 70 - less && better.score.band == .atRisk, "\(better.score)")
            #expect(better.score.reasons.first == "0 of 1 Go Live Checklists signed off")

            let outlook = try await service.outlook(organisationCode: trust.code, days: 60, product: nil, supplierCode: nil, as: pm)
            #expect(outlook.counts.count == 2 && outlook.counts[1][.atRisk, default: 0] >= 1)
            #expect(outlook.entries.map(\.row.goLive) == outlook.entries.map(\.row.goLive).sorted(), "soonest first")
            #expect(try await entry(product: project.productCode == "CRS" ? "PACS" : "CRS") == nil, "another product's list leaves it out")
            let badDays = await OrganisationServiceTests.serviceError { _ = try await service.outlook(organisationCode: trust.code, days: 45, product: nil, supplierCode: nil, as: pm) }
            #expect(badDays?.kind == .badRequest)
            let badSupplier = await OrganisationServiceTests.serviceError { _ = try await service.outlook(organisationCode: trust.code, days: 90, product: nil, supplierCode: trust.code, as: pm) }
            #expect(badSupplier?.kind == .refused)

            try await app.test(as: .trustProjectManager) { client in
                let page = try await client.execute(uri: "/organisations/\(trust.code)/going-live?days=60", method: .get)
                #expect(page.status == .ok && page.text.contains(project.code) && page.text.contains("<svg"))
                let csv = try await client.execute(uri: "/organisations/\(trust.code)/going-live.csv?days=60", method: .get)
                let line = try #require(csv.text.split(separator: "\r\n").first { $0.hasPrefix(project.code + ",") })
                let reasons = (["0 of 1 Go Live Checklists signed off"] + showstopperReason + ["No readiness survey answered", "No data-quality check"]).joined(separator: "; ")
                #expect(line.hasSuffix(",\(forecast.iso),40,\(70 - less),at-risk,\(reasons)"), "\(line)")
                let api = try await client.execute(uri: "/api/v1/organisations/\(trust.code)/going-live?days=60", method: .get)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(api.text.utf8)) as? [String: Any])
                let item = (body["items"] as? [[String: Any]])?.first { $0["project"] as? String == project.code }
                #expect(item?["score"] as? Int == 70 - less && item?["band"] as? String == "at-risk")
            }
        }
    }
}

/// The stored readiness facts follow each write that changes them, in its own transaction.
@Suite("Going live: stored readiness facts")
struct ReadinessFactsTests {
    static func stored(_ app: TestApp, _ projectID: Int64) async throws -> [String: Int64?] {
        let row = try #require(try await app.store.database.fetch("SELECT * FROM project_readiness WHERE project_id = ?", [.integer(projectID)]).first)
        return Dictionary(uniqueKeysWithValues: ["surveys_answered", "surveys_not_ready", "signed_report", "checklists", "checklists_signed",
                                                 "blocking_hazards", "safety_signed", "valid_per_mille"].map { ($0, row.optionalInt($0)) })
    }

    @Test("surveys, data quality, hazards, the safety sign-off, checklists and the ORR each refresh the project's row", arguments: Backend.testable)
    func followsWrites(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let board = try await SupplierContractTests.user(app, .projectBoardMember)
            let cso = try await SupplierContractTests.user(app, .clinicalSafetyOfficer)
            let project = try GoLivePolicyTests.readyToGoLive(app)
            let code = project.code
            #expect(try await Self.stored(app, project.id)["surveys_answered"] == 0, "the load wrote every project's row")

            _ = try await SurveyService(programme: app.service).save(projectCode: code, kind: SurveyKind.hardware.rawValue,
                SurveyInput(answers: ["hardware.spec": .init(rating: "not-ready", finding: "Old PCs")]), expectedVersion: nil, as: pm)
            _ = try await DataQualityService(programme: app.service).check(projectCode: code, as: pm) { reader in
                try Data("NHS Number\n9434765919\n1234567890\n".utf8).withUnsafeBytes { try reader.read($0) }
            }
            let hazard = HazardService.Draft(title: "Wrong patient", cause: "Similar names", effect: "Wrong record", harm: "Missed treatment",
                                             initialSeverity: .major, initialLikelihood: .high, controls: [], residualSeverity: .major, residualLikelihood: .medium)
            _ = try await HazardService(programme: app.service).save(projectCode: code, id: nil, expectedVersion: nil, draft: hazard, as: pm)
            var facts = try await Self.stored(app, project.id)
            #expect(facts["surveys_answered"] == 1 && facts["surveys_not_ready"] == 1 && facts["valid_per_mille"] == 500 && facts["blocking_hazards"] == 1,
                    "\(facts)")
            _ = try await HazardService(programme: app.service).signSafetyCase(projectCode: code, statement: "Residual risk accepted at the board.", as: cso)
            let checklists = GoLiveChecklistService(programme: app.service)
            var list = try await checklists.start(projectCode: code, template: "training", as: pm)
            facts = try await Self.stored(app, project.id)
            #expect(facts["safety_signed"] == 1 && facts["checklists"] == 1 && facts["checklists_signed"] == 0, "\(facts)")
            for item in list.items {
                list = try await checklists.update(projectCode: code, template: "training", item: item.itemID, owner: "Training lead",
                                                   evidence: "Training records", expectedVersion: list.version, as: pm)
                list = try await checklists.signOff(projectCode: code, template: "training", item: item.itemID, expectedVersion: list.version, as: pm)
            }
            let reports = ReadinessReportService(programme: app.service)
            let report = try await reports.generate(projectCode: code, as: pm)
            #expect(try await Self.stored(app, project.id)["signed_report"] == 0, "an unsigned report is not the evidence")
            _ = try await reports.sign(projectCode: code, number: report.number, as: board)
            facts = try await Self.stored(app, project.id)
            #expect(facts["checklists_signed"] == 1 && facts["signed_report"] == 1, "\(facts)")
        }
    }
}
