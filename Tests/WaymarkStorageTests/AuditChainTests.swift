import Testing
import WaymarkCore
import WaymarkService
import WaymarkStorage
import WaymarkTestSupport

@Suite("Storage contract: tamper-evident audit chain")
struct AuditChainTests {
    static let user = ActingUser(name: "audit test", scope: .national, grants: Set(Activity.allCases), origin: "tests")

    /// Records a forecast on `count` open projects through the service, each an audited change.
    static func recordChanges(_ store: SQLStore, count: Int) async throws -> [ImplementationProject] {
        let service = ProgrammeService(store: store, clock: .fixed(Fixture.today))
        let projects = Array(Fixture.dataset.projects.filter { $0.type == .lsp && $0.achievedCount == 0 }.prefix(count))
        for (n, project) in projects.enumerated() {
            _ = try await service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(dates: [.initiationCommenced: MilestoneDates(forecast: Fixture.today.adding(days: 40 + n), actual: nil)], expectedVersion: project.version), as: user)
        }
        return projects
    }

    static func auditIDs(_ scratch: Scratch) async throws -> [Int64] {
        try await scratch.database.fetch("SELECT id FROM audit_entry ORDER BY id", []).map { $0.int("id") }
    }

    /// What an attacker with database access would do first.
    static func dropTriggers(_ scratch: Scratch) async throws {
        let statements = scratch.backend == .sqlite
            ? ["DROP TRIGGER audit_entry_no_update", "DROP TRIGGER audit_entry_no_delete"]
            : ["DROP TRIGGER audit_entry_no_update ON audit_entry"]
        try await scratch.database.write(statements.map { SQLStatement($0) })
    }

    @Test("audited changes form an intact chain whose head is the newest entry", arguments: Backend.testable)
    func intact(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            _ = try await Self.recordChanges(scratch.store, count: 3)
            let result = try await scratch.store.verifyAuditChain()
            #expect(result.isIntact)
            #expect(result.entries == 3)
            let newest = try await scratch.database.fetch("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1", []).first?.string("hash")
            #expect(result.headHash == newest)
        }
    }

    @Test("the database refuses UPDATE and DELETE on audit rows", arguments: Backend.testable)
    func appendOnly(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            _ = try await Self.recordChanges(scratch.store, count: 2)
            await #expect(throws: (any Error).self) {
                try await scratch.database.write([SQLStatement("UPDATE audit_entry SET actor = 'mallory'")])
            }
            await #expect(throws: (any Error).self) {
                try await scratch.database.write([SQLStatement("DELETE FROM audit_entry")])
            }
            await #expect(throws: (any Error).self) {
                try await scratch.database.write([SQLStatement("DELETE FROM audit_chain_head")])
            }
            #expect(try await scratch.count("audit_entry") == 2)
            #expect(try await scratch.store.verifyAuditChain().isIntact)
        }
    }

    @Test("an audit row edited directly in the database is detected and named", arguments: Backend.testable)
    func editedRow(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            _ = try await Self.recordChanges(scratch.store, count: 4)
            let ids = try await Self.auditIDs(scratch)
            try await Self.dropTriggers(scratch)
            try await scratch.database.write([SQLStatement("UPDATE audit_entry SET actor = 'mallory' WHERE id = ?", [.integer(ids[1])])])
            let result = try await scratch.store.verifyAuditChain()
            #expect(!result.isIntact)
            #expect(result.broken?.entryID == ids[1])
            #expect(result.broken?.reason.contains("changed after it was written") == true)
        }
    }

    @Test("a removed entry, or a removed tail, is detected", arguments: Backend.testable)
    func removedEntries(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            _ = try await Self.recordChanges(scratch.store, count: 4)
            let ids = try await Self.auditIDs(scratch)
            try await Self.dropTriggers(scratch)
            try await scratch.database.write([SQLStatement("DELETE FROM audit_entry WHERE id = ?", [.integer(ids[3])])])
            let tail = try await scratch.store.verifyAuditChain()
            #expect(tail.broken?.entryID == nil)
            #expect(tail.broken?.reason.contains("deleted") == true)
            try await scratch.database.write([SQLStatement("DELETE FROM audit_entry WHERE id = ?", [.integer(ids[1])])])
            let middle = try await scratch.store.verifyAuditChain()
            #expect(middle.broken?.entryID == ids[2])
        }
    }

    @Test("concurrent audited writes keep one linear chain", arguments: Backend.testable)
    func concurrent(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            let store = scratch.store
            let service = ProgrammeService(store: store, clock: .fixed(Fixture.today))
            let projects = Array(Fixture.dataset.projects.filter { $0.type == .lsp && $0.achievedCount == 0 }.prefix(12))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, project) in projects.enumerated() {
                    group.addTask {
                        _ = try await service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(dates: [.initiationCommenced: MilestoneDates(forecast: Fixture.today.adding(days: 50 + n), actual: nil)], expectedVersion: nil), as: Self.user)
                    }
                }
                try await group.waitForAll()
            }
            let result = try await store.verifyAuditChain()
            #expect(result.isIntact)
            #expect(result.entries == projects.count)
        }
    }
}
