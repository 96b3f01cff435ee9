import Testing
import WaymarkCore

@Suite("Roles and scopes")
struct AccessTests {
    static let dataset: ProgrammeDataset = {
        var generator = ProgrammeGenerator(scale: .demo, today: Day(iso: "2026-11-24")!)
        return generator.generate()
    }()

    static func first(_ kind: OrganisationKind, where predicate: (Organisation) -> Bool = { _ in true }) -> Organisation {
        dataset.organisations.first { $0.kind == kind && predicate($0) }!
    }

    @Test("deny by default: each role permits only its listed activities")
    func activities() {
        #expect(Role.auditor.permits(.viewAudit))
        #expect(!Role.auditor.permits(.recordMilestones))
        #expect(!Role.projectBoardMember.permits(.recordMilestones))
        #expect(Role.trustProjectManager.permits(.recordMilestones))
        #expect(!Role.trustProjectManager.permits(.viewAudit))
        #expect(Role.supplierImplementer.permits(.recordMilestones))
        #expect(!Role.supplierImplementer.permits(.manageUsers))
        #expect(Role.systemAdministrator.permits(.manageUsers))
        #expect(!Role.systemAdministrator.permits(.recordMilestones))
        for role in Role.allCases where role != .systemAdministrator { #expect(!role.permits(.manageUsers)) }
        for role in Role.allCases { #expect(role.permits(.viewRecords)) }
    }

    @Test("a role at an organisation it does not belong to has no scope")
    func misplacedRoles() {
        #expect(AccessScope.of(role: .supplierImplementer, at: Self.first(.trust)) == nil)
        #expect(AccessScope.of(role: .trustProjectManager, at: Self.first(.supplier)) == nil)
        #expect(AccessScope.of(role: .nationalProgrammeOffice, at: Self.first(.cluster)) == nil)
        #expect(AccessScope.of(role: .shaProgrammeOffice, at: Self.first(.trust)) == nil)
    }

    @Test("trust, SHA and cluster staff see exactly their subtree; the national office sees all",
          arguments: [(Role.trustProjectManager, OrganisationKind.trust), (.shaProgrammeOffice, .sha),
                      (.clusterProgrammeControls, .cluster), (.nationalProgrammeOffice, .national)])
    func subtree(role: Role, kind: OrganisationKind) throws {
        let home = Self.first(kind)
        let scope = try #require(AccessScope.of(role: role, at: home))
        for project in Self.dataset.projects {
            let inside = kind == .national || project.ancestry.id(at: kind) == home.id
            #expect(scope.covers(project) == inside, "\(project.code)")
        }
        let sibling = Self.dataset.organisations.first { $0.kind == kind && $0.id != home.id }
        if let sibling, kind != .national { #expect(!scope.covers(sibling)) }
        #expect(scope.covers(home))
    }

    @Test("suppliers see only the projects they are contracted to deliver")
    func supplier() throws {
        let emis = Self.first(.supplier) { $0.code == "SEMI" }
        let scope = try #require(AccessScope.of(role: .supplierImplementer, at: emis))
        let theirs = Self.dataset.projects.filter { $0.supplierID == emis.id }
        #expect(!theirs.isEmpty)
        for project in Self.dataset.projects { #expect(scope.covers(project) == (project.supplierID == emis.id)) }
        let contracted = Set(Self.dataset.contracts.filter { $0.supplierID == emis.id }.map(\.organisationID))
        let site = try #require(Self.dataset.organisations.first { contracted.contains($0.id) })
        let other = try #require(Self.dataset.organisations.first { $0.kind == .site && !contracted.contains($0.id) })
        #expect(scope.covers(site, contractedOrganisationIDs: contracted))
        #expect(!scope.covers(other, contractedOrganisationIDs: contracted))
    }
}
