import Foundation
import Logging
import NIOCore
import PostgresNIO
import WaymarkStorage

/// PostgreSQL through postgres-nio's pooled `PostgresClient`. Rewrites `?` placeholders to `$n`.
public final class PostgresDatabase: SQLDatabase {
    public let client: PostgresClient
    public var dialect: SQLDialect { .postgres }
    public let auditTurns = AuditAppendLock()
    private let runner: Task<Void, Never>
    /// Finishes as soon as the runner task is executing, just before it calls `run()`.
    private let started: Task<Void, Never>
    private let logger: Logger
    private let address: DatabaseURL.PostgresAddress
    /// How long a query waits for a pooled connection before giving up with `.unavailable`.
    public let connectionWait: Duration
    public static let defaultConnectionWait: Duration = .seconds(5)

    /// Connects once up front so a server that is down, or that refuses the credentials, is
    /// reported clearly now rather than as a hung request later.
    public static func connect(_ address: DatabaseURL.PostgresAddress, connectionWait: Duration = defaultConnectionWait,
                               logger: Logger = Logger(label: "waymark.postgres")) async throws -> PostgresDatabase {
        var probeConfig = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.username, password: address.password,
            database: address.database, tls: .disable)
        // Generous: a loaded two-core machine (CI running 65 suites in parallel, many loading
        // PostgreSQL) has taken over 20 s to accept; a server that is down is still refused at once.
        probeConfig.options.connectTimeout = .seconds(90)
        do {
            let connection = try await PostgresConnection.connect(configuration: probeConfig, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw describe(error, address: address)
        }
        let database = PostgresDatabase(address: address, connectionWait: connectionWait, logger: logger)
        // Queries issued before run() has begun are logged as a misuse; wait for it to start.
        await database.started.value
        return database
    }

    /// Opens the store and applies any pending migrations.
    public static func openStore(_ address: DatabaseURL.PostgresAddress, connectionWait: Duration = defaultConnectionWait) async throws -> SQLStore {
        let store = SQLStore(database: try await connect(address, connectionWait: connectionWait))
        try await store.migrate()
        return store
    }

    private init(address: DatabaseURL.PostgresAddress, connectionWait: Duration, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.username, password: address.password,
            database: address.database, tls: .disable)
        configuration.options.maximumConnections = 16
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.address = address
        self.connectionWait = connectionWait
        let (signal, continuation) = AsyncStream<Void>.makeStream()
        runner = Task {
            continuation.finish()
            await client.run()
        }
        started = Task { for await _ in signal {} }
    }

    deinit { runner.cancel() }

    public func fetch(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        do {
            return try await leased { [logger] connection in
                try await Self.collect(connection.query(Self.query(sql, binds), logger: logger))
            }
        } catch {
            throw Self.describe(error, address: address)
        }
    }

    @discardableResult
    public func write(_ statements: [SQLStatement], progress: (@Sendable (Int) -> Void)?) async throws -> [[SQLRow]] {
        do {
            return try await leased { [logger] connection in try await connection.withTransaction(logger: logger) { connection in
                var results: [[SQLRow]] = []
                for (index, statement) in statements.enumerated() {
                    let rows = try await Self.collect(connection.query(Self.query(statement.sql, statement.binds), logger: logger))
                    if let expected = statement.expectedRows, rows.count != expected { throw statement.mismatchError }
                    results.append(rows)
                    progress?(index + 1)
                }
                return results
            } }
        } catch let error as PostgresTransactionError {
            if let storage = error.closureError as? StorageError { throw storage }
            throw Self.describe(error.closureError ?? error.beginError ?? error.commitError ?? error, address: address)
        } catch {
            throw Self.describe(error, address: address)
        }
    }

    /// Runs `body` on a pooled connection, waiting at most `connectionWait` for one. When the
    /// server is down the pool would otherwise keep the request waiting (43 s was seen) and then
    /// run it after the client had given up. Once a connection is leased the work is never cut
    /// short: a transaction either commits or fails on its own terms.
    func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let gate = LeaseGate()
        let wait = connectionWait
        let address = address
        return try await withThrowingTaskGroup(of: T?.self) { [client] group in
            group.addTask {
                try await client.withConnection { connection in
                    guard gate.claim(.leased) else { throw CancellationError() }
                    return try await body(connection)
                }
            }
            group.addTask {
                try? await Task.sleep(for: wait)
                if gate.claim(.timedOut) {
                    throw StorageError(.unavailable, "No connection to PostgreSQL at \(address.host):\(address.port) within \(wait); the server may be down or overloaded.")
                }
                return nil
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    /// After a seed: without it the heat map's index-only scan visits every heap page
    /// (98 ms rather than 16 ms at England scale) until autovacuum gets round to the tables.
    public func refreshStatistics() async throws {
        do {
            _ = try await leased { [logger] connection in try await Self.collect(connection.query("VACUUM (ANALYZE)", logger: logger)) }
        } catch {
            throw Self.describe(error, address: address)
        }
    }

    public func close() async throws { runner.cancel() }

    /// The query as postgres-nio runs it; public so benchmarks can run the same SQL raw.
    public static func query(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let v): bindings.append(v)
            case .real(let v): bindings.append(v)
            case .text(let v): bindings.append(v)
            case .bytes(let v): bindings.append(ByteBuffer(bytes: v))
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: bindings)
    }

    /// `?` -> `$1, $2, ...`; Waymark's SQL never puts `?` inside a literal.
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        for c in sql {
            if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        var columns: SQLColumns?
        for try await row in rows {
            // Every row of a result has the same columns: name them once, from the first.
            let names = columns ?? SQLColumns(row.map(\.columnName))
            columns = names
            var values: [SQLValue] = []
            for cell in row {
                values.append(try value(of: cell))
            }
            result.append(SQLRow(columns: names, values: values))
        }
        return result
    }

    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8: return .integer(try cell.decode(Int64.self))
        case .int4: return .integer(Int64(try cell.decode(Int32.self)))
        case .int2: return .integer(Int64(try cell.decode(Int16.self)))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float8: return .real(try cell.decode(Double.self))
        case .float4: return .real(Double(try cell.decode(Float.self)))
        case .bytea: return .bytes(Array((try cell.decode(ByteBuffer.self)).readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// Turns driver errors into messages that say what is wrong and what to do.
    static func describe(_ error: any Error, address: DatabaseURL.PostgresAddress) -> any Error {
        if error is StorageError { return error }
        guard let psql = error as? PSQLError else { return error }
        let whereTo = "PostgreSQL at \(address.host):\(address.port)"
        switch psql.code {
        case .connectionError, .serverClosedConnection, .poolClosed:
            let detail = psql.underlying.map { " (\($0))" } ?? ""
            return StorageError(.unavailable, "Cannot connect to \(whereTo)\(detail). Check the server is running and the URL's host and port.")
        case .authMechanismRequiresPassword:
            return StorageError(.unavailable, "\(whereTo) requires a password for user '\(address.username)'; put it in the URL.")
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            let message = psql.serverInfo?[.message] ?? "server error"
            switch state {
            case "28P01", "28000":
                return StorageError(.unavailable, "\(whereTo) refused the credentials for user '\(address.username)': \(message).")
            case "3D000":
                return StorageError(.unavailable, "Database '\(address.database)' does not exist on \(whereTo); create it first.")
            case "53100":
                return StorageError(.unavailable, "The disk holding \(whereTo)'s data is full (53100); free some space and writes resume without a restart.")
            case let state where state.hasPrefix("23"):
                // Integrity violations are the request's, not the server's: not a 503 to retry.
                return StorageError(.constraint, "The change conflicts with a stored record (\(state)).")
            case "25006":
                return StorageError(.unavailable, "\(whereTo) is read-only (25006): it is a standby, or default_transaction_read_only is on.")
            default:
                return StorageError(.unavailable, "\(whereTo) reported an error (\(state)): \(message).")
            }
        default:
            return StorageError(.unavailable, "\(whereTo): \(psql.code).")
        }
    }
}


/// Decides, once, whether a lease or its deadline came first. (A lock, not `Mutex`: the
/// package still supports macOS 14.)
final class LeaseGate: @unchecked Sendable {
    enum Outcome { case leased, timedOut }
    private let lock = NSLock()
    private var outcome: Outcome?

    /// True when `claimed` is the first to claim the gate.
    func claim(_ claimed: Outcome) -> Bool {
        lock.withLock {
            guard let outcome else {
                self.outcome = claimed
                return true
            }
            return outcome == claimed
        }
    }
}
