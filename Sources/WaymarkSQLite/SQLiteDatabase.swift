import Foundation
import GRDB
import WaymarkStorage

/// SQLite through GRDB: a WAL `DatabasePool` with `synchronous=FULL`, so an acknowledged write
/// survives power loss; readers never block the writer.
public struct SQLiteDatabase: SQLDatabase {
    public let pool: DatabasePool
    public var dialect: SQLDialect { .sqlite }
    public let auditTurns = AuditAppendLock()

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StorageError(.unavailable, "Cannot open the SQLite database at '\(path)': \(Self.reason(error)). Check the directory exists and is writable.")
        }
    }

    /// Opens the store and applies any pending migrations.
    public static func openStore(path: String) async throws -> SQLStore {
        // Document files live beside the database file; an in-memory database keeps them inside.
        let files = path == ":memory:" || path.isEmpty ? nil : DirectoryDocumentFiles(besideDatabaseAt: path)
        let store = SQLStore(database: try SQLiteDatabase(path: path), files: files)
        try await store.migrate()
        return store
    }

    /// Reads run synchronously on the calling task: a read takes well under a millisecond, and
    /// hopping to GRDB's queue and back cost more than the query under load (see
    /// docs/performance.md). The pool has more readers than the cooperative pool has threads, so
    /// a read never waits on another task. Writes, which may wait for the single writer, stay async.
    public func fetch(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try fetchNow(sql, binds)
        } catch {
            throw Self.classify(error)
        }
    }

    /// Not async, so GRDB's synchronous read is the one called. Each fetch is one statement,
    /// which SQLite already reads from one snapshot, so the BEGIN/COMMIT that `read` wraps
    /// around it buys nothing and cost an eighth of a list request's CPU.
    private func fetchNow(_ sql: String, _ binds: [SQLValue]) throws -> [SQLRow] {
        try pool.unsafeRead { db in
            let statement = try db.cachedStatement(sql: sql)
            // A cursor's rows are views on the statement: reading them copies no Row.
            let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(binds))
            return try Self.rows(cursor)
        }
    }

    @discardableResult
    public func write(_ statements: [SQLStatement], progress: (@Sendable (Int) -> Void)?) async throws -> [[SQLRow]] {
        do {
            return try await writeNow(statements, progress: progress)
        } catch {
            throw Self.classify(error)
        }
    }

    private func writeNow(_ statements: [SQLStatement], progress: (@Sendable (Int) -> Void)?) async throws -> [[SQLRow]] {
        try await pool.write { db in
            var results: [[SQLRow]] = []
            results.reserveCapacity(statements.count)
            for (index, statement) in statements.enumerated() {
                let prepared = try db.cachedStatement(sql: statement.sql)
                let cursor = try Row.fetchCursor(prepared, arguments: Self.arguments(statement.binds))
                let rows = try Self.rows(cursor)
                if let expected = statement.expectedRows, rows.count != expected { throw statement.mismatchError }
                results.append(rows)
                progress?(index + 1)
            }
            return results
        }
    }

    public func close() async throws { try pool.close() }

    public static func arguments(_ binds: [SQLValue]) -> StatementArguments {
        StatementArguments(binds.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: nil
            case .integer(let v): v
            case .real(let v): v
            case .text(let v): v
            case .bytes(let v): Data(v)
            }
        })
    }

    /// The cursor's rows, sharing one set of column names built from the first row.
    static func rows(_ cursor: RowCursor) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        while let row = try cursor.next() {
            let names = columns ?? SQLColumns(Array(row.columnNames))
            columns = names
            rows.append(Self.row(row, columns: names))
        }
        return rows
    }

    static func row(_ row: Row, columns: SQLColumns) -> SQLRow {
        // databaseValues reads straight from the statement; `row[i] as DatabaseValue` goes
        // through the generic decoding path and cost several times more.
        SQLRow(columns: columns, values: row.databaseValues.map { value in
            switch value.storage {
            case .null: .null
            case .int64(let v): .integer(v)
            case .double(let v): .real(v)
            case .string(let v): .text(v)
            case .blob(let data): .bytes(Array(data))
            }
        })
    }

    /// Faults of the disk or the file, not of the request, become `.unavailable` (503 with
    /// Retry-After, logged for the operator): a full disk, an I/O error, a read-only file, a
    /// lock held too long. The message names the fault, never a statement or its values.
    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let code = error.resultCode
        if code == .SQLITE_CONSTRAINT {
            return StorageError(.constraint, "The change conflicts with a stored record (SQLite result code \(error.extendedResultCode.rawValue)).")
        }
        let fault: String? = switch code {
        case .SQLITE_FULL: "the disk holding the SQLite database is full; free some space and writes resume without a restart"
        case .SQLITE_IOERR: "the SQLite database file could not be read or written (I/O error)"
        case .SQLITE_READONLY: "the SQLite database file is read-only; check its and its directory's permissions"
        case .SQLITE_CANTOPEN: "the SQLite database file could not be opened"
        case .SQLITE_BUSY, .SQLITE_LOCKED: "the SQLite database stayed locked by another writer"
        case .SQLITE_NOMEM: "SQLite ran out of memory"
        default: nil
        }
        guard let fault else { return error }
        return StorageError(.unavailable, "\(fault) (SQLite result code \(error.extendedResultCode.rawValue)).")
    }

    static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? String(describing: error)
    }
}
