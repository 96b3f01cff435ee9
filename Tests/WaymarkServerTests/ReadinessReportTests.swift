import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// The Operational Readiness Report (issue 14, part 4), on both backends: a hashed snapshot of
/// live data that only the Project Board signs, and only while the data still reads the same.
@Suite("Operational Readiness Report: a signed snapshot of live data")
struct ReadinessReportTests {
    static func reports(_ app: TestApp) async throws -> [Int64: String?] {
        Dictionary(uniqueKeysWithValues: try await app.store.database.fetch("SELECT id, signed_by FROM readiness_report", []).map {
            ($0.int("id"), $0.optionalString("signed_by"))
        })
    }

    @Test("a report reads the surveys, data quality and migration as they stand; a change refuses the sign-off and names it; the Board alone signs, once; the signed report is the ORR's gate evidence",
          arguments: Backend.testable)
    func generateAndSign(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ReadinessReportService(programme: app.service)
            let pm = try await SupplierContractTests.user(app, .trustProjectManager)
            let board = try await SupplierContractTests.user(app, .projectBoardMember)
            let code = try DataQualityTests.project(app).code
            _ = try await SurveyService(programme: app.service).save(
                projectCode: code, kind: SurveyKind.hardware.rawValue,
                SurveyInput(answers: ["hardware.spec": .init(rating: "not-ready", finding: "Forty PCs are below specification.")]),
                expectedVersion: nil, as: pm)
            let dq = DataQualityService(programme: app.service)
            _ = try await dq.recordLoad(projectCode: code, NewMigrationLoad(name: "Trial load 1", loadedOn: TestApp.today.iso, migrated: "1000",
                                                                            verified: "990", rejected: "10"), as: pm)

            let first = try await service.generate(projectCode: code, as: pm)
            #expect(first.number == 1 && first.hash.count == 64 && !first.isSigned)
            let hardware = try #require(first.inputs.surveys.first { $0.kind == .hardware })
            #expect(hardware.overall == .notReady && hardware.openFindings.count == 1)
            #expect(first.inputs.migration == ReadinessInputs.Migration(loads: 1, migrated: 1000, verified: 990, rejected: 10))
            let concerns = ReadinessReportRules.concerns(first.inputs)
            #expect(concerns.contains("The Hardware survey is rated not ready."), "\(concerns)")
            #expect(concerns.contains { $0.hasPrefix("10 records rejected") }, "\(concerns)")

            // Only the Project Board signs; the project manager may decide gates but not this.
            let notBoard = await OrganisationServiceTests.serviceError { _ = try await service.sign(projectCode: code, number: 1, as: pm) }
            #expect(notBoard?.kind == .forbidden)
            let wrongHash = await OrganisationServiceTests.serviceError { _ = try await service.sign(projectCode: code, number: 1, expectedHash: "abc", as: board) }
            #expect(wrongHash?.kind == .staleVersion)

            // The data moves on: a second load. Signing is refused, the change is named, nothing is written.
            _ = try await dq.recordLoad(projectCode: code, NewMigrationLoad(name: "Trial load 2", loadedOn: TestApp.today.iso, migrated: "500",
                                                                            verified: "500", rejected: "0"), as: pm)
            let before = try await Self.reports(app)
            let changed = await OrganisationServiceTests.serviceError { _ = try await service.sign(projectCode: code, number: 1, as: board) }
            #expect(changed?.kind == .conflict)
            #expect(changed?.message.contains("Migration loads: 1 load, 1000 migrated, 990 verified, 10 rejected → 2 loads, 1500 migrated") == true,
                    "\(changed?.message ?? "")")
            #expect(try await Self.reports(app) == before, "nothing was signed")
            let view = try await service.report(projectCode: code, number: 1, as: board)
            #expect(view.intact && view.changes.count == 1 && !view.canSign == false)

            let second = try await service.generate(projectCode: code, as: pm)
            #expect(second.number == 2 && second.hash != first.hash)
            let signed = try await service.sign(projectCode: code, number: 2, expectedHash: second.hash, as: board)
            #expect(signed.signedBy == board.name)
            let twice = await OrganisationServiceTests.serviceError { _ = try await service.sign(projectCode: code, number: 2, as: board) }
            #expect(twice?.kind == .conflict)
            let trail = try await app.store.auditEntries(AuditQuery(entityType: "readiness_report", entityID: second.id, limit: 10)).items
            #expect(Set(trail.map(\.action)) == ["generate readiness report", "sign readiness report"])

            // At the Go Live gate the signed report stands for the ORR product.
            let check = try await GateService(programme: app.service).goLiveCheck(projectCode: code, as: pm)
            let orr = try #require(check.requirements.first { if case .document(let p, _) = $0.kind { p.code == "ORR" } else { false } })
            #expect(orr.met && orr.evidence?.source == .readinessReport && orr.evidence?.contentHash == second.hash, "\(orr.detail)")

            // A snapshot altered in the database no longer matches its hash, and cannot be signed.
            let third = try await service.generate(projectCode: code, as: pm)
            try await app.store.database.write([SQLStatement(#"UPDATE readiness_report SET snapshot = replace(snapshot, '"loads":2', '"loads":1') WHERE id = ?"#,
                                                             [.integer(third.id)])])
            #expect(try await service.report(projectCode: code, number: 3, as: board).intact == false)
            let tampered = await OrganisationServiceTests.serviceError { _ = try await service.sign(projectCode: code, number: 3, as: board) }
            #expect(tampered?.kind == .refused)
        }
    }

    @Test("the pages generate a report, print it, and show the Board's refusal with what changed", arguments: Backend.testable)
    func pages(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try DataQualityTests.project(app).code
            try await app.test(as: .trustProjectManager) { client in
                let list = try await client.execute(uri: "/projects/\(code)/readiness-reports", method: .get)
                #expect(list.text.contains("Generate a report"))
                let form = try FormSession(list)
                let created = try await client.execute(uri: "/projects/\(code)/readiness-reports", method: .post, headers: form.headers(), body: form.body([]))
                #expect(created.status == .seeOther, "\(created.text)")
                let location = try #require(created.headers[.location])
                #expect(location.hasPrefix("/projects/\(code)/readiness-reports/1"))
                let page = try await client.execute(uri: location, method: .get, headers: form.headers())
                #expect(page.text.contains("Operational Readiness Report ORR-1") && page.text.contains("matches the stored snapshot"))
                #expect(page.text.contains("The live data still reads as this report does."))
                #expect(!page.text.contains("Sign off ORR-1"), "the project manager gets no sign-off button")
            }
            _ = try await DataQualityService(programme: app.service).recordLoad(
                projectCode: code, NewMigrationLoad(name: "Live load", loadedOn: TestApp.today.iso, migrated: "10", verified: "10", rejected: "0"),
                as: try await SupplierContractTests.user(app, .trustProjectManager))
            try await app.test(as: .projectBoardMember) { client in
                let page = try await client.execute(uri: "/projects/\(code)/readiness-reports/1", method: .get)
                #expect(page.text.contains("Changed since this report was generated") && page.text.contains("Migration loads: none → 1 load"), "\(page.text)")
                let form = try FormSession(page)
                let refused = try await client.execute(uri: "/projects/\(code)/readiness-reports/1/sign-off", method: .post,
                                                       headers: form.headers(), body: form.body([]))
                #expect(refused.status == .conflict)
                #expect(refused.text.contains("Generate a new report and sign that."))
            }
        }
    }

    @Test("the API generates, reads with the hash as ETag, and signs with If-Match", arguments: Backend.testable)
    func api(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let code = try DataQualityTests.project(app).code
            let base = "/api/v1/projects/\(code)/readiness-reports"
            try await app.test(as: .trustProjectManager) { client in
                let created = try await client.execute(uri: base, method: .post)
                #expect(created.status == .created, "\(created.text)")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])
                #expect(body["reference"] as? String == "ORR-1" && body["intact"] as? Bool == true)
                let inputs = try #require(body["inputs"] as? [String: Any])
                #expect((inputs["surveys"] as? [Any])?.count == SurveyKind.allCases.count)
                #expect(created.headers[.eTag] == "\"\(body["sha256"] as? String ?? "")\"")
            }
            try await app.test(as: .projectBoardMember) { client in
                let read = try await client.execute(uri: "\(base)/1", method: .get)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(read.text.utf8)) as? [String: Any])
                let hash = try #require(body["sha256"] as? String)
                #expect(read.headers[.eTag] == "\"\(hash)\"" && body["changes"] as? [String] == [])
                let stale = try await client.execute(uri: "\(base)/1/sign-off", method: .post, headers: [HTTPField.Name("If-Match")!: "\"0000\""])
                #expect(stale.status == .preconditionFailed)
                let signed = try await client.execute(uri: "\(base)/1/sign-off", method: .post, headers: [HTTPField.Name("If-Match")!: "\"\(hash)\""])
                #expect(signed.status == .ok, "\(signed.text)")
                let list = try await client.execute(uri: base, method: .get)
                let items = try #require((try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [String: Any])?["items"] as? [[String: Any]])
                #expect(items.first?["signedBy"] as? String != nil)
            }
        }
    }
}
