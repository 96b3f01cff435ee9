import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

/// Keeping the programme's organisations (issue 13), on both backends: each refusal says why
/// and changes nothing; each change is audited; a move carries the subtree's records with it.
@Suite("Organisations: add, edit, move, close")
struct OrganisationServiceTests {
    static func npo(_ app: TestApp) async throws -> ActingUser {
        try await app.accounts.actingUser(try await app.signIn(.nationalProgrammeOffice).user, origin: "tests")
    }

    static func failure(_ body: () async throws -> Void) async -> ValidationFailure? {
        do { try await body() } catch let failure as ValidationFailure { return failure } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    static func serviceError(_ body: () async throws -> Void) async -> ServiceError? {
        do { try await body() } catch let error as ServiceError { return error } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    @Test("adding: a wrong-level parent, a taken code, a bad code or postcode are refused and add nothing; a good site is added under its trust and audited",
          arguments: Backend.testable)
    func add(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let user = try await Self.npo(app)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let sha = try #require(app.dataset.organisations.first { $0.id == trust.ancestry.shaID })
            let existing = try #require(app.dataset.organisations.first { $0.kind == .site })
            let before = try await app.store.organisations(OrganisationQuery(scope: .national, limit: 500)).items.count
            for (change, field, fragment) in [
                (OrganisationChange(code: "ZZ901", name: "New practice", kind: "site", parent: sha.code), "parent", "sits under a trust"),
                (OrganisationChange(code: existing.code, name: "Copy", kind: "site", parent: trust.code), "code", "already an organisation's code"),
                (OrganisationChange(code: "not a code!", name: "X", kind: "site", parent: trust.code), "code", "ODS code"),
                (OrganisationChange(code: "ZZ902", name: "X", kind: "site", parent: trust.code, postcode: "nowhere"), "postcode", "UK postcode"),
                (OrganisationChange(code: "ZZ903", name: "X", kind: "galaxy", parent: trust.code), "kind", "Choose the level"),
                (OrganisationChange(code: "ZZ904", name: " ", kind: "site", parent: trust.code), "name", "name"),
            ] {
                let refused = await Self.failure { _ = try await service.create(change, as: user) }
                #expect(refused?.errors.contains { $0.field == field && $0.message.contains(fragment) } == true, "\(change): \(String(describing: refused))")
            }
            #expect(try await app.store.organisations(OrganisationQuery(scope: .national, limit: 500)).items.count == before)

            let added = try await service.create(OrganisationChange(code: "zz905", name: "Moor Lane Surgery", kind: "site", subtype: "GP practice",
                                                                    parent: trust.code, postcode: "ls1 3ex", openedOn: "2005-04-01"), as: user)
            #expect(added.code == "ZZ905" && added.postcode == "LS1 3EX" && added.openedOn == Day(iso: "2005-04-01"))
            #expect(added.parentID == trust.id && added.ancestry == trust.ancestry.extended(with: added.id, kind: .site))
            let stored = try await app.store.organisation(code: "ZZ905", scope: .national)
            #expect(stored == added)
            let audit = try await app.store.auditEntries(entityType: "organisation", entityID: added.id, limit: 5)
            #expect(audit.map(\.action) == ["add organisation"])
        }
    }

    @Test("closing: refused with projects below it or an open child, or at a stale version; a leaf closes, keeps its history and is audited",
          arguments: Backend.testable)
    func close(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let user = try await Self.npo(app)
            let trust = try app.homeOrganisation(for: .trustProjectManager)
            let busy = await Self.serviceError { _ = try await service.close(code: trust.code, on: nil, expectedVersion: trust.version, as: user) }
            #expect(busy?.kind == .conflict && busy?.message.contains("implementation project") == true)

            let leaf = try await service.create(OrganisationChange(code: "ZZ910", name: "Closing clinic", kind: "site", parent: trust.code), as: user)
            let stale = await Self.serviceError { _ = try await service.close(code: leaf.code, on: nil, expectedVersion: leaf.version + 1, as: user) }
            #expect(stale?.kind == .staleVersion)
            let missing = await Self.serviceError { _ = try await service.close(code: leaf.code, on: nil, expectedVersion: nil, as: user) }
            #expect(missing?.kind == .versionRequired)
            #expect(try await app.store.organisation(code: leaf.code, scope: .national)?.closedOn == nil)

            let closed = try await service.close(code: leaf.code, on: Day(iso: "2026-12-01"), expectedVersion: leaf.version, as: user)
            #expect(closed.closedOn == Day(iso: "2026-12-01") && closed.version == leaf.version + 1)
            #expect(try await app.store.organisation(code: leaf.code, scope: .national)?.closedOn == Day(iso: "2026-12-01"), "kept, not deleted")
            let again = await Self.serviceError { _ = try await service.close(code: leaf.code, on: nil, expectedVersion: closed.version, as: user) }
            #expect(again?.kind == .conflict)
            let under = await Self.failure {
                _ = try await service.create(OrganisationChange(code: "ZZ911", name: "X", kind: "site", parent: trust.code), as: user)
            }
            #expect(under == nil, "the trust is still open")
            let audit = try await app.store.auditEntries(entityType: "organisation", entityID: leaf.id, limit: 5)
            #expect(audit.map(\.action).sorted() == ["add organisation", "close organisation"])
        }
    }

    @Test("moving a site to another trust carries its projects and registers; the wrong level and a stale version are refused",
          arguments: Backend.testable)
    func move(backend: Backend) async throws {
        try await TestApp.with(backend) { app in
            let service = OrganisationService(programme: app.service)
            let user = try await Self.npo(app)
            // A site whose project has a register entry, so the register's move is seen.
            let item = try #require(app.dataset.tracking.first { $0.owner.projectID != nil && $0.owner.ancestry.siteID != nil })
            let project = try #require(app.dataset.projects.first { $0.id == item.owner.projectID })
            let site = try #require(app.dataset.organisations.first { $0.id == project.ancestry.siteID })
            let otherTrust = try #require(app.dataset.organisations.first {
                $0.kind == .trust && $0.id != site.ancestry.trustID && $0.ancestry.clusterID != site.ancestry.clusterID
            })
            let sha = try #require(app.dataset.organisations.first { $0.kind == .sha })
            let wrong = await Self.failure { _ = try await service.move(code: site.code, to: sha.code, expectedVersion: site.version, as: user) }
            #expect(wrong?.errors.first?.field == "parent")
            let stale = await Self.serviceError { _ = try await service.move(code: site.code, to: otherTrust.code, expectedVersion: 99, as: user) }
            #expect(stale?.kind == .staleVersion)
            #expect(try await app.store.organisation(code: site.code, scope: .national)?.parentID == site.parentID)

            let moved = try await service.move(code: site.code, to: otherTrust.code, expectedVersion: site.version, as: user)
            let expected = otherTrust.ancestry.extended(with: site.id, kind: .site)
            #expect(moved.parentID == otherTrust.id && moved.ancestry == expected)
            #expect(try await app.store.organisation(code: site.code, scope: .national)?.ancestry == expected)
            let listing = try #require(try await app.store.project(code: project.code, scope: .national))
            #expect(listing.project.ancestry == expected, "the project follows its site")
            // The new trust's subtree now holds the project; the old one's does not.
            #expect(try await app.store.project(code: project.code, scope: .subtree(kind: .trust, id: otherTrust.id)) != nil)
            #expect(try await app.store.project(code: project.code, scope: .subtree(kind: .trust, id: site.ancestry.trustID!)) == nil)
            let entry = try #require(try await app.store.trackingItem(id: item.id, scope: .national))
            #expect(entry.owner.ancestry == expected, "its register entries follow too")
            #expect(try await app.store.trackingItem(id: item.id, scope: .subtree(kind: .trust, id: otherTrust.id)) != nil)
        }
    }
}
