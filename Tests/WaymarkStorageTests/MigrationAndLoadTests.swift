import Foundation
import Testing
import WaymarkCore
@_spi(Bench) import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: migrations and loading")
struct MigrationAndLoadTests {
    @Test("migrations apply to an empty database and are idempotent", arguments: Backend.testable)
    func migrations(backend: Backend) async throws {
        try await Scratch.with(backend) { scratch async throws in
            let migrator = SQLMigrator(database: scratch.database)
            let all = Schema.migrations.map(\.version)
            #expect(try await migrator.pendingVersions() == all)
            #expect(try await migrator.migrate() == all)
            #expect(try await migrator.pendingVersions().isEmpty)
            #expect(try await migrator.migrate().isEmpty, "a second migrate() applies nothing")
            #expect(try await migrator.pendingVersions().isEmpty)
            #expect(try await scratch.count("waymark_migration") == Int64(all.count))

            let store = scratch.store
            #expect(try await store.isEmpty())
            #expect(try await store.national() == nil)
            let products = try await scratch.database.fetch("SELECT code FROM product", []).map { $0.string("code") }
            #expect(Set(products) == Set(ProductCatalogue.all.map(\.code)))

            // Opening through the backend's openStore migrates again, which applies nothing.
            try await withReopened(scratch) { reopened async throws in
                #expect(try await SQLMigrator(database: reopened.database).pendingVersions().isEmpty)
                #expect(try await reopened.isEmpty())
            }
            #expect(try await scratch.count("waymark_migration") == Int64(all.count))
        }
    }

    @Test("loads the demo dataset and reads every organisation back", arguments: Backend.testable)
    func loadAndReadBack(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            let store: any WaymarkStore = scratch.store
            let reports = ProgressLog()
            try await store.load(Fixture.dataset) { done, total in reports.append(done, total) }
            let dataset = Fixture.dataset

            let expectedRows = SQLStore.loadTables(dataset).reduce(0) { $0 + $1.rows.count }
            let log = reports.entries
            #expect(log.last.map { $0.done == $0.total && $0.total == expectedRows } == true, "final progress \(String(describing: log.last))")
            #expect(zip(log, log.dropFirst()).allSatisfy { $0.done <= $1.done }, "progress never goes backwards")

            #expect(try await store.isEmpty() == false)
            #expect(try await scratch.count("organisation") == Int64(dataset.organisations.count))
            #expect(try await scratch.count("supplier_contract") == Int64(dataset.contracts.count))
            #expect(try await scratch.count("project") == Int64(dataset.projects.count))
            #expect(try await scratch.count("milestone") == Int64(dataset.milestoneCount))
            #expect(try await scratch.count("audit_entry") == 0)

            #expect(try await store.national() == Fixture.national)
            for organisation in dataset.organisations {
                #expect(try await store.organisation(code: organisation.code, scope: .national) == organisation)
                #expect(try await store.organisation(id: organisation.id, scope: .national) == organisation)
            }
            let site = Fixture.organisation(.site)
            #expect(try await store.organisation(code: site.code.lowercased(), scope: .national) == site, "codes are looked up case-insensitively")
            #expect(try await store.organisation(code: "NO-SUCH-CODE", scope: .national) == nil)
            #expect(try await store.organisation(id: 9_999_999, scope: .national) == nil)

            // Everything is visible through a second connection opened the way the app opens it.
            try await withReopened(scratch) { reopened async throws in
                #expect(try await reopened.organisation(code: site.code, scope: .national) == site)
                #expect(try await reopened.project(code: dataset.projects[0].code, scope: .national)?.project == dataset.projects[0])
            }
        }
    }

    @Test("loading into a non-empty database fails with notEmpty and changes nothing", arguments: Backend.testable)
    func loadIntoNonEmpty(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let before = try await scratch.counts()
            let error = await storageError { try await scratch.store.load(Fixture.dataset, progress: nil) }
            #expect(error?.code == .notEmpty)
            #expect(error?.message.contains("empty") == true)
            #expect(try await scratch.counts() == before)
            #expect(try await scratch.store.national() == Fixture.national)
        }

        // Even a single organisation makes the database non-empty.
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            var tiny = Fixture.dataset
            tiny.organisations = [Fixture.national]
            tiny.contracts = []
            tiny.projects = []
            tiny.tracking = []
            tiny.lessons = []
            tiny.changeControl = ChangeControlRecords()
            tiny.people = PeopleRecords()
            try await scratch.store.load(tiny, progress: nil)
            let before = try await scratch.counts()
            let error = await storageError { try await scratch.store.load(Fixture.dataset, progress: nil) }
            #expect(error?.code == .notEmpty)
            #expect(try await scratch.counts() == before)
        }
    }

    @Test("a load that fails part-way writes nothing", arguments: Backend.testable)
    func loadIsAtomic(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch async throws in
            var broken = Fixture.dataset
            var duplicate = broken.projects[0]
            duplicate.id = (broken.projects.map(\.id).max() ?? 0) + 1_000  // same code: violates UNIQUE after many rows
            broken.projects.append(duplicate)
            await #expect(throws: (any Error).self) { try await scratch.store.load(broken, progress: nil) }
            #expect(try await scratch.store.isEmpty())
            #expect(try await scratch.counts().values.allSatisfy { $0 == 0 })
            // ... and the database is still usable for a correct load.
            try await scratch.store.load(Fixture.dataset, progress: nil)
            #expect(try await scratch.count("project") == Int64(Fixture.dataset.projects.count))
        }
    }
}

/// Collects progress reports from a `@Sendable` callback.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var log: [(done: Int, total: Int)] = []

    func append(_ done: Int, _ total: Int) { lock.withLock { log.append((done, total)) } }
    var entries: [(done: Int, total: Int)] { lock.withLock { log } }
}
