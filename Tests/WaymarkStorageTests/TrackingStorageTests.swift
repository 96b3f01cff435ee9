import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: risk and issue registers")
struct TrackingStorageTests {
    static var items: [TrackingItem] { Fixture.dataset.tracking }

    static func audit(_ action: String, id: Int64) -> AuditRecord {
        AuditRecord(at: "2026-11-24T12:00:00.000Z", actor: "contract test", origin: "tests", action: action,
                    entityType: "tracking", entityID: id, before: nil, after: "{}")
    }

    @Test("the seeded registers read back whole, actions included, in scope only", arguments: Backend.testable)
    func readBack(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let sample = try #require(Self.items.first { $0.actions.count >= 2 && $0.residual != nil })
            #expect(try await store.trackingItem(id: sample.id, scope: .national) == sample)
            let trust = try #require(Fixture.organisationsByID[sample.owner.ancestry.trustID ?? -1] ?? Fixture.organisationsByID[sample.owner.ancestry.lhcID ?? -1])
            #expect(try await store.trackingItem(id: sample.id, scope: .subtree(kind: trust.kind, id: trust.id)) == sample)
            let other = try #require(Fixture.dataset.organisations.first { $0.kind == .trust && $0.id != sample.owner.ancestry.trustID })
            #expect(try await store.trackingItem(id: sample.id, scope: .subtree(kind: .trust, id: other.id)) == nil, "another trust cannot read it")

            // A supplier sees exactly the registers of the projects it delivers.
            let supplierID = try #require(Self.items.compactMap(\.owner.supplierID).first)
            var seen: [Int64] = []
            var query = TrackingQuery(scope: .supplier(id: supplierID), limit: 500)
            repeat {
                let page = try await store.trackingItems(query)
                seen += page.items.map(\.id)
                query.after = page.nextCursor
            } while query.after != nil
            #expect(seen == Self.items.filter { $0.owner.supplierID == supplierID }.map(\.id))
            #expect(try await store.trackingItems(TrackingQuery(scope: nil)).items.isEmpty, "no scope, nothing")
        }
    }

    @Test("register, subtree and filter queries match the registers counted in memory", arguments: Backend.testable)
    func queries(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let trust = Fixture.organisation(.trust, 3)
            let own = Self.items.filter { $0.owner.organisationID == trust.id && $0.owner.projectID == nil }
            #expect(try await store.trackingItems(TrackingQuery(scope: .national, register: .organisation(trust), limit: 500)).items.map(\.id) == own.map(\.id))
            let below = Self.items.filter { $0.owner.ancestry.trustID == trust.id }
            #expect(try await store.trackingCount(TrackingQuery(scope: .national, within: trust)) == below.count)
            let cluster = Fixture.organisation(.cluster, 1)
            let flagged = Self.items.filter { $0.owner.ancestry.clusterID == cluster.id && $0.isFlagged }
            #expect(try await store.trackingCount(TrackingQuery(scope: .national, within: cluster, flaggedOnly: true)) == flagged.count)
            let today = Fixture.today
            let overdue = Self.items.filter { $0.owner.ancestry.clusterID == cluster.id && ($0.isReviewOverdue(today: today) || !$0.overdueActions(today: today).isEmpty) }
            #expect(try await store.trackingCount(TrackingQuery(scope: .national, within: cluster, overdueOn: today)) == overdue.count)
            #expect(overdue.count > 0)
            let cell = Self.items.filter { $0.owner.ancestry.clusterID == cluster.id && $0.status == .open && $0.current.priority == .significant && $0.current.controllability == .c }
            #expect(try await store.trackingCount(TrackingQuery(scope: .national, within: cluster, status: .open, priority: .significant, controllability: .c)) == cell.count)
        }
    }

    @Test("heat maps count live records by current priority × controllability, in the subtree and the scope", arguments: Backend.testable)
    func heatMap(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            for organisation in [Fixture.national, Fixture.organisation(.cluster, 2), Fixture.organisation(.sha, 4), Fixture.organisation(.trust, 1)] {
                for kind in TrackingKind.allCases {
                    var expected = TrackingHeatMap()
                    for item in Self.items where item.kind == kind && item.status == .open
                        && (organisation.kind == .national || item.owner.ancestry.id(at: organisation.kind) == organisation.id) {
                        expected.add(item.current.priority, item.current.controllability, 1)
                        if item.isFlagged { expected.flagged += 1 }
                    }
                    let map = try await scratch.store.trackingHeatMap(within: organisation, kind: kind, scope: .national)
                    #expect(map == expected, "\(organisation.code) \(kind)")
                    #expect(map.total > 0)
                }
            }
            // Scope narrows a wider subtree: a trust user's national map is their trust's.
            let trust = Fixture.organisation(.trust, 1)
            #expect(try await scratch.store.trackingHeatMap(within: Fixture.national, kind: .risk, scope: .subtree(kind: .trust, id: trust.id))
                    == (try await scratch.store.trackingHeatMap(within: trust, kind: .risk, scope: .national)))
        }
    }

    @Test("a save numbers new records in sequence, resolves links within the save and audits each, atomically", arguments: Backend.testable)
    func saveWithLinks(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let original = try #require(Self.items.first { $0.status == .open && $0.kind == .risk })
            var escalated = original
            escalated.status = .escalated
            let sha = try #require(Fixture.organisationsByID[original.owner.ancestry.shaID ?? -1])
            let copy = TrackingRules.escalatedCopy(of: original, to: .organisation(sha), reason: "needs SHA", today: Fixture.today)
            let saved = try await store.saveTrackingItems(
                [TrackingChange(item: escalated, expectedVersion: original.version, linksToNew: [.escalatedTo: 1], audit: Self.audit("escalate", id: original.id)),
                 TrackingChange(item: copy, expectedVersion: nil, audit: Self.audit("receive", id: 0))])
            let newID = Int64(Self.items.count + 1)
            #expect(saved[1].id == newID)
            #expect(saved[0].escalatedToID == newID && saved[0].version == original.version + 1)
            #expect(try await store.trackingItem(id: original.id, scope: .national) == saved[0])
            #expect(try await store.trackingItem(id: newID, scope: .national) == saved[1])
            let entries = try await store.auditEntries(AuditQuery(entityType: "tracking", limit: 10)).items
            #expect(entries.map(\.action) == ["receive", "escalate"] && entries.map(\.entityID) == [newID, original.id])

            // A stale version fails the whole save: the new record is not added either.
            let before = try await scratch.counts()
            let items = try await scratch.count("tracking_item")
            await #expect(throws: StorageError.self) {
                _ = try await store.saveTrackingItems(
                    [TrackingChange(item: copy, expectedVersion: nil, audit: Self.audit("receive", id: 0)),
                     TrackingChange(item: escalated, expectedVersion: original.version, linksToNew: [.escalatedTo: 0], audit: Self.audit("escalate", id: original.id))])
            }
            #expect(try await scratch.counts() == before)
            #expect(try await scratch.count("tracking_item") == items)
            #expect(try await store.trackingItem(id: original.id, scope: .national) == saved[0])
        }
    }
}
