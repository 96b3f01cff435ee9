import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: roll-ups")
struct RollUpTests {
    /// The roll-up computed in memory from the dataset: projects in the subtree, each added to
    /// the cell of the child organisation it falls under (nil: the organisation itself) and its product.
    struct Expected {
        var groupIDs: [Int64?]
        var cells: [Int64?: [String: RollUpCell]]
        var groupTotals: [Int64?: RollUpCell]
        var totals: [String: RollUpCell]
        var total: RollUpCell
        var productCodes: [String]
    }

    static func expected(for organisation: Organisation, in dataset: ProgrammeDataset) -> Expected {
        let inSubtree = dataset.projects.filter { Fixture.project($0, isWithin: organisation) }
        func group(of project: ImplementationProject) -> Int64? {
            switch organisation.kind {
            case .national, .supplier: project.ancestry.clusterID
            case .site: nil
            default: project.ancestry.id(at: organisation.kind.childKind!)
            }
        }
        let children: [Organisation] = switch organisation.kind {
        case .supplier: dataset.organisations.filter { $0.kind == .cluster }.sorted { $0.id < $1.id }
        case .site: []
        default: dataset.organisations.filter { $0.parentID == organisation.id && $0.kind != .supplier }.sorted { $0.name < $1.name }
        }
        var cells: [Int64?: [String: RollUpCell]] = [:]
        var groupTotals: [Int64?: RollUpCell] = [:]
        var totals: [String: RollUpCell] = [:]
        var total = RollUpCell()
        for project in inSubtree {
            var cell = RollUpCell()
            cell.add(RollUpRow(groupID: group(of: project), productCode: project.productCode, type: project.type,
                               achievedCount: project.achievedCount, lateMask: project.lateMask, projects: 1))
            cells[group(of: project), default: [:]][project.productCode, default: RollUpCell()].add(cell)
            groupTotals[group(of: project), default: RollUpCell()].add(cell)
            totals[project.productCode, default: RollUpCell()].add(cell)
            total.add(cell)
        }
        var groupIDs: [Int64?] = children.map(\.id)
        if cells[nil] != nil { groupIDs.insert(nil, at: 0) }
        let present = Set(inSubtree.map(\.productCode))
        return Expected(groupIDs: groupIDs, cells: cells, groupTotals: groupTotals, totals: totals, total: total,
                        productCodes: ProductCatalogue.all.map(\.code).filter(present.contains))
    }

    static func check(_ report: RollUpReport, against expected: Expected, in dataset: ProgrammeDataset = Fixture.dataset,
                      _ label: String) {
        let byID = Dictionary(uniqueKeysWithValues: dataset.organisations.map { ($0.id, $0) })
        #expect(report.groups.map { $0.organisation?.id } == expected.groupIDs, "\(label): one group per child, in order")
        for group in report.groups {
            let id = group.organisation?.id
            if let organisation = group.organisation {
                #expect(byID[organisation.id] == organisation, "\(label): group organisation read back whole")
            }
            #expect(group.cells == (expected.cells[id] ?? [:]), "\(label): cells of group \(String(describing: id))")
            #expect(group.total == (expected.groupTotals[id] ?? RollUpCell()), "\(label): total of group \(String(describing: id))")
        }
        #expect(report.totals == expected.totals, "\(label): product totals")
        #expect(report.total == expected.total, "\(label): grand total")
        #expect(report.productCodes == expected.productCodes, "\(label): products")
    }

    @Test("roll-ups at every level equal the in-memory computation", arguments: Backend.testable)
    func rollUps(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let organisations = Fixture.samples + ["SACN", "SBTN", "SEMI"].map(Fixture.organisation(code:))
            for organisation in organisations {
                let report = try await store.rollUp(for: organisation, scope: .national)
                #expect(report.organisation == organisation)
                let expected = Self.expected(for: organisation, in: Fixture.dataset)
                Self.check(report, against: expected, "\(organisation.kind) \(organisation.code)")
                #expect(report.total.projects > 0, "\(organisation.code) has projects in the demo")
            }
            let national = try await store.rollUp(for: Fixture.national, scope: .national)
            #expect(national.total.projects == Fixture.dataset.projects.count)
            #expect(national.groups.count == 5, "every cluster is a group")
        }
    }

    @Test("children with no projects are still listed", arguments: Backend.testable)
    func emptyChildrenListed(backend: Backend) async throws {
        // Add a new LHC with no projects under an SHA.
        var dataset = Fixture.dataset
        let sha = Fixture.organisation(.sha, 2)
        let id = (dataset.organisations.map(\.id) + dataset.projects.map(\.id)).max()! + 1
        dataset.organisations.append(Organisation(id: id, code: "LNEW", name: "Aaa New Local Health Community", kind: .lhc,
                                                  parentID: sha.id, ancestry: sha.ancestry.extended(with: id, kind: .lhc)))
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            try await store.load(dataset, progress: nil)
            let report = try await store.rollUp(for: sha, scope: .national)
            Self.check(report, against: Self.expected(for: sha, in: dataset), in: dataset, "SHA with an empty LHC")
            let empty = try #require(report.groups.first { $0.organisation?.id == id })
            #expect(empty.total == RollUpCell())
            #expect(empty.cells.isEmpty)
        }
    }
}
