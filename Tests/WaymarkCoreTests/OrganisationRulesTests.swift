import Testing
import WaymarkCore

/// Organisation rules and the import planner (issue 13), pure.
@Suite("Organisation rules")
struct OrganisationRulesTests {
    @Test("codes are ODS-style and upper-cased; postcodes take their usual written form")
    func normalising() {
        #expect(OrganisationRules.normalisedCode(" rr8 ") == "RR8")
        #expect(OrganisationRules.normalisedCode("B86001") == "B86001")
        for bad in ["", "R", "-RR8", "RR 8", "ABCDEFGHIJKLM", "R&D"] { #expect(OrganisationRules.normalisedCode(bad) == nil, "\(bad)") }
        #expect(OrganisationRules.normalisedPostcode("ls13ex") == "LS1 3EX")
        #expect(OrganisationRules.normalisedPostcode("SW1A 2AA") == "SW1A 2AA")
        for bad in ["", "LS1", "12345", "LS1 EX3", "LS1-3EX"] { #expect(OrganisationRules.normalisedPostcode(bad) == nil, "\(bad)") }
    }

    @Test("each level sits under the one above it; suppliers and the national programme have no parent")
    func levels() {
        let cluster = Organisation(id: 2, code: "CNE", name: "North East", kind: .cluster, parentID: 1, ancestry: Ancestry(clusterID: 2))
        let sha = Organisation(id: 3, code: "Q01", name: "An SHA", kind: .sha, parentID: 2, ancestry: Ancestry(clusterID: 2, shaID: 3))
        var site = Organisation(id: 9, code: "ZZ1", name: "Clinic", kind: .site, parentID: nil, ancestry: Ancestry())
        #expect(OrganisationRules.check(site, parent: sha).map(\.field) == ["parent"])
        #expect(OrganisationRules.check(site, parent: nil).map(\.field) == ["parent"])
        let lhc = Organisation(id: 4, code: "ZZL", name: "An LHC", kind: .lhc, parentID: 3, ancestry: Ancestry(clusterID: 2, shaID: 3, lhcID: 4))
        #expect(OrganisationRules.check(lhc, parent: sha).isEmpty)
        var closedSHA = sha
        closedSHA.closedOn = Day(iso: "2020-01-01")
        #expect(OrganisationRules.check(lhc, parent: closedSHA).first?.message.contains("closed") == true)
        site.kind = .supplier
        #expect(OrganisationRules.check(site, parent: nil).map(\.field) == ["supplierRole"], "a supplier needs its role")
        #expect(OrganisationRules.check(cluster, parent: nil).map(\.field) == ["parent"])
    }

    @Test("the planner orders additions parents first, counts unchanged rows, and sees renames, moves and closures")
    func planning() {
        let sha = Organisation(id: 3, code: "Q01", name: "An SHA", kind: .sha, parentID: 2, ancestry: Ancestry(clusterID: 2, shaID: 3))
        let other = Organisation(id: 5, code: "Q02", name: "Another SHA", kind: .sha, parentID: 2, ancestry: Ancestry(clusterID: 2, shaID: 5))
        let lhc = Organisation(id: 4, code: "ZZL", name: "An LHC", kind: .lhc, parentID: 3, ancestry: Ancestry(clusterID: 2, shaID: 3, lhcID: 4))
        let existing = ["Q01": sha, "Q02": other, "ZZL": lhc]
        let byID = Dictionary(uniqueKeysWithValues: existing.values.map { ($0.id, $0) })
        let records: [(line: Int, cells: [String])] = [
            (1, ["Code", "Name", "Parent_Code", "Level", "Close_Date"]),
            (2, ["ZZS", "A site", "ZZT", "site", ""]),
            (3, ["ZZT", "A trust", "ZZL", "trust", ""]),
            (4, ["ZZL", "An LHC", "Q02", "lhc", ""]),
            (5, ["Q01", "An SHA", "", "sha", ""]),
        ]
        let plan = OrganisationImport.plan(records, existing: existing, existingByID: byID)
        #expect(plan.problems.map(\.line) == [5], "an SHA needs its cluster: \(plan.problems)")
        var fixed = records
        fixed[4] = (5, ["Q01", "An SHA (renamed)", "CNE", "sha", ""])
        let cluster = Organisation(id: 2, code: "CNE", name: "North East", kind: .cluster, parentID: 1, ancestry: Ancestry(clusterID: 2))
        var stored = existing
        stored["CNE"] = cluster
        let byID2 = Dictionary(uniqueKeysWithValues: stored.values.map { ($0.id, $0) })
        let ok = OrganisationImport.plan(fixed, existing: stored, existingByID: byID2)
        #expect(ok.problems.isEmpty, "\(ok.problems)")
        #expect(ok.additions.map(\.code) == ["ZZT", "ZZS"], "parents first")
        #expect(ok.moves.map(\.before.code) == ["ZZL"] && ok.moves.first?.newParentCode == "Q02")
        #expect(ok.changes.contains { $0.before.code == "Q01" && $0.row.name == "An SHA (renamed)" })
        #expect(ok.fingerprint == OrganisationImport.plan(fixed, existing: stored, existingByID: byID2).fingerprint, "stable")
    }
}
