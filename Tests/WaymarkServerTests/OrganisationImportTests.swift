import Foundation
import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Importing the hierarchy from an ODS-style CSV (issue 13), on both backends: a preview that
/// writes nothing, an all-or-nothing apply audited once, every bad row listed by line, and the
/// same file twice changing nothing.
@Suite("Organisations: ODS import")
struct OrganisationImportTests {
    static let header = "Code,Name,Parent_Code,Level,Postcode,Open_Date,Close_Date\n"

    static func rejected(_ body: () async throws -> Void) async -> ImportRejected? {
        do { try await body() } catch let rejected as ImportRejected { return rejected } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    /// The audit entries of organisation imports (one per applied file).
    static func imports(_ app: TestApp) async throws -> [AuditRecord] {
        try await app.store.auditEntries(AuditQuery(entityType: "organisation", entityID: 0, limit: 50)).items
            .filter { $0.action == "import organisations" }
    }

    static func count(_ app: TestApp) async throws -> Int {
        try await app.store.organisationsByCode().count
    }

    @Test("a bad file lists every problem by line and writes nothing", arguments: Backend.testable)
    func badFile(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let user = try await app.accounts.actingUser(try await app.signIn(.nationalProgrammeOffice).user, origin: "tests")
            let sha = try #require(app.dataset.organisations.first { $0.kind == .sha })
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let before = try await Self.count(app)
            let file = Self.header + """
                ZZA,Loop A,ZZB,trust,,,
                ZZB,Loop B,ZZA,trust,,,
                ZZC,Orphan,NOPE,site,,,
                ZZC,Twice,\(trust.code),site,,,
                ZZD,Wrong level,\(sha.code),site,,,
                ZZE,Bad date,\(trust.code),site,,31/12/2004,
                \(trust.code),Trust as site,\(trust.code),site,,,
                """
            let closing = Self.header + "\(trust.code),\(trust.name),\(app.dataset.organisations.first { $0.id == trust.parentID }!.code),trust,,,2026-12-01\n"
            let busy = await Self.rejected { _ = try await service.applyImport(Data(closing.utf8), expectedFingerprint: nil, as: user) }
            #expect(busy?.problems.first?.message.contains("implementation project") == true, "a trust with projects cannot close")
            let problems = await Self.rejected { _ = try await service.previewImport(Data(file.utf8), as: user) }?.problems ?? []
            let byLine = Dictionary(grouping: problems, by: \.line).mapValues { $0.map(\.message).joined(separator: " ") }
            #expect(byLine[2]?.contains("loop of parents") == true && byLine[3]?.contains("loop of parents") == true)
            #expect(byLine[4]?.contains("Unknown parent 'NOPE'") == true)
            #expect(byLine[5]?.contains("also appears on line 4") == true)
            #expect(byLine[6]?.contains("sits under a trust") == true)
            #expect(byLine[7]?.contains("not a date") == true)
            #expect(byLine[8]?.contains("levels do not change") == true)
            let applied = await Self.rejected { _ = try await service.applyImport(Data(file.utf8), expectedFingerprint: nil, as: user) }
            #expect(applied?.problems.count == problems.count)
            #expect(try await Self.count(app) == before, "nothing was written")
            let missing = await Self.rejected { _ = try await service.previewImport(Data("Code,Name\nZZ1,X\n".utf8), as: user) }
            #expect(missing?.problems.first?.message.contains("'parent code', 'level'") == true)
        }
    }

    @Test("preview writes nothing; apply adds, renames and closes in one audited change; the same file again changes nothing",
          arguments: Backend.testable)
    func apply(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let user = try await app.accounts.actingUser(try await app.signIn(.nationalProgrammeOffice).user, origin: "tests")
            let sha = try #require(app.dataset.organisations.first { $0.kind == .sha })
            let file = Self.header + """
                ZZL01,Riverside LHC,\(sha.code),lhc,,20040401,
                ZZT01,Riverside NHS Trust,ZZL01,trust,ls1 3ex,2004-04-01,
                ZZS01,Riverside General Hospital,ZZT01,site,,,
                """
            let before = try await Self.count(app)
            let preview = try await service.previewImport(Data(file.utf8), as: user)
            #expect(preview.plan.additions.map(\.code) == ["ZZL01", "ZZT01", "ZZS01"])
            #expect(try await Self.count(app) == before, "a preview writes nothing")

            try await service.applyImport(Data(file.utf8), expectedFingerprint: preview.fingerprint, as: user)
            let stored = try await app.store.organisationsByCode()
            let lhc = try #require(stored["ZZL01"]), trust = try #require(stored["ZZT01"]), site = try #require(stored["ZZS01"])
            #expect(lhc.parentID == sha.id && trust.parentID == lhc.id && site.parentID == trust.id)
            #expect(site.ancestry == Ancestry(clusterID: sha.ancestry.clusterID, shaID: sha.id, lhcID: lhc.id, trustID: trust.id, siteID: site.id))
            #expect(lhc.openedOn == Day(iso: "2004-04-01") && trust.postcode == "LS1 3EX")
            let audits = try await Self.imports(app)
            #expect(audits.count == 1 && audits.first?.after?.contains("\"added\":3") == true)

            let again = try await service.applyImport(Data(file.utf8), expectedFingerprint: nil, as: user).plan
            #expect(again.isEmpty && again.unchanged == 3, "importing the same file twice changes nothing")
            #expect(try await Self.imports(app).count == 1)

            // A stale preview is refused; a later file renames and closes.
            let later = Self.header + """
                ZZL01,Riverside LHC,\(sha.code),lhc,,20040401,
                ZZT01,Riverside Teaching Hospitals NHS Trust,ZZL01,trust,LS1 3EX,2004-04-01,
                ZZS01,Riverside General Hospital,ZZT01,site,,,2026-12-01
                """
            let stale = try await service.previewImport(Data(later.utf8), as: user)
            _ = try await service.update(code: "ZZT01", OrganisationChange(postcode: "LS2 9JT", expectedVersion: trust.version), as: user)
            do {
                try await service.applyImport(Data(later.utf8), expectedFingerprint: stale.fingerprint, as: user)
                Issue.record("a stale preview was applied")
            } catch let error as ServiceError {
                #expect(error.kind == .conflict)
            }
            try await service.applyImport(Data(later.utf8), expectedFingerprint: nil, as: user)
            let after = try await app.store.organisationsByCode()
            #expect(after["ZZT01"]?.name == "Riverside Teaching Hospitals NHS Trust" && after["ZZT01"]?.postcode == "LS1 3EX")
            #expect(after["ZZS01"]?.closedOn == Day(iso: "2026-12-01"))
        }
    }

    @Test("only the national programme office imports: the file can touch every level", arguments: [Backend.sqlite])
    func nationalOnly(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let cluster = try await app.accounts.actingUser(try await app.signIn(.clusterProgrammeControls).user, origin: "tests")
            do {
                _ = try await service.previewImport(Data(Self.header.utf8), as: cluster)
                Issue.record("a cluster office imported")
            } catch let error as ServiceError {
                #expect(error.kind == .forbidden)
            }
        }
    }
}

/// The extract the demo seed and the benchmark import: what it writes, the import reads back.
@Suite("Organisations: ODS extract")
struct OrganisationExtractTests {
    @Test("an extract imports to the same organisations, with names that need quoting and each one's type; a later type change is a change")
    func roundTrip() async throws {
        try await TestApp.with(.sqlite) { app async throws in
            let service = OrganisationService(programme: app.service)
            let user = ActingUser.commandLine(origin: "tests")
            let lhc = try #require(app.dataset.organisations.first { $0.kind == .lhc })
            let trust = Organisation(id: -1, code: "RZX", name: "Quote \"and\", comma NHS Trust", kind: .trust, subtype: "acute trust",
                                     parentID: lhc.id, ancestry: Ancestry(), openedOn: Day(iso: "2005-04-01"))
            let site = Organisation(id: -2, code: "RZX01", name: "Hill Surgery, Northgate", kind: .site, subtype: "GP practice",
                                    parentID: -1, ancestry: Ancestry(), postcode: "NG1 1AA")
            let extract = OrganisationImport.extract([trust, site], parentCodes: [lhc.id: lhc.code])
            #expect(extract.hasPrefix("code,name,parent code,level,type,postcode,open date,close date\r\n"))
            _ = try await service.applyImport(Data(extract.utf8), expectedFingerprint: nil, as: user)
            let stored = try #require(try await app.store.organisation(code: "RZX01", scope: .national))
            #expect(stored.name == site.name && stored.subtype == "GP practice" && stored.postcode == "NG1 1AA")
            #expect(try await app.store.organisation(code: "RZX", scope: .national)?.name == trust.name)
            #expect(try await service.previewImport(Data(extract.utf8), as: user).plan.isEmpty, "the same extract again changes nothing")

            let retyped = extract.replacing("GP practice", with: "branch surgery")
            let change = try await service.previewImport(Data(retyped.utf8), as: user).plan
            #expect(change.changes.map(\.before.code) == ["RZX01"])
            _ = try await service.applyImport(Data(retyped.utf8), expectedFingerprint: nil, as: user)
            #expect(try await app.store.organisation(code: "RZX01", scope: .national)?.subtype == "branch surgery")
        }
    }
}
