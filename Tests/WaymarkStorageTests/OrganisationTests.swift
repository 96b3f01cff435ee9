import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: organisations")
struct OrganisationTests {
    let organisations = Fixture.dataset.organisations.sorted { $0.id < $1.id }

    @Test("filters by kind, parent, subtree and combinations", arguments: Backend.testable)
    func filters(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store

            for kind in OrganisationKind.allCases {
                let found = try await allPages(store, OrganisationQuery(scope: .national, kind: kind, limit: 100))
                #expect(found == organisations.filter { $0.kind == kind }, "kind \(kind)")
                #expect(!found.isEmpty, "the demo has some of kind \(kind)")
            }

            for parent in Fixture.samples {
                let found = try await allPages(store, OrganisationQuery(scope: .national, parentID: parent.id, limit: 100))
                #expect(found == organisations.filter { $0.parentID == parent.id }, "children of \(parent.code)")
            }

            // Within a subtree: the organisation itself excluded; national means every NHS
            // organisation; a supplier means the organisations it has contracts with.
            let suppliers = ["SACN", "SBTN", "SEMI"].map(Fixture.organisation(code:))
            for within in Fixture.samples + suppliers {
                let expected: [Organisation] = switch within.kind {
                case .national: organisations.filter { $0.kind != .supplier && $0.id != within.id }
                case .supplier:
                    organisations.filter { o in Fixture.dataset.contracts.contains { $0.supplierID == within.id && $0.organisationID == o.id } }
                default: organisations.filter { $0.ancestry.id(at: within.kind) == within.id && $0.id != within.id }
                }
                let found = try await allPages(store, OrganisationQuery(scope: .national, within: within, limit: 100))
                #expect(found == expected, "within \(within.kind) \(within.code)")
                if within.kind != .site { #expect(!found.isEmpty, "within \(within.code)") }
            }

            let cluster = Fixture.organisation(.cluster, 1)
            let sitesInCluster = try await allPages(store, OrganisationQuery(scope: .national, kind: .site, within: cluster, limit: 100))
            #expect(sitesInCluster == organisations.filter { $0.kind == .site && $0.ancestry.clusterID == cluster.id })

            let lhc = Fixture.organisation(.lhc, 3)
            let trustsInLHC = try await allPages(store, OrganisationQuery(scope: .national, kind: .trust, parentID: lhc.id, within: lhc.parentID.flatMap { Fixture.organisationsByID[$0] }))
            #expect(trustsInLHC == organisations.filter { $0.kind == .trust && $0.parentID == lhc.id })
        }
    }

    @Test("text search is case-insensitive on name and code", arguments: Backend.testable)
    func textSearch(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            func expected(_ text: String) -> [Organisation] {
                let needle = text.lowercased()
                return organisations.filter { $0.name.lowercased().contains(needle) || $0.code.lowercased().contains(needle) }
            }
            for text in ["newcastle", "NEWCASTLE", "NewCastle", "primary care trust", "q0", "Q01", "st mary's",
                         "Mary's Hospital", "cluster", "  leeds  ", "SACN"] {
                let found = try await allPages(store, OrganisationQuery(scope: .national, text: text, limit: 100))
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                #expect(found == expected(trimmed), "search '\(text)'")
                #expect(!found.isEmpty, "search '\(text)' finds something in the demo")
            }
            let sheffieldSites = try await allPages(store, OrganisationQuery(scope: .national, kind: .site, text: "sheffield", limit: 100))
            #expect(sheffieldSites == expected("sheffield").filter { $0.kind == .site })
            #expect(try await allPages(store, OrganisationQuery(scope: .national, text: "no such place anywhere")).isEmpty)
        }
    }

    @Test("LIKE wildcards and backslashes in the search text are literal", arguments: Backend.testable)
    func wildcardsAreLiteral(backend: Backend) async throws {
        // Add organisations whose names contain %, _ and \ so literal matches have something to find.
        var dataset = Fixture.dataset
        let trust = Fixture.organisation(.trust)
        var nextID = (dataset.organisations.map(\.id) + dataset.projects.map(\.id)).max()! + 1
        var extras: [Organisation] = []
        for (code, name) in [("X_1", "Hundred% Clinic"), ("X%2", "Under_score Clinic"), ("X\\3", "Back\\slash Clinic")] {
            extras.append(Organisation(id: nextID, code: code, name: name, kind: .site, subtype: "clinic", parentID: trust.id,
                                       ancestry: trust.ancestry.extended(with: nextID, kind: .site)))
            nextID += 1
        }
        dataset.organisations += extras
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            try await store.load(dataset, progress: nil)
            func search(_ text: String) async throws -> [String] {
                try await allPages(store, OrganisationQuery(scope: .national, text: text, limit: 100)).map(\.code)
            }
            // (text, codes that must be among the matches); the full answer is computed in memory.
            let cases: [(text: String, codes: [String])] = [
                ("%", ["X_1", "X%2"]),      // "Hundred% Clinic" by name, "X%2" by code
                ("_", ["X_1", "X%2"]),      // "X_1" by code, "Under_score Clinic" by name
                ("d% c", ["X_1"]), ("r_s", ["X%2"]), ("x_1", ["X_1"]),
                ("\\", ["X\\3"]), ("k\\s", ["X\\3"]),
                // As wildcards these would match plenty: "q_1" would match Q01, "n%e" most names.
                ("q_1", []), ("n%e", []), ("__", []),
            ]
            for (text, codes) in cases {
                let needle = text.lowercased()
                let expected = dataset.organisations.sorted { $0.id < $1.id }
                    .filter { $0.name.lowercased().contains(needle) || $0.code.lowercased().contains(needle) }.map(\.code)
                let found = try await search(text)
                #expect(found == expected, "search '\(text)'")
                #expect(Set(codes).isSubset(of: found), "search '\(text)'")
                if codes.isEmpty { #expect(found.isEmpty, "search '\(text)' matches nothing literally") }
            }
        }
    }

    @Test("keyset pagination walks every organisation once", arguments: Backend.testable)
    func pagination(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            for limit in [1, 7, 50, 500] {
                let found = try await allPages(store, OrganisationQuery(scope: .national, limit: limit))
                #expect(found.map(\.id) == organisations.map(\.id), "limit \(limit)")
                #expect(Set(found.map(\.id)).count == found.count, "no duplicates at limit \(limit)")
            }
            // A filtered walk whose size is an exact multiple of the page size ends without an empty page.
            let clusters = organisations.filter { $0.kind == .cluster }
            #expect(clusters.count == 5)
            let exact = try await store.organisations(OrganisationQuery(scope: .national, kind: .cluster, limit: clusters.count))
            #expect(exact.items == clusters)
            #expect(exact.nextCursor == nil)
            let first = try await store.organisations(OrganisationQuery(scope: .national, kind: .cluster, limit: 2))
            #expect(first.items == Array(clusters.prefix(2)))
            #expect(first.nextCursor == clusters[1].id)
            let rest = try await allPages(store, OrganisationQuery(scope: .national, kind: .cluster, after: first.nextCursor, limit: 2))
            #expect(rest == Array(clusters.dropFirst(2)))
            let past = try await store.organisations(OrganisationQuery(scope: .national, kind: .cluster, after: clusters.last!.id))
            #expect(past.items.isEmpty)
            #expect(past.nextCursor == nil)
        }
    }

    @Test("ancestors run from national down to the parent", arguments: Backend.testable)
    func ancestors(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let sample = OrganisationKind.allCases.map { Fixture.organisation($0) }
                + organisations.enumerated().filter { $0.offset % 11 == 0 }.map(\.element)
            for organisation in sample {
                let found = try await store.ancestors(of: organisation, scope: .national)
                #expect(found == Fixture.ancestors(of: organisation), "ancestors of \(organisation.kind) \(organisation.code)")
            }
            let site = Fixture.organisation(.site)
            #expect(try await store.ancestors(of: site, scope: .national).map(\.kind) == [.national, .cluster, .sha, .lhc, .trust])
            #expect(try await store.ancestors(of: Fixture.national, scope: .national).isEmpty)
            #expect(try await store.ancestors(of: Fixture.organisation(.supplier), scope: .national).isEmpty)
        }
    }
}
