import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

/// Many clients writing at once (issue 12): every create succeeds with its own number, and every
/// update answers with exactly the state it committed.
@Suite("Storage contract: concurrent writes")
struct ConcurrentWriteTests {
    static let clients = 16

    /// Runs `body` for 0..<clients at once and returns each outcome in order.
    static func concurrently<T: Sendable>(_ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            for client in 0..<clients {
                group.addTask {
                    do { return (client, .success(try await body(client))) } catch { return (client, .failure(error)) }
                }
            }
            var results: [(Int, Result<T, any Error>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func successes<T>(_ results: [Result<T, any Error>]) -> [T] {
        results.compactMap { try? $0.get() }
    }

    static func failures<T>(_ results: [Result<T, any Error>]) -> [String] {
        results.compactMap { result -> String? in
            guard case .failure(let error) = result else { return nil }
            return String(describing: error)
        }
    }

    @Test("16 risks raised at once in one register all save, with distinct references", arguments: Backend.testable)
    func concurrentRisks(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let template = try #require(Fixture.dataset.tracking.first { $0.owner.projectID == nil && $0.status == .open })
            let results = await Self.concurrently { client in
                var item = template
                item.id = 0
                item.title = "Concurrent risk \(client)"
                item.linkedItemID = nil
                item.escalatedFromID = nil
                item.escalatedToID = nil
                return try await store.saveTrackingItems([TrackingChange(
                    item: item, expectedVersion: nil, audit: TrackingStorageTests.audit("raise", id: 0))])[0]
            }
            let saved = Self.successes(results)
            #expect(Self.failures(results).isEmpty, "\(Self.failures(results))")
            #expect(Set(saved.map(\.reference)).count == Self.clients)
            for item in saved {
                #expect(try await store.trackingItem(id: item.id, scope: .national)?.title == item.title)
            }
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }

    @Test("16 lessons recorded at once all save, with distinct references", arguments: Backend.testable)
    func concurrentLessons(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let results = await Self.concurrently { client in
                try await store.recordLesson(LessonStorageTests.lesson("Concurrent lesson \(client)"), audit: LessonStorageTests.audit("record"))
            }
            #expect(Self.failures(results).isEmpty, "\(Self.failures(results))")
            #expect(Set(Self.successes(results).map(\.reference)).count == Self.clients)
        }
    }

    @Test("16 change notes raised at once in one cluster all save, numbered 1 apart with no repeats", arguments: Backend.testable)
    func concurrentChangeNotes(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let existing = Fixture.dataset.changeControl.notes.filter { $0.clusterID == ChangeFixture.cluster.id }.map(\.number).max() ?? 0
            let results = await Self.concurrently { _ in
                try await store.saveChangeNote(ChangeFixture.note(in: ChangeFixture.cluster), expectedVersion: nil, audit: ChangeFixture.audit("raise"))
            }
            #expect(Self.failures(results).isEmpty, "\(Self.failures(results))")
            let saved = Self.successes(results)
            #expect(Set(saved.map(\.id)).count == Self.clients)
            #expect(saved.map(\.number).sorted() == Array(existing + 1...existing + Self.clients))
        }
    }

    @Test("16 DIP lines added at once to one DIP all save, numbered with no repeats", arguments: Backend.testable)
    func concurrentDIPLines(backend: Backend) async throws {
        try await Scratch.withStore(backend, dataset: ChangeControlDIPStorageTests.dataset) { scratch async throws in
            let store = scratch.store
            let project = try #require(ChangeControlDIPStorageTests.projects.first)
            let site = try #require(Fixture.organisationsByID[project.organisationID])
            let results = await Self.concurrently { _ in
                let line = DIPLine(dipID: ChangeControlDIPStorageTests.dipID, number: 0, productCode: project.productCode,
                                   organisationID: project.organisationID, organisationCode: site.code, organisationName: site.name,
                                   ancestry: project.ancestry, implementation: .replacement, dueDate: ChangeControlDIPStorageTests.year.end,
                                   projects: [ProjectRef(project)])
                return try await store.saveDIPLine(line, supplierID: ChangeControlDIPStorageTests.lspID, year: ChangeControlDIPStorageTests.year,
                                                   expectedVersion: nil, audit: ChangeFixture.audit("add DIP line", "dip", ChangeControlDIPStorageTests.dipID))
            }
            #expect(Self.failures(results).isEmpty, "\(Self.failures(results))")
            let numbers = Self.successes(results).map(\.number).sorted()
            #expect(numbers == Array(4...3 + Self.clients))
        }
    }

    @Test("16 updates of one record at one version: one commits, the rest are conflicts, and the winner answers with what it committed",
          arguments: Backend.testable)
    func concurrentUpdates(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let original = try #require(Fixture.dataset.tracking.first { $0.status == .open && $0.escalatedToID == nil })
            let results = await Self.concurrently { client in
                var item = original
                item.reviewDate = Fixture.today.adding(days: client + 1)
                return try await store.saveTrackingItems([TrackingChange(
                    item: item, expectedVersion: original.version, audit: TrackingStorageTests.audit("update", id: original.id))])[0]
            }
            let saved = Self.successes(results)
            #expect(saved.count == 1)
            for case .failure(let error) in results {
                #expect((error as? StorageError)?.code == .conflict, "\(error)")
            }
            let stored = try await store.trackingItem(id: original.id, scope: .national)
            #expect(saved.first == stored)
            #expect(stored?.version == original.version + 1)
        }
    }
}
