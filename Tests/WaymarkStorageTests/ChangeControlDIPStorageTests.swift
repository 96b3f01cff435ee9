import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: Detailed Implementation Plans")
struct ChangeControlDIPStorageTests {
    static let year = FinancialYear(startYear: 2030)
    static let dipID: Int64 = 9001

    /// Three projects of the first cluster's LSP, each the obligation of one line of a test DIP
    /// for 2030/31 (a year the generator leaves alone).
    static let projects: [ImplementationProject] = {
        var sites = Set<Int64>()
        return Array(Fixture.dataset.projects.filter {
            $0.ancestry.clusterID == ChangeFixture.cluster.id && $0.type == .lsp && $0.supplierID == lspID && sites.insert($0.organisationID).inserted
        }.prefix(3))
    }()
    static var lspID: Int64 {
        Fixture.dataset.contracts.first { $0.organisationID == ChangeFixture.cluster.id }!.supplierID
    }

    static let dataset: ProgrammeDataset = {
        var dataset = Fixture.dataset
        let lines = projects.enumerated().map { index, project in
            DIPLine(id: 900_001 + Int64(index), dipID: dipID, number: index + 1, productCode: project.productCode, organisationID: project.organisationID,
                    organisationCode: Fixture.organisationsByID[project.organisationID]!.code,
                    organisationName: Fixture.organisationsByID[project.organisationID]!.name, ancestry: project.ancestry, implementation: .newService, dueDate: year.start.adding(days: 30 * index),
                    projects: [ProjectRef(project)])
        }
        dataset.changeControl.dips.append(DetailedImplementationPlan(id: dipID, supplierID: lspID, clusterID: ChangeFixture.cluster.id,
                                                                      year: year, state: .draft, lines: lines))
        return dataset
    }()

    @Test("DIPs and their lines are scoped: the cluster and its LSP see all, lower levels their own lines", arguments: Backend.testable)
    func scope(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Self.dataset) { scratch in
            let store = scratch.store
            let cluster = ChangeFixture.cluster
            let first = Self.projects[0]
            let national = try await store.dips(scope: .national, clusterID: cluster.id, year: Self.year)
            #expect(national.map(\.id) == [Self.dipID])
            #expect(try await store.dip(id: Self.dipID, scope: .supplier(id: Self.lspID)) != nil)
            #expect(try await store.dip(id: Self.dipID, scope: .subtree(kind: .trust, id: first.ancestry.trustID!)) != nil,
                    "a trust in the cluster sees the DIP")
            #expect(try await store.dip(id: Self.dipID, scope: .subtree(kind: .cluster, id: ChangeFixture.otherCluster.id)) == nil)
            let otherSupplier = try #require(Fixture.dataset.organisations.first { $0.kind == .supplier && $0.id != Self.lspID })
            #expect(try await store.dip(id: Self.dipID, scope: .supplier(id: otherSupplier.id)) == nil)

            let all = try await store.dipLines(dipID: Self.dipID, within: nil, scope: .national)
            #expect(all == Self.dataset.changeControl.dips.last!.lines)
            let site = try #require(Fixture.organisationsByID[first.organisationID])
            #expect(try await store.dipLines(dipID: Self.dipID, within: site, scope: .national).map(\.number) == [1])
            let trustLines = try await store.dipLines(dipID: Self.dipID, within: nil, scope: .subtree(kind: .trust, id: first.ancestry.trustID!))
            #expect(trustLines.allSatisfy { $0.ancestry.trustID == first.ancestry.trustID } && trustLines.map(\.number).contains(1))
            #expect(try await store.dipLines(dipID: Self.dipID, within: nil, scope: .supplier(id: otherSupplier.id)).isEmpty)
        }
    }

    @Test("lines are added with the next number, edited at their version, and the DIP agreed once", arguments: Backend.testable)
    func editAndAgree(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Self.dataset) { scratch in
            let store = scratch.store
            let project = Self.projects[1]
            let site = Fixture.organisationsByID[project.organisationID]!
            var line = DIPLine(dipID: Self.dipID, number: 0, productCode: project.productCode, organisationID: project.organisationID,
                               organisationCode: site.code, organisationName: site.name, ancestry: project.ancestry, implementation: .replacement, dueDate: Self.year.end, projects: [ProjectRef(project)])
            let added = try await store.saveDIPLine(line, supplierID: Self.lspID, year: Self.year, expectedVersion: nil,
                                                    audit: ChangeFixture.audit("add DIP line", "dip", Self.dipID))
            #expect(added.number == 4 && added.version == 1)
            line = added
            line.dueDate = Self.year.end.adding(days: -10)
            line.projects = []
            line.ccnID = 12
            let edited = try await store.saveDIPLine(line, supplierID: Self.lspID, year: Self.year, expectedVersion: 1,
                                                     audit: ChangeFixture.audit("edit DIP line", "dip", Self.dipID))
            #expect(edited.version == 2)
            let stale = await storageError {
                _ = try await store.saveDIPLine(line, supplierID: Self.lspID, year: Self.year, expectedVersion: 1,
                                                audit: ChangeFixture.audit("edit DIP line", "dip", Self.dipID))
            }
            #expect(stale?.code == .conflict)
            let lines = try await store.dipLines(dipID: Self.dipID, within: nil, scope: .national)
            #expect(lines.last == edited)

            try await store.agreeDIP(id: Self.dipID, expectedVersion: 1, by: "cluster pcm", on: Fixture.today,
                                     audit: ChangeFixture.audit("agree DIP", "dip", Self.dipID))
            let agreed = try #require(try await store.dip(id: Self.dipID, scope: .national))
            #expect(agreed.state == .agreed && agreed.agreedBy == "cluster pcm" && agreed.agreedOn == Fixture.today && agreed.version == 2)
            let again = await storageError {
                try await store.agreeDIP(id: Self.dipID, expectedVersion: 2, by: "x", on: Fixture.today, audit: ChangeFixture.audit("agree DIP", "dip", Self.dipID))
            }
            #expect(again?.code == .conflict, "an agreed DIP cannot be agreed again")
            #expect(try await store.auditEntries(AuditQuery(entityType: "dip", entityID: Self.dipID)).items.count == 3)
        }
    }

    @Test("progress reads each agreed line with its linked projects' due milestone, within the organisation and scope",
          arguments: Backend.testable)
    func progress(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: Self.dataset) { scratch in
            let store = scratch.store
            #expect(try await store.dipProgress(year: Self.year, dipID: nil, within: ChangeFixture.cluster, scope: .national).isEmpty,
                    "a draft DIP is not yet an obligation")
            #expect(try await store.dipProgress(year: Self.year, dipID: Self.dipID, within: ChangeFixture.cluster, scope: .national).count == 3,
                    "its own page shows a draft's progress")
            try await store.agreeDIP(id: Self.dipID, expectedVersion: 1, by: "pcm", on: Fixture.today, audit: ChangeFixture.audit("agree", "dip", Self.dipID))
            let rows = try await store.dipProgress(year: Self.year, dipID: nil, within: ChangeFixture.cluster, scope: .national)
            #expect(rows == Self.dataset.changeControl.dips.last!.lines.enumerated().map { index, line in
                let milestone = Self.projects[index].milestone(.goLiveCompleted)
                return DIPLineProgress(lineID: line.id,
                                       due: line.dueDate, projectID: Self.projects[index].id, actual: milestone?.actual, forecast: milestone?.forecast)
            })
            let first = Self.projects[0]
            let sha = try await store.dipProgress(year: Self.year, dipID: nil, within: Fixture.organisationsByID[first.ancestry.shaID!]!, scope: .national)
            #expect(sha.allSatisfy { row in Self.projects.contains { $0.id == row.projectID && $0.ancestry.shaID == first.ancestry.shaID } })
            #expect(try await store.dipProgress(year: Self.year, dipID: nil, within: ChangeFixture.cluster,
                                                scope: .subtree(kind: .cluster, id: ChangeFixture.otherCluster.id)).isEmpty)
            #expect(try await store.dipProgress(year: FinancialYear(startYear: 2031), dipID: nil, within: ChangeFixture.cluster, scope: .national).isEmpty)
        }
    }
}
