import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Creating a DIP and importing its lines (issue 13), on both backends.
@Suite("DIPs: create for an LSP and year, import lines, link projects, agree")
struct DIPSetupTests {
    static func lineCount(_ app: TestApp) async throws -> Int64? {
        try await app.store.database.fetch("SELECT COUNT(*) AS n FROM dip_line", []).first?.int("n")
    }

    static func rejected(_ body: () async throws -> Void) async -> ImportRejected? {
        do { try await body() } catch let error as ImportRejected { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test("a draft DIP for a contracted LSP takes a CSV of lines all or nothing, each linked to its project; a line where the LSP holds no contract is refused with its line number; an agreed DIP takes no import",
          arguments: Backend.testable)
    func setUp(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = ChangeControlService(programme: app.service)
            let user = try await app.accounts.actingUser(try await app.signIn(.clusterProgrammeControls).user, origin: "tests")
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let lsp = try app.homeOrganisation(for: .supplierImplementer)
            let year = FinancialYear(startYear: FinancialYear(containing: TestApp.today).startYear + 1)
            let other = try #require(app.dataset.organisations.first { $0.supplierRole == .lsp && $0.id != lsp.id })
            let noContract = await OrganisationServiceTests.failure { _ = try await service.createDIP(clusterCode: cluster.code, supplierCode: other.code, year: year, as: user) }
            #expect(noContract?.errors.first?.message.contains("holds no contract") == true)
            let notLSP = await OrganisationServiceTests.failure { _ = try await service.createDIP(clusterCode: cluster.code, supplierCode: "SBTN", year: year, as: user) }
            #expect(notLSP?.errors.first?.field == "supplier")
            let dip = try await service.createDIP(clusterCode: cluster.code, supplierCode: lsp.code, year: year, as: user)
            #expect(dip.state == .draft && dip.supplierID == lsp.id && dip.year == year)
            let twice = await OrganisationServiceTests.serviceError { _ = try await service.createDIP(clusterCode: cluster.code, supplierCode: lsp.code, year: year, as: user) }
            #expect(twice?.kind == .conflict)

            let crs = try #require(app.dataset.projects.first { $0.ancestry.clusterID == cluster.id && $0.productCode == "CRS" && $0.supplierID == lsp.id })
            let crsSite = try #require(app.dataset.organisations.first { $0.id == crs.organisationID })
            let espContract = try #require(app.dataset.contracts.first { c in
                c.depth == 5 && app.dataset.organisations.first { $0.id == c.organisationID }?.ancestry.clusterID == cluster.id
            })
            let espSite = try #require(app.dataset.organisations.first { $0.id == espContract.organisationID })
            let outside = try #require(app.dataset.organisations.first { $0.kind == .site && $0.ancestry.clusterID != cluster.id })
            let due = year.start.adding(days: 60).iso
            let before = try await Self.lineCount(app)
            let bad = "product,site,implementation,due date\nCRS,\(crsSite.code),new-service,\(due)\nCAB,\(espSite.code),new-service,\(due)\nCRS,\(outside.code),upgrade,\(due)\nCRS,\(crsSite.code),rebuild,\(due)\n"
            let problems = await Self.rejected { _ = try await service.importDIPLines(organisationCode: cluster.code, dipID: dip.id, Data(bad.utf8), apply: true, as: user) }
            #expect(problems?.problems.map(\.line) == [3, 4, 5])
            #expect(problems?.problems.first?.message.contains("not contracted to deliver CAB") == true)
            let header = await Self.rejected { _ = try await service.importDIPLines(organisationCode: cluster.code, dipID: dip.id, Data("product,site\nCRS,X\n".utf8), apply: true, as: user) }
            #expect(header?.problems.first?.message.contains("implementation, due date") == true)
            #expect(try await Self.lineCount(app) == before, "nothing was written")

            let good = "product,site,implementation,due date,due milestone\nCRS,\(crsSite.code),new-service,\(due),\nPACS,\(crsSite.code),new-service,\(due),initiation-completed\n"
            let dry = try await service.importDIPLines(organisationCode: cluster.code, dipID: dip.id, Data(good.utf8), apply: false, as: user)
            #expect(dry.count == 2 && dry[0].projects.map(\.code) == [crs.code] && dry[1].projects.isEmpty)
            #expect(try await Self.lineCount(app) == before)
            let saved = try await service.importDIPLines(organisationCode: cluster.code, dipID: dip.id, Data(good.utf8), apply: true, as: user)
            #expect(saved.map(\.number) == [1, 2] && saved[1].dueMilestone == .initiationCompleted)
            #expect(try await Self.lineCount(app) == before.map { $0 + 2 })

            let current = try #require(try await app.store.dip(id: dip.id, scope: .national))
            try await service.agree(organisationCode: cluster.code, dipID: dip.id, expectedVersion: current.version, as: user)
            let agreed = await OrganisationServiceTests.serviceError {
                _ = try await service.importDIPLines(organisationCode: cluster.code, dipID: dip.id, Data(good.utf8), apply: true, as: user)
            }
            #expect(agreed?.kind == .conflict && agreed?.message.contains("approved Change Control Note") == true)
        }
    }
}

/// The DIP set-up page: create a draft, then import its lines from a file.
@Suite("DIP set-up in the web app")
struct DIPSetupPageTests {
    @Test("the cluster office creates a draft DIP, then checks and imports a file of lines; a bad file lists its lines and adds nothing",
          arguments: Backend.testable)
    func page(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let lsp = try app.homeOrganisation(for: .supplierImplementer)
            let crs = try #require(app.dataset.projects.first { $0.ancestry.clusterID == cluster.id && $0.productCode == "CRS" && $0.supplierID == lsp.id })
            let site = try #require(app.dataset.organisations.first { $0.id == crs.organisationID })
            let year = FinancialYear(startYear: FinancialYear(containing: TestApp.today).startYear + 1)
            try await app.test(as: .clusterProgrammeControls) { client async throws in
                let page = try await client.execute(uri: "/organisations/\(cluster.code)/dip-setup", method: .get)
                #expect(page.status == .ok && page.text.contains("Create a DIP"))
                let form = try FormSession(page)
                let created = try await client.execute(uri: "/organisations/\(cluster.code)/dip-setup/create", method: .post, headers: form.headers(),
                                                       body: form.body([("supplier", lsp.code), ("year", year.label)]))
                #expect(created.status == .seeOther)
                let dipID = try #require(created.headers[.location]?.split(separator: "/").last.flatMap { Int64($0) })
                func upload(_ csv: String, check: Bool) async throws -> TestResponse {
                    let boundary = "dipsetup"
                    var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(form.token)\r\n"
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"dip\"\r\n\r\n\(dipID)\r\n"
                    if check { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"check\"\r\n\r\n1\r\n" }
                    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"dip.csv\"\r\nContent-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
                    var headers = form.headers()
                    headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
                    return try await client.execute(uri: "/organisations/\(cluster.code)/dip-setup/import", method: .post, headers: headers, body: ByteBuffer(string: body))
                }
                let due = year.start.adding(days: 30).iso
                let bad = try await upload("product,site,implementation,due date\nCRS,\(site.code),sideways,\(due)\n", check: false)
                #expect(bad.status == .unprocessableContent && bad.text.contains("Line 2") && bad.text.contains("new-service, replacement or upgrade"))
                let good = "product,site,implementation,due date\nCRS,\(site.code),new-service,\(due)\n"
                let before = try await DIPSetupTests.lineCount(app)
                let checked = try await upload(good, check: true)
                #expect(checked.status == .ok && checked.text.contains("The file is good") && checked.text.contains("1 linked"))
                #expect(try await DIPSetupTests.lineCount(app) == before, "checking writes nothing")
                let added = try await upload(good, check: false)
                #expect(added.status == .ok && added.text.contains("Added 1 line"))
                #expect(try await DIPSetupTests.lineCount(app) == before.map { $0 + 1 })
            }
        }
    }
}
