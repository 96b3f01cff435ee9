import Testing
import WaymarkCore
import WaymarkStorage

/// The demo programme every contract test loads, and the in-memory answers it is checked against.
enum Fixture {
    static let today = Day(iso: "2026-11-24")!

    static let dataset: ProgrammeDataset = {
        var generator = ProgrammeGenerator(scale: .demo, today: today)
        return generator.generate()
    }()

    static let organisationsByID: [Int64: Organisation] =
        Dictionary(uniqueKeysWithValues: dataset.organisations.map { ($0.id, $0) })

    static var national: Organisation { dataset.organisations.first { $0.kind == .national }! }

    /// The first organisation of `kind`, or the `n`th.
    static func organisation(_ kind: OrganisationKind, _ n: Int = 0) -> Organisation {
        dataset.organisations.filter { $0.kind == kind }[n]
    }

    static func organisation(code: String) -> Organisation {
        dataset.organisations.first { $0.code == code }!
    }

    /// A sample from every level of the hierarchy, for roll-ups and filters.
    static var samples: [Organisation] {
        [national, organisation(.cluster), organisation(.cluster, 2), organisation(.sha), organisation(.sha, 7),
         organisation(.lhc), organisation(.lhc, 5), organisation(.trust), organisation(.trust, 11),
         organisation(.site), organisation(.site, 40)]
    }

    /// National down to the parent, following parent links.
    static func ancestors(of organisation: Organisation) -> [Organisation] {
        var chain: [Organisation] = []
        var parentID = organisation.parentID
        while let id = parentID, let parent = organisationsByID[id] {
            chain.insert(parent, at: 0)
            parentID = parent.parentID
        }
        return chain
    }

    /// What `ProjectQuery.within` means, in memory.
    static func project(_ project: ImplementationProject, isWithin organisation: Organisation) -> Bool {
        switch organisation.kind {
        case .national: true
        case .supplier: project.supplierID == organisation.id
        default: project.ancestry.id(at: organisation.kind) == organisation.id
        }
    }

    /// What a `ProjectListing` of `project` must hold.
    static func listing(for project: ImplementationProject) -> Listing {
        let organisation = organisationsByID[project.organisationID]!
        return Listing(project: project, organisationCode: organisation.code, organisationName: organisation.name,
                       supplierName: project.supplierID.flatMap { organisationsByID[$0]?.name }, stage: project.stage)
    }

    /// The fields of a `ProjectListing`, which tests cannot build (its initialiser is internal).
    struct Listing: Hashable {
        var project: ImplementationProject
        var organisationCode: String
        var organisationName: String
        var supplierName: String?
        var stage: NSIStage

        init(project: ImplementationProject, organisationCode: String, organisationName: String, supplierName: String?, stage: NSIStage) {
            self.project = project
            self.organisationCode = organisationCode
            self.organisationName = organisationName
            self.supplierName = supplierName
            self.stage = stage
        }

        init(_ listing: ProjectListing) {
            self.init(project: listing.project, organisationCode: listing.organisationCode,
                      organisationName: listing.organisationName, supplierName: listing.supplierName, stage: listing.stage)
        }
    }

    /// A project of `type` whose first open milestone is at `position`, optionally at a given kind of site.
    static func project(type: ProjectType = .lsp, achieved position: Int) -> ImplementationProject {
        dataset.projects.first { $0.type == type && $0.achievedCount == position }!
    }
}

/// Every page of an organisation query, checking the keyset cursor contract on the way.
func allPages(_ store: any WaymarkStore, _ query: OrganisationQuery) async throws -> [Organisation] {
    var query = query
    var items: [Organisation] = []
    for _ in 0..<10_000 {
        let page = try await store.organisations(query)
        #expect(page.items.count <= query.limit)
        items += page.items
        guard let cursor = page.nextCursor else { return items }
        #expect(page.items.count == query.limit, "a page with a next cursor must be full")
        #expect(cursor == page.items.last?.id, "the cursor is the last item's id")
        query.after = cursor
    }
    Issue.record("organisation pages never ended")
    return items
}

/// Every page of a project query, checking the keyset cursor contract on the way.
func allPages(_ store: any WaymarkStore, _ query: ProjectQuery) async throws -> [ProjectListing] {
    var query = query
    var items: [ProjectListing] = []
    for _ in 0..<10_000 {
        let page = try await store.projects(query)
        #expect(page.items.count <= query.limit)
        items += page.items
        guard let cursor = page.nextCursor else { return items }
        #expect(page.items.count == query.limit, "a page with a next cursor must be full")
        #expect(cursor == page.items.last?.project.id, "the cursor is the last item's id")
        query.after = cursor
    }
    Issue.record("project pages never ended")
    return items
}

/// Runs `body` and returns the `StorageError` it throws, recording an issue if it throws anything else or nothing.
func storageError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> StorageError? {
    do {
        try await body()
        Issue.record("expected a StorageError, but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StorageError {
        return error
    } catch {
        Issue.record("expected a StorageError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
