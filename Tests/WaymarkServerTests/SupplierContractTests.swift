import Testing
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Supplier contracts (issue 13), on both backends: refusals say why and write nothing; a
/// handover is one dated change, and each side's staff see the right projects before and after.
@Suite("Supplier contracts: who delivers what, where and when")
struct SupplierContractTests {
    static func user(_ app: TestApp, _ role: Role = .nationalProgrammeOffice) async throws -> ActingUser {
        try await app.accounts.actingUser(try await app.signIn(role).user, origin: "tests")
    }

    static func supplierOf(_ code: String, _ app: TestApp) async throws -> Int64? {
        try await app.store.project(code: code, scope: .national)?.project.supplierID
    }

    static func sees(_ supplier: Organisation, _ code: String, _ app: TestApp) async throws -> Bool {
        try await app.store.project(code: code, scope: .supplier(id: supplier.id)) != nil
    }

    static func copies(of projectID: Int64, _ app: TestApp) async throws -> Set<Int64> {
        Set(try await app.store.database.fetch(
            "SELECT supplier_id FROM tracking_item WHERE project_id = ? UNION SELECT supplier_id FROM lesson WHERE project_id = ?",
            [.integer(projectID), .integer(projectID)]).compactMap { $0.optionalInt("supplier_id") })
    }

    /// Contracts, and a fingerprint of every project's supplier, and changes audited (refusals aside).
    static func counts(_ app: TestApp) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for (name, sql) in [("contracts", "SELECT COUNT(*) AS n FROM supplier_contract"),
                            ("products", "SELECT COUNT(*) AS n FROM supplier_contract_product"),
                            ("suppliers", "SELECT SUM(COALESCE(supplier_id, 0) * (id % 97)) AS n FROM project"),
                            ("changes", "SELECT COUNT(*) AS n FROM audit_entry WHERE action NOT LIKE 'denied%' AND entity_type IN ('supplier_contract', 'project', 'organisation')")] {
            counts[name] = try await app.store.database.fetch(sql, []).first?.int("n")
        }
        return counts
    }

    @Test("a handover from one LSP to another takes effect on its day: before it the old LSP's staff see the cluster's projects, after it the new one's do, and the projects' records follow",
          arguments: Backend.testable)
    func handover(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let npo = try await Self.user(app)
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let oldLSP = try app.homeOrganisation(for: .supplierImplementer)
            let newLSP = try #require(app.dataset.organisations.first { $0.supplierRole == .lsp && $0.id != oldLSP.id })
            let tracked = Set(app.dataset.tracking.compactMap(\.owner.projectID))
            let project = try #require(app.dataset.projects.first {
                $0.ancestry.clusterID == cluster.id && $0.productCode == "CRS" && $0.supplierID == oldLSP.id && tracked.contains($0.id)
            })
            let contract = try #require(app.dataset.contracts.first { $0.organisationID == cluster.id && $0.supplierID == oldLSP.id })
            let handoverDay = TestApp.today.adding(days: 10)
            let service = SupplierContractService(programme: app.service)
            let (ended, started) = try await service.handover(
                reference: contract.reference, at: cluster.code,
                SupplierHandover(supplier: newLSP.code, on: handoverDay.iso, reference: "LSP-HANDOVER-1", expectedVersion: contract.version), as: npo)
            #expect(ended.contract.endsOn == handoverDay.adding(days: -1) && started.contract.startsOn == handoverDay)
            #expect(started.contract.products == contract.products && started.supplier.id == newLSP.id && !started.inForce)

            // Before the day: nothing has moved.
            #expect(try await Self.supplierOf(project.code, app) == oldLSP.id)
            #expect(try await Self.sees(oldLSP, project.code, app))
            #expect(try await !Self.sees(newLSP, project.code, app))

            // The first request of the handover day brings every covered project across.
            let later = ProgrammeService(store: app.store, clock: .fixed(handoverDay))
            try await ContractsInForce().bringUpToDate(store: app.store, clock: later.clock)
            #expect(try await Self.supplierOf(project.code, app) == newLSP.id)
            #expect(try await !Self.sees(oldLSP, project.code, app))
            #expect(try await Self.sees(newLSP, project.code, app))
            #expect(try await Self.copies(of: project.id, app) == [newLSP.id], "its risks, issues and lessons follow it")
            let others = app.dataset.projects.filter { $0.ancestry.clusterID != cluster.id && $0.supplierID == oldLSP.id }
            for other in others.prefix(3) { #expect(try await Self.supplierOf(other.code, app) == oldLSP.id, "outside the cluster nothing moves") }
            let audit = try await app.store.auditEntries(entityType: "supplier_contract", entityID: started.contract.id, limit: 5)
                + app.store.auditEntries(entityType: "supplier_contract", entityID: contract.id, limit: 5)
            #expect(Set(audit.map(\.action)).isSuperset(of: ["hand over supplier contract", "contracts took effect"]))
        }
    }

    @Test("refused, writing nothing: an overlapping contract, an LSP at a trust, a product the supplier does not deliver, an unknown supplier, a handover in the past, a stale version; out of scope is not found",
          arguments: Backend.testable)
    func refusals(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let npo = try await Self.user(app)
            let service = SupplierContractService(programme: app.service)
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let oldLSP = try app.homeOrganisation(for: .supplierImplementer)
            let otherLSP = try #require(app.dataset.organisations.first { $0.supplierRole == .lsp && $0.id != oldLSP.id })
            let contract = try #require(app.dataset.contracts.first { $0.organisationID == cluster.id })
            let before = try await Self.counts(app)
            for (input, field, fragment) in [
                (NewSupplierContract(reference: "X1", supplier: otherLSP.code, organisation: cluster.code, products: ["CRS"], startsOn: "2027-01-01"),
                 "products", "already covers CRS"),
                (NewSupplierContract(reference: "X2", supplier: otherLSP.code, organisation: trust.code, products: ["CRS"], startsOn: "2027-01-01"),
                 "organisation", "contracts for a Cluster"),
                (NewSupplierContract(reference: "X3", supplier: "SBTN", organisation: app.dataset.organisations[0].code, products: ["CRS"],
                                     startsOn: "2027-01-01"), "products", "does not deliver"),
                (NewSupplierContract(reference: "X4", supplier: "NOPE", organisation: cluster.code, products: ["CRS"], startsOn: "2027-01-01"),
                 "supplier", "No supplier"),
                (NewSupplierContract(reference: "X5", supplier: otherLSP.code, organisation: cluster.code, products: ["CRS"], startsOn: "soon"),
                 "startsOn", "YYYY-MM-DD"),
            ] {
                let refused = await OrganisationServiceTests.failure { _ = try await service.create(input, as: npo) }
                #expect(refused?.errors.contains { $0.field == field && $0.message.contains(fragment) } == true, "\(input): \(String(describing: refused))")
            }
            let past = await OrganisationServiceTests.failure {
                _ = try await service.handover(reference: contract.reference, at: cluster.code, SupplierHandover(
                    supplier: otherLSP.code, on: TestApp.today.adding(days: -3).iso, reference: "X6", expectedVersion: contract.version), as: npo)
            }
            #expect(past?.errors.contains { $0.field == "on" && $0.message.contains("has passed") } == true)
            let stale = await OrganisationServiceTests.serviceError {
                _ = try await service.handover(reference: contract.reference, at: cluster.code, SupplierHandover(
                    supplier: otherLSP.code, on: TestApp.today.adding(days: 3).iso, reference: "X7", expectedVersion: contract.version + 1), as: npo)
            }
            #expect(stale?.kind == .staleVersion)
            // Another cluster's controls staff cannot see this contract at all.
            let elsewhere = try #require(app.dataset.organisations.first { $0.kind == .cluster && $0.id != cluster.id })
            let outsider = try await app.accounts.actingUser(try await app.signIn(.clusterProgrammeControls, at: elsewhere).user, origin: "tests")
            let hidden = await OrganisationServiceTests.serviceError {
                _ = try await service.end(reference: contract.reference, at: cluster.code, on: TestApp.today.iso, expectedVersion: contract.version, as: outsider)
            }
            #expect(hidden?.kind == .notFound)
            #expect(try await Self.counts(app) == before)
            #expect(try await app.store.contract(reference: contract.reference) == contract)
        }
    }
}

/// The same contracts over the pages and the API.
@Suite("Supplier contracts in the web app and the API")
struct SupplierContractHTTPTests {
    @Test("the cluster office sees its contracts, hands one over on the page (a bad supplier comes back beside its field), and the API lists, adds and ends with If-Match",
          arguments: Backend.testable)
    func pagesAndAPI(backend: Backend) async throws {
        try await TestApp.with(backend) { app async throws in
            let cluster = try app.homeOrganisation(for: .clusterProgrammeControls)
            let lsp = try app.homeOrganisation(for: .supplierImplementer)
            let contract = try #require(app.dataset.contracts.first { $0.organisationID == cluster.id })
            let other = try #require(app.dataset.organisations.first { $0.supplierRole == .lsp && $0.id != lsp.id })
            try await app.test(as: .clusterProgrammeControls) { client async throws in
                let base = "/organisations/\(cluster.code)/contracts"
                let page = try await client.execute(uri: base, method: .get)
                #expect(page.status == .ok && page.text.contains(contract.reference) && page.text.contains("Hand over"))
                let form = try FormSession(page)
                let action = "\(base)/\(contract.reference)/handover"
                let refused = try await client.execute(uri: action, method: .post, headers: form.headers(), body: form.body(
                    [("supplier", "NOBODY"), ("on", TestApp.today.adding(days: 30).iso), ("reference", "HANDED-1"), ("version", "\(contract.version)")], token: nil))
                #expect(refused.status == .unprocessableContent && refused.text.contains("No supplier has the code") && refused.text.contains("aria-invalid"))
                #expect(try await app.store.contract(reference: "HANDED-1") == nil)
                let handed = try await client.execute(uri: action, method: .post, headers: form.headers(), body: form.body(
                    [("supplier", other.code), ("on", TestApp.today.adding(days: 30).iso), ("reference", "HANDED-1"), ("version", "\(contract.version)")], token: nil))
                #expect(handed.status == .seeOther && handed.headers[.location] == "\(base)?saved=handover")
                #expect(try await app.store.contract(reference: "HANDED-1")?.supplierID == other.id)
            }
            try await app.test(as: .nationalProgrammeOffice) { client async throws in
                let list = try await client.execute(uri: "/api/v1/organisations/\(cluster.code)/contracts", method: .get, headers: OrganisationHTTPTests.json)
                #expect(list.status == .ok && list.text.contains("\"reference\":\"HANDED-1\""))
                let national = app.dataset.organisations[0]
                let created = try await client.execute(uri: "/api/v1/organisations/\(national.code)/contracts", method: .post, headers: OrganisationHTTPTests.json,
                    body: ByteBuffer(string: #"{"reference": "SBTN-N3-2030", "supplier": "SBTN", "products": ["N3"], "startsOn": "2030-01-01"}"#))
                #expect(created.status == .unprocessableContent && created.text.contains("already covers N3"), "the national N3 contract is open-ended")
                let end = "/api/v1/organisations/\(cluster.code)/contracts/HANDED-1/end"
                let unversioned = try await client.execute(uri: end, method: .post, headers: OrganisationHTTPTests.json,
                                                           body: ByteBuffer(string: #"{"endsOn": "2031-03-31"}"#))
                #expect(unversioned.status == .preconditionRequired)
                var headers = OrganisationHTTPTests.json
                headers[HTTPField.Name("If-Match")!] = "\"1\""
                let ended = try await client.execute(uri: end, method: .post, headers: headers, body: ByteBuffer(string: #"{"endsOn": "2031-03-31"}"#))
                #expect(ended.status == .ok && ended.text.contains("\"endsOn\":\"2031-03-31\"") && ended.headers[.eTag] == "\"2\"")
            }
        }
    }
}
