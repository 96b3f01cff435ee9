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

/// The column names of one result set, shared by all its rows so no row carries its own lookup.
/// Names match case-insensitively: PostgreSQL lower-cases unquoted aliases, SQLite keeps them.
public final class SQLColumns: Sendable {
    public let names: [String]
    /// Lower-cased name -> position; a name the result set holds twice maps to -1 (ambiguous).
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            let key = name.lowercased()
            positions[key] = positions[key] == nil ? i : -1
        }
        self.positions = positions
    }

    /// The position of `name`; a missing or ambiguous column is a programming error.
    func position(of name: String) -> Int {
        // Callers use lower-case names, so the first lookup almost always answers.
        guard let i = positions[name] ?? positions[name.lowercased()] else {
            preconditionFailure("No column '\(name)' in the result set; it has \(names.joined(separator: ", ")).")
        }
        guard i >= 0 else {
            preconditionFailure("Column '\(name)' appears more than once in the result set (\(names.joined(separator: ", "))); alias it.")
        }
        return i
    }
}

/// One result row, read by column name (so a reordered SELECT list cannot shift a value into
/// the wrong field). Expressions and clashing names from joins need an `AS` alias.
public struct SQLRow: Sendable {
    private let columns: SQLColumns
    private let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        precondition(columns.names.count == values.count, "A row has \(values.count) values for \(columns.names.count) columns.")
        self.columns = columns
        self.values = values
    }

    private func value(_ name: String) -> SQLValue { values[columns.position(of: name)] }

    public func int(_ name: String) -> Int64 { Self.int(value(name)) }
    public func optionalInt(_ name: String) -> Int64? {
        let v = value(name)
        return v == .null ? nil : Self.int(v)
    }
    public func string(_ name: String) -> String { Self.string(value(name)) }
    public func optionalString(_ name: String) -> String? {
        let v = value(name)
        return v == .null ? nil : Self.string(v)
    }
    public func bytes(_ name: String) -> [UInt8] {
        switch value(name) {
        case .bytes(let b): b
        case .text(let s): Array(s.utf8)
        default: []
        }
    }

    private static func int(_ value: SQLValue) -> Int64 {
        switch value {
        case .integer(let v): v
        case .real(let v): Int64(v)
        case .text(let s): Int64(s) ?? 0
        case .null, .bytes: 0
        }
    }
    private static func string(_ value: SQLValue) -> String {
        switch value {
        case .text(let s): s
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        case .null: ""
        }
    }
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
