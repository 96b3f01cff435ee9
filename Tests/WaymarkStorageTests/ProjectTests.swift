import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: projects")
struct ProjectTests {
    let projects = Fixture.dataset.projects.sorted { $0.id < $1.id }

    /// A filter as the store gets it, and the same filter applied in memory.
    struct Case {
        var name: String
        var query: ProjectQuery
        var matches: (ImplementationProject) -> Bool
    }

    static func cases() -> [Case] {
        var cases: [Case] = []
        let suppliers = ["SACN", "SFUJ", "SBTN", "SCWC", "SEMI", "STPP"].map(Fixture.organisation(code:))
        for within in Fixture.samples + suppliers {
            cases.append(Case(name: "within \(within.kind) \(within.code)", query: ProjectQuery(scope: .national, within: within)) {
                Fixture.project($0, isWithin: within)
            })
        }
        for code in ["N3", "CRS", "PACS", "gp2gp", "QMAS"] {
            cases.append(Case(name: "product \(code)", query: ProjectQuery(scope: .national, productCode: code)) { $0.productCode == code.uppercased() })
        }
        for type in ProjectType.allCases {
            cases.append(Case(name: "type \(type)", query: ProjectQuery(scope: .national, type: type)) { $0.type == type })
        }
        for stage in NSIStage.allCases {
            cases.append(Case(name: "stage \(stage)", query: ProjectQuery(scope: .national, stage: stage)) { $0.stage == stage })
        }
        for text in ["-pacs", "CRS", "newcastle", "Leeds Hospitals", "q8", "%", "_", "no such thing"] {
            let needle = text.lowercased()
            cases.append(Case(name: "text '\(text)'", query: ProjectQuery(scope: .national, text: text)) {
                $0.code.lowercased().contains(needle)
                    || Fixture.organisationsByID[$0.organisationID]!.name.lowercased().contains(needle)
            })
        }
        let sites = Fixture.dataset.organisations.filter { $0.kind == .site }
        let ids = [sites[0].id, sites[3].id, sites[17].id, Fixture.organisation(.trust).id]
        cases.append(Case(name: "organisationIDs", query: ProjectQuery(scope: .national, organisationIDs: ids)) { ids.contains($0.organisationID) })
        cases.append(Case(name: "organisationIDs empty", query: ProjectQuery(scope: .national, organisationIDs: [])) { _ in false })
        let sha = Fixture.organisation(.sha, 3)
        cases.append(Case(name: "combined", query: ProjectQuery(scope: .national, within: sha, productCode: "CRS", type: .lsp, stage: .localDesign)) {
            Fixture.project($0, isWithin: sha) && $0.productCode == "CRS" && $0.type == .lsp && $0.stage == .localDesign
        })
        let trust = Fixture.organisation(.trust, 2)
        let supplier = Fixture.organisation(code: "SBTN")
        cases.append(Case(name: "supplier and text", query: ProjectQuery(scope: .national, within: supplier, text: trust.name)) {
            $0.supplierID == supplier.id && Fixture.organisationsByID[$0.organisationID]!.name.lowercased().contains(trust.name.lowercased())
        })
        return cases
    }

    @Test("every filter matches the same filter applied in memory", arguments: Backend.testable)
    func filters(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            for filter in Self.cases() {
                var query = filter.query
                query.limit = 500
                let found = try await allPages(store, query)
                let expected = projects.filter(filter.matches).map(Fixture.listing(for:))
                #expect(found.map(\.project.id) == expected.map(\.project.id), "\(filter.name)")
                #expect(found.map(Fixture.Listing.init) == expected, "\(filter.name): listings read back whole")
            }
        }
    }

    @Test("filters that must find something in the demo do", arguments: Backend.testable)
    func filtersAreNotVacuous(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            for stage in NSIStage.allCases {
                #expect(!(try await store.projects(ProjectQuery(scope: .national, stage: stage))).items.isEmpty, "some projects at stage \(stage)")
            }
            #expect(!(try await store.projects(ProjectQuery(scope: .national, type: .esp))).items.isEmpty)
            #expect(!(try await store.projects(ProjectQuery(scope: .national, within: Fixture.organisation(code: "SEMI")))).items.isEmpty)
            #expect(!(try await store.projects(ProjectQuery(scope: .national, text: "newcastle"))).items.isEmpty)
        }
    }

    /// Lists skip the milestone rows, so the stage must come from the stored column (issue 12:
    /// every list showed stage 0), and it must agree with the stage filter.
    @Test("a list read without milestones still carries each project's stage", arguments: Backend.testable)
    func stageWithoutMilestones(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let expected = Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0.stage) })
            let found = try await allPages(store, ProjectQuery(scope: .national, limit: 500, includeMilestones: false))
            #expect(found.count == projects.count)
            #expect(found.contains { $0.stage != .prepare }, "the demo has projects past stage 0")
            for listing in found { #expect(listing.stage == expected[listing.project.id], "\(listing.project.code)") }
            for stage in NSIStage.allCases {
                let filtered = try await allPages(store, ProjectQuery(scope: .national, stage: stage, limit: 500, includeMilestones: false))
                #expect(!filtered.isEmpty && filtered.allSatisfy { $0.stage == stage }, "filter stage \(stage)")
            }
        }
    }

    @Test("keyset pagination walks every project once", arguments: Backend.testable)
    func pagination(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            for limit in [25, 333, 500] {
                let found = try await allPages(store, ProjectQuery(scope: .national, limit: limit))
                #expect(found.map(\.project.id) == projects.map(\.id), "limit \(limit)")
            }
            let cluster = Fixture.organisation(.cluster)
            let inCluster = projects.filter { $0.ancestry.clusterID == cluster.id }
            let found = try await allPages(store, ProjectQuery(scope: .national, within: cluster, limit: 7))
            #expect(found.map(\.project.id) == inCluster.map(\.id))
            #expect(Set(found.map(\.project.id)).count == found.count)
        }
    }

    @Test("project(code:) returns milestones in order with their dates", arguments: Backend.testable)
    func milestones(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let sample = projects.enumerated().filter { $0.offset % 13 == 0 }.map(\.element)
                + ProjectType.allCases.flatMap { type in (0...type.mandatoryMilestones.count).compactMap { n in
                    projects.first { $0.type == type && $0.achievedCount == n } } }
            for project in sample {
                let listing = try #require(try await store.project(code: project.code, scope: .national), "project \(project.code)")
                #expect(Fixture.Listing(listing) == Fixture.listing(for: project))
                #expect(listing.project.milestones.map(\.kind) == project.type.mandatoryMilestones)
                for (read, generated) in zip(listing.project.milestones, project.milestones) {
                    #expect(read.baseline == generated.baseline && read.forecast == generated.forecast
                            && read.actual == generated.actual, "\(project.code) \(read.kind)")
                }
                #expect(listing.project.stage == project.stage)
            }
            let any = projects[5]
            #expect(try await store.project(code: any.code.lowercased(), scope: .national)?.project == any, "codes are case-insensitive")
            #expect(try await store.project(code: "NOPE-N3", scope: .national) == nil)
        }
    }
}
