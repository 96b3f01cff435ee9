/// A value bound to or read from SQL. Dates are stored as day ordinals (`Day.ordinal`), so
/// both backends compare them as integers.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// Document content (BLOB / bytea).
    case bytes([UInt8])

    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
}

/// One result row, read by column position.
public struct SQLRow: Sendable {
    public var values: [SQLValue]
    public init(_ values: [SQLValue]) { self.values = values }

    public func int(_ i: Int) -> Int64 {
        switch values[i] {
        case .integer(let v): v
        case .real(let v): Int64(v)
        case .text(let s): Int64(s) ?? 0
        case .null, .bytes: 0
        }
    }
    public func optionalInt(_ i: Int) -> Int64? { values[i] == .null ? nil : int(i) }
    public func string(_ i: Int) -> String {
        switch values[i] {
        case .text(let s): s
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        case .null: ""
        }
    }
    public func bytes(_ i: Int) -> [UInt8] {
        switch values[i] {
        case .bytes(let b): b
        case .text(let s): Array(s.utf8)
        default: []
        }
    }
    public func optionalString(_ i: Int) -> String? { values[i] == .null ? nil : string(i) }
}

/// A statement in a write batch. `expectedRows`, when set, is the number of rows the statement
/// must return (through `RETURNING`); any other count rolls the whole batch back as a conflict.
public struct SQLStatement: Sendable {
    public var sql: String
    public var binds: [SQLValue]
    public var expectedRows: Int?
    /// The error code a row-count mismatch is reported as.
    public var onMismatch: StorageError.Code

    public init(_ sql: String, _ binds: [SQLValue] = [], expectedRows: Int? = nil, onMismatch: StorageError.Code = .conflict) {
        self.sql = sql
        self.binds = binds
        self.expectedRows = expectedRows
        self.onMismatch = onMismatch
    }

    /// The error to throw when this statement's row count is not the expected one.
    public var mismatchError: StorageError {
        switch onMismatch {
        case .auditChainMoved: StorageError(onMismatch, "Another change was audited at the same moment; retry.")
        case .duplicate: StorageError(onMismatch, "A record with that name already exists.")
        case .notFound: StorageError(onMismatch, "The record does not exist, or is no longer in the state the change needs.")
        default: StorageError(onMismatch, "The record was changed by someone else since it was read; reload it and try again.")
        }
    }
}

public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}

/// What a backend provides: reads, and atomic batches of writes. Everything else (queries,
/// row mapping, migrations, audit) is shared in `SQLStore`, so the backends cannot drift apart.
/// SQL uses `?` placeholders; a backend that needs `$n` rewrites them.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    func fetch(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// Runs every statement in one transaction; on any error nothing is written.
    /// `progress` is told how many statements have run. Returns each statement's rows (from
    /// `RETURNING`), so a write can answer with exactly what it committed.
    @discardableResult
    func write(_ statements: [SQLStatement], progress: (@Sendable (Int) -> Void)?) async throws -> [[SQLRow]]
    /// Brings the planner's statistics up to date after a bulk load.
    func refreshStatistics() async throws
    func close() async throws
    /// Turns at the head of this database's audit chain, for writers in this process.
    var auditTurns: AuditAppendLock { get }
}

extension SQLDatabase {
    /// SQLite's planner serves Waymark's queries well from its own heuristics; only
    /// PostgreSQL needs fresh statistics and a visibility map for index-only scans.
    public func refreshStatistics() async throws {}

    @discardableResult
    public func write(_ statements: [SQLStatement]) async throws -> [[SQLRow]] {
        try await write(statements, progress: nil)
    }
}
