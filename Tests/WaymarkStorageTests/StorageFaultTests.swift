import Testing
import WaymarkCore
import WaymarkStorage
import WaymarkTestSupport

/// Faults of the disk and the database (issue 12).
@Suite("Storage contract: faults")
struct StorageFaultTests {
    /// Stops a SQLite database growing (`max_page_count` on the writer connection) and fills the
    /// free space left inside it, so the next write that needs a page fails as a full disk would.
    static func fillDisk(_ database: any SQLDatabase) async throws {
        try await database.write([SQLStatement("CREATE TABLE filler (x BLOB)")])
        let pages = try await database.write([SQLStatement("PRAGMA page_count")])[0][0].int("page_count")
        try await database.write([SQLStatement("PRAGMA max_page_count = \(pages)")])
        for size in [3000, 1000, 300, 100, 30] {
            for _ in 0..<10_000 {
                do {
                    try await database.write([SQLStatement("INSERT INTO filler VALUES (randomblob(\(size)))")])
                } catch {
                    break
                }
            }
        }
    }

    static func freeDisk(_ database: any SQLDatabase) async throws {
        try await database.write([SQLStatement("PRAGMA max_page_count = 1073741823")])
    }

    @Test("a full disk is reported as unavailable, changes nothing, and writes resume once there is space")
    func fullDisk() async throws {
        try await Scratch.withStore(.sqlite) { scratch async throws in
            let store = scratch.store
            try await Self.fillDisk(scratch.database)
            let before = try await scratch.counts()
            let long = String(repeating: "A long account of what happened. ", count: 600)
            let error = await storageError {
                _ = try await store.recordLesson(LessonStorageTests.lesson("Full disk", happened: long), audit: LessonStorageTests.audit("record"))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("full") == true, "\(String(describing: error))")
            #expect(error?.message.contains("INSERT") == false, "the message names the fault, not the statement")
            #expect(try await scratch.counts() == before)

            try await Self.freeDisk(scratch.database)
            let saved = try await store.recordLesson(LessonStorageTests.lesson("Full disk", happened: long), audit: LessonStorageTests.audit("record"))
            #expect(try await store.lesson(id: saved.id, scope: .national) == saved)
            #expect(try await store.verifyAuditChain().isIntact)
        }
    }

    @Test("a database that cannot be written is refused as unavailable, and still answers reads", arguments: Backend.testable)
    func readOnly(backend: Backend) async throws {
        try await Scratch.withStore(backend) { scratch async throws in
            try await scratch.store.checkWritable()
            switch backend {
            case .sqlite:
                // The writer connection refuses writes, as a read-only file makes it.
                try await scratch.database.write([SQLStatement("PRAGMA query_only = 1")])
                let error = await storageError { try await scratch.store.checkWritable() }
                #expect(error?.code == .unavailable)
                #expect(error?.message.contains("read-only") == true, "\(String(describing: error))")
                try await scratch.store.ping()
                #expect(try await scratch.store.national() != nil)
            case .postgres:
                let name = try await scratch.database.fetch("SELECT current_database() AS name", [])[0].string("name")
                try await scratch.database.write([SQLStatement("ALTER DATABASE \"\(name)\" SET default_transaction_read_only = on")])
                let error = await storageError {
                    try await withReopened(scratch) { reopened in
                        try await reopened.ping()
                        try await reopened.checkWritable()
                    }
                }
                #expect(error?.code == .unavailable)
                #expect(error?.message.contains("read-only") == true, "\(String(describing: error))")
            }
        }
    }

    @Test("a write that breaks the database's own rules is a conflict, not an outage, on either backend", arguments: Backend.testable)
    func constraintIsAConflict(backend: Backend) async throws {
        try await Scratch.withStore(backend, loaded: false) { scratch in
            try await scratch.database.write([SQLStatement("CREATE TABLE pair (id INTEGER PRIMARY KEY)")])
            try await scratch.database.write([SQLStatement("INSERT INTO pair (id) VALUES (1)")])
            let error = await storageError { try await scratch.database.write([SQLStatement("INSERT INTO pair (id) VALUES (1)")]) }
            #expect(error?.code == .constraint, "\(String(describing: error))")
            #expect(try await scratch.count("pair") == 1)
        }
    }
}
