import Foundation
import GRDB
import WaymarkStorage

/// SQLite through GRDB: a WAL `DatabasePool` with `synchronous=FULL`, so an acknowledged write
/// survives power loss; readers never block the writer.
public struct SQLiteDatabase: SQLDatabase {
    public let pool: DatabasePool
    public var dialect: SQLDialect { .sqlite }

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
        let store = SQLStore(database: try SQLiteDatabase(path: path))
        try await store.migrate()
        return store
    }

    public func fetch(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: sql)
            return try Row.fetchAll(statement, arguments: Self.arguments(binds)).map(Self.row)
        }
    }

    public func write(_ statements: [SQLStatement], progress: (@Sendable (Int) -> Void)?) async throws {
        try await pool.write { db in
            for (index, statement) in statements.enumerated() {
                let prepared = try db.cachedStatement(sql: statement.sql)
                if let expected = statement.expectedRows {
                    let count = try Row.fetchAll(prepared, arguments: Self.arguments(statement.binds)).count
                    if count != expected {
                        throw StorageError(.conflict, "The record was changed by someone else since it was read; reload it and try again.")
                    }
                } else {
                    try prepared.execute(arguments: Self.arguments(statement.binds))
                }
                progress?(index + 1)
            }
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
            }
        })
    }

    static func row(_ row: Row) -> SQLRow {
        SQLRow(row.databaseValues.map { value in
            switch value.storage {
            case .null: .null
            case .int64(let v): .integer(v)
            case .double(let v): .real(v)
            case .string(let v): .text(v)
            case .blob(let data): .text(String(decoding: data, as: UTF8.self))
            }
        })
    }

    static func reason(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? String(describing: error)
    }
}
