import Testing
import WaymarkCore

/// Who may give which role where, and the user import planner (issue 13), pure.
@Suite("User rules")
struct UserRulesTests {
    static let national = Organisation(id: 1, code: "NPO", name: "National Programme", kind: .national, parentID: nil, ancestry: Ancestry())
    static let sha = Organisation(id: 3, code: "Q01", name: "North SHA", kind: .sha, parentID: 2, ancestry: Ancestry(clusterID: 2, shaID: 3))
    static let trust = Organisation(id: 5, code: "RR8", name: "Leeds Trust", kind: .trust, parentID: 4,
                                    ancestry: Ancestry(clusterID: 2, shaID: 3, lhcID: 4, trustID: 5))
    static let otherTrust = Organisation(id: 9, code: "RAE", name: "Bradford Trust", kind: .trust, parentID: 8,
                                         ancestry: Ancestry(clusterID: 2, shaID: 7, lhcID: 8, trustID: 9))
    static let admin = UserRules.Grantor(grants: Role.systemAdministrator.activities, scope: .national)
    /// No such role exists today: an SHA-level administrator, to show the rule is scope-aware.
    static let localAdmin = UserRules.Grantor(grants: [.viewRecords, .exportRecords, .manageUsers], scope: .subtree(kind: .sha, id: 3))

    @Test("a national system administrator gives any role, system administrator included")
    func national() {
        for role in Role.allCases { #expect(UserRules.grantProblem(role, at: Self.trust, by: Self.admin) == nil, "\(role)") }
        #expect(UserRules.grantableRoles(by: Self.admin) == Role.allCases)
    }

    @Test("rights over users pass only to someone holding every right of the role: a narrowed token cannot make an administrator")
    func escalation() {
        let writeOnly = UserRules.Grantor(grants: [.manageUsers], scope: .national)
        #expect(UserRules.grantProblem(.systemAdministrator, at: Self.national, by: writeOnly)?.contains("viewRecords, viewAudit") == true)
        #expect(UserRules.grantProblem(.trustProjectManager, at: Self.trust, by: writeOnly) == nil)
        #expect(!UserRules.grantableRoles(by: writeOnly).contains(.systemAdministrator))
    }

    @Test("a local administrator gives only roles within their own rights, only within their own subtree")
    func local() {
        #expect(UserRules.grantProblem(.trustProjectManager, at: Self.trust, by: Self.localAdmin)?.contains("recordMilestones") == true)
        #expect(UserRules.grantProblem(.auditor, at: Self.trust, by: Self.localAdmin)?.contains("viewAudit") == true)
        #expect(UserRules.grantProblem(.auditor, at: Self.otherTrust, by: Self.localAdmin)?.contains("outside") == true)
        #expect(UserRules.grantableRoles(by: Self.localAdmin).isEmpty, "every role today carries more than this")
        let nobody = UserRules.Grantor(grants: Role.nationalProgrammeOffice.activities, scope: .national)
        #expect(UserRules.grantProblem(.auditor, at: Self.national, by: nobody) == "Only a system administrator can manage users.")
    }

    @Test("a role belongs at its own level and at an open organisation; the pages' addresses are not usernames")
    func levels() {
        #expect(UserRules.levelProblem(.trustProjectManager, at: Self.trust) == nil)
        #expect(UserRules.levelProblem(.trustProjectManager, at: Self.sha)?.contains("belongs at a local health community or trust") == true)
        #expect(UserRules.levelProblem(.trustProjectManager, at: Self.sha)?.contains("Q01 is a strategic health authority") == true)
        var closed = Self.trust
        closed.closedOn = Day(iso: "2020-01-01")
        #expect(UserRules.levelProblem(.trustProjectManager, at: closed)?.contains("closed") == true)
        #expect(UserRules.newUsername("Pat.Manager") == "pat.manager")
        #expect(UserRules.newUsername("import") == nil && UserRules.newUsername("new") == nil)
        #expect(UserRules.role("Trust project manager") == .trustProjectManager && UserRules.role("auditor") == .auditor)
    }

    @Test("the import planner lists every bad row by line and adds no one when any row is bad")
    func importPlan() {
        let organisations = ["NPO": Self.national, "Q01": Self.sha, "RR8": Self.trust, "RAE": Self.otherTrust]
        func plan(_ rows: [String], by grantor: UserRules.Grantor = Self.admin) -> UserImport.Plan {
            UserImport.plan(rows.enumerated().map { ($0.offset + 1, $0.element.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) },
                            organisations: organisations, taken: ["taken"], grantor: grantor)
        }
        let missing = plan(["username,name,organisation", "pat,Pat,RR8"])
        #expect(missing.problems.first?.message.contains("no 'role' column") == true)
        let bad = plan(["Username,Name,Role,Organisation", "pat,Pat,trust-project-manager,RR8", "pat,Pat Again,auditor,NPO",
                        "sam,Sam,auditor,NOPE", "taken,T,auditor,NPO", "kim,Kim,trust-project-manager,Q01", "lee,Lee,wizard,RR8"])
        let byLine = Dictionary(grouping: bad.problems, by: \.line).mapValues { $0.map(\.message).joined(separator: " ") }
        #expect(byLine[2] == nil && byLine[3]?.contains("also appears on line 2") == true)
        #expect(byLine[4]?.contains("Unknown organisation 'NOPE'") == true && byLine[5]?.contains("is taken") == true)
        #expect(byLine[6]?.contains("belongs at a") == true && byLine[7]?.contains("Unknown role 'wizard'") == true)
        #expect(bad.additions.isEmpty, "all or nothing")
        let escalating = plan(["username,name,role,organisation", "ann,Ann,trust-project-manager,RR8", "bob,Bob,trust-project-manager,RAE"], by: Self.localAdmin)
        #expect(escalating.problems.map(\.line) == [2, 3])
        #expect(escalating.problems[0].message.contains("rights you do not hold") && escalating.problems[1].message.contains("Unknown organisation"))
        let good = plan(["username,name,role,organisation", "Ann.Lee,Ann Lee,Trust project manager,rr8", "", "bob,Bob,auditor,NPO"])
        #expect(good.problems.isEmpty && good.additions.map(\.username) == ["ann.lee", "bob"] && good.additions[0].role == .trustProjectManager)
    }
}
