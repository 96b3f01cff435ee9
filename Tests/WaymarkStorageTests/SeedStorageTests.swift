import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

/// The demo seed, all or nothing (issue 12).
@Suite("Storage contract: partial seeds")
struct SeedStorageTests {
    @Test("a seed that stopped after its load is partial; discarding it leaves an empty, migrated database to seed again",
          arguments: Backend.testable)
    func partialSeed(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store = scratch.store
            #expect(try await store.seedState("demo") == nil)
            try await store.load(Fixture.dataset, seed: "demo", progress: nil)
            // What a crash after the load leaves: data, and some of the later steps.
            _ = try await store.recordLesson(LessonStorageTests.lesson("Written before the crash"), audit: LessonStorageTests.audit("record"))
            #expect(try await store.seedState("demo") == .partial)

            try await store.discardPartialSeed("demo")
            #expect(try await store.isEmpty())
            #expect(try await store.seedState("demo") == nil)
            #expect(try await scratch.count("audit_entry") == 0)
            #expect(try await SQLMigrator(database: scratch.database).pendingVersions().isEmpty)

            try await store.load(Fixture.dataset, seed: "demo", progress: nil)
            try await store.markSeedComplete("demo")
            #expect(try await store.seedState("demo") == .complete)
            #expect(try await scratch.count("lesson") == Int64(Fixture.dataset.lessons.count))
            // A complete seed, or any other data, is never discarded.
            let refused = await storageError { try await store.discardPartialSeed("demo") }
            #expect(refused?.code == .notEmpty)
            #expect(try await scratch.count("organisation") == Int64(Fixture.dataset.organisations.count))
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }
}
