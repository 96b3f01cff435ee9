import ArgumentParser
import Foundation
import GRDB
import PostgresNIO
import WaymarkCore
import WaymarkPostgres
import WaymarkService
import WaymarkServer
import WaymarkSQLite
@_spi(Bench) import WaymarkStorage

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark Waymark at national scale against raw SQL through the same driver.",
        discussion: """
            Seeds the England dataset into a new SQLite database (and into PostgreSQL when --postgres
            names an empty database), then times the seed, the national roll-up, a filtered list of 25
            projects and a milestone update. Each figure is shown beside the same work done as raw SQL
            through the same driver in the same run, and as a ratio, because shared machines are noisy.
            With wrk installed it also measures the filtered-list API under load (wrk -t1 -c32),
            against /health as the baseline. Then the plans: the critical path on a 100,000-task
            network against a plain longest-path pass, MS Project XML at 10,000 tasks (against MPXJ
            when Java and the mpxj package are present), and the Gantt at 500 tasks.
            """)

    @Option(help: ArgumentHelp("An empty PostgreSQL database to benchmark too: postgres://USER:PASSWORD@HOST:PORT/DB.", valueName: "url"))
    var postgres: String?
    @Option(help: "Timed repetitions of each query (the median is reported).") var iterations = 41
    @Option(help: "Seconds for each wrk run.") var wrkSeconds = 10
    @Flag(help: "Skip the HTTP load test.") var skipHTTP = false
    @Flag(help: "Only the plan benchmarks (critical path, MS Project XML, Gantt).") var plansOnly = false
    @Option(help: ArgumentHelp("Only these parts, comma-separated: storage, http, plans, registers, lessons, change-control, documents, rollout, readiness, people, organisations, dq.", valueName: "parts"))
    var only: String?

    /// Whether `part` is to run: everything unless --only names a list.
    func runs(_ part: String) -> Bool {
        guard let only else { return true }
        return only.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == part }
    }

    func run() async throws {
        if only == "dq" {
            var report = BenchReport()
            try await benchDataQuality(into: &report)
            print("")
            print(report.render())
            return
        }
        if plansOnly {
            var report = BenchReport()
            try await benchPlans(into: &report)
            print("")
            print(report.render())
            return
        }
        var generator = ProgrammeGenerator(scale: .england, today: today)
        let dataset = generator.generate()
        print("England dataset: \(dataset.organisations.count.formatted()) organisations, \(dataset.projects.count.formatted()) projects, \(dataset.milestoneCount.formatted()) milestones.")
        var report = BenchReport()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlite = try SQLiteDatabase(path: directory.appendingPathComponent("bench.sqlite").path)
        let sqliteRaw = RawSQLite(pool: sqlite.pool)
        let sqliteStore = try await benchBackend("sqlite", database: sqlite, raw: sqliteRaw, dataset: dataset, into: &report)
        if !skipHTTP && runs("http") { try await benchHTTP(store: sqliteStore, into: &report) }

        if let postgres {
            guard case .postgres(let address) = try DatabaseURL(parsing: postgres) else {
                throw ValidationError("--postgres needs a postgres:// URL.")
            }
            let database = try await PostgresDatabase.connect(address)
            _ = try await benchBackend("postgres", database: database, raw: RawPostgres(client: database.client), dataset: dataset, into: &report)
        }
        if runs("organisations") { try await benchOrganisations(dataset, into: &report) }
        if runs("plans") { try await benchPlans(into: &report) }
        if runs("dq") { try await benchDataQuality(into: &report) }
        print("")
        print(report.render())
    }

    /// Seeds and times one backend; returns its store for the HTTP test.
    func benchBackend(_ name: String, database: any SQLDatabase, raw: any RawDriver, dataset: ProgrammeDataset,
                      into report: inout BenchReport) async throws -> SQLStore {
        let store = SQLStore(database: database)
        try await store.migrate()
        guard try await store.isEmpty() else {
            throw ValidationError("The \(name) database is not empty; benchmark into a new, empty database.")
        }
        print("[\(name)] raw seed baseline ...")
        let (statements, _) = SQLStore.loadStatements(dataset)
        let rawSeed = try await time {
            try await raw.write(statements)
            // The same statistics refresh the store does after a load.
            if name == "postgres" { try await raw.fetch("VACUUM (ANALYZE)", []) }
        }
        // TRUNCATE on PostgreSQL: DELETE would leave every row dead, slowing the load that follows.
        let tables = SQLStore.loadTables(dataset).reversed().map(\.table)
        try await raw.write(name == "postgres" ? [SQLStatement("TRUNCATE " + tables.joined(separator: ", ") + " CASCADE")]
                                               : tables.map { SQLStatement("DELETE FROM \($0)") })
        print("[\(name)] seeding through Waymark ...")
        let bar = ProgressBar("[\(name)] seed")
        let seed = try await time {
            var generator = ProgrammeGenerator(scale: .england, today: today)
            try await store.load(generator.generate()) { bar.update($0, $1) }
        }
        bar.finish()
        // 30 s for the programme (issue 1) and 60 s for its 800,000 staff (issue 15, timed alone by `--only people`).
        report.add(name, "seed England with its people (generate + load)", seed, rawSeed, goal: name == "sqlite" ? "<= 90 s" : nil,
                   pass: name == "sqlite" ? seed <= 90 : nil)
        if runs("registers") { try await benchTracking(name, store: store, raw: raw, into: &report) }
        if runs("lessons") { try await benchLessons(name, store: store, raw: raw, into: &report) }
        if runs("change-control") { try await benchChangeControl(name, store: store, raw: raw, into: &report) }
        if runs("documents") { try await benchDocuments(name, store: store, raw: raw, into: &report) }
        if runs("rollout") { try await benchRollOut(name, store: store, raw: raw, into: &report) }
        if runs("readiness") { try await benchReadiness(name, store: store, raw: raw, into: &report) }
        if runs("people") { try await benchPeople(name, store: store, raw: raw, into: &report) }
        guard runs("storage") else { return store }

        let service = ProgrammeService(store: store)
        let user = ActingUser.commandLine(origin: "bench")
        guard let national = try await store.national(), let cluster = try await store.organisation(code: "CNW", scope: .national) else {
            throw ValidationError("The seeded data has no national programme.")
        }
        let rollUpSQL = SQLStore.rollUpSQL(for: national, scope: .national)
        let rollUp = try await median(iterations) { _ = try await store.rollUp(for: national, scope: .national) }
        let rollUpRaw = try await median(iterations) { try await raw.fetch(rollUpSQL.sql, rollUpSQL.binds) }
        report.add(name, "national roll-up (median)", rollUp, rollUpRaw, goal: "<= 2x raw, <= 100 ms",
                   pass: rollUp <= 2 * rollUpRaw && rollUp <= 0.1)

        let query = ProjectQuery(scope: .national, within: cluster, productCode: "CRS", stage: .localDesign, limit: 25)
        let listSQL = SQLStore.projectListSQL(query)
        let list = try await median(iterations) { _ = try await service.projects(query, as: user) }
        let listRaw = try await median(iterations) { try await raw.fetch(listSQL.sql, listSQL.binds) }
        report.add(name, "filtered list of 25 (median)", list, listRaw, goal: "<= 5 ms", pass: list <= 0.005)

        // Milestone updates: move open forecasts by a day and back, through the service (read,
        // rules, versioned write and audit) and as one raw UPDATE.
        let candidates = try await store.projects(ProjectQuery(scope: .national, within: cluster, productCode: "PACS", limit: 200)).items
            .filter { $0.project.milestones.contains { !$0.isAchieved && $0.forecast != nil } }
        guard !candidates.isEmpty else { throw ValidationError("No open milestones to update.") }
        var round = 0
        let update = try await median(iterations) {
            let project = candidates[round % candidates.count].project
            let milestone = project.milestones.last { !$0.isAchieved }!
            let shift = (round / candidates.count) % 2 == 0 ? 1 : 0
            round += 1
            _ = try await service.recordMilestoneDates(projectCode: project.code, RecordMilestoneDates(dates: [milestone.kind: MilestoneDates(forecast: milestone.forecast!.adding(days: shift), actual: nil)], expectedVersion: nil), as: user)
        }
        round = 0
        let updateRaw = try await median(iterations) {
            let project = candidates[round % candidates.count].project
            let milestone = project.milestones.last { !$0.isAchieved }!
            round += 1
            try await raw.write([SQLStatement("UPDATE milestone SET forecast = ?, version = version + 1 WHERE project_id = ? AND kind = ?",
                                              [.integer(Int64(milestone.forecast!.ordinal + round % 2)), .integer(project.id),
                                               .text(milestone.kind.rawValue)])])
        }
        report.add(name, "milestone update (median)", update, updateRaw, goal: nil, pass: nil)
        return store
    }

    /// The filtered-list API under wrk, with /health (no database) as the same-run baseline.
    func benchHTTP(store: SQLStore, into report: inout BenchReport) async throws {
        guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: FileManager.default.isExecutableFile) else {
            print("wrk is not installed; skipping the HTTP load test (apt-get install wrk).")
            return
        }
        // The API is used as a national programme office user would, with a bearer token; the
        // limits are lifted so the load test measures throughput, not the per-token cap.
        var settings = AccountService.Configuration()
        settings.limits = .unlimited
        let accounts = AccountService(store: store, configuration: settings)
        _ = try await accounts.addUser(username: "bench-npo", displayName: "Benchmark user", role: .nationalProgrammeOffice,
                                       organisationCode: "NPO", password: Secrets.generate(), as: .commandLine(origin: "bench"))
        let account = try await accounts.store.user(username: "bench-npo")!
        let token = try await accounts.createToken(name: "bench", scopes: [.read], days: 1,
                                                   for: try await accounts.actingUser(account, origin: "bench")).secret
        let ready = AsyncStream<Int>.makeStream()
        let app = try buildApplication(service: ProgrammeService(store: store), accounts: accounts,
                                       configuration: ServerConfiguration(port: 0)) { port in
            ready.continuation.yield(port)
        }
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var port = 0
        for await value in ready.stream {
            port = value
            break
        }
        let base = "http://127.0.0.1:\(port)"
        print("[http] wrk -t1 -c32 -d\(wrkSeconds)s against \(base) ...")
        let health = try await runWrkOffLoop(wrk, url: base + "/health")
        let list = try await runWrkOffLoop(wrk, url: base + "/api/v1/projects?within=CNW&product=CRS&stage=2&limit=25",
                                           headers: ["Authorization: Bearer \(token)"])
        report.addRate("http", "filtered-list API, wrk -t1 -c32 (req/s)", list, health, goal: ">= 5,000 req/s", pass: list >= 5000)
    }

    /// Waits for wrk on a dispatch thread: tasks run on the server's event loops, which must
    /// stay free to serve wrk's requests.
    func runWrkOffLoop(_ wrk: String, url: String, headers: [String] = []) async throws -> Double {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runWrk(wrk, url: url, headers: headers) })
            }
        }
    }

    func runWrk(_ wrk: String, url: String, headers: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t1", "-c32", "-d\(wrkSeconds)s"] + headers.flatMap { ["-H", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Requests/sec:") }),
              let value = Double(line.split(separator: " ").last ?? "") else {
            throw ValidationError("Could not read wrk's output:\n\(output)")
        }
        if output.contains("Non-2xx") { throw ValidationError("wrk saw error responses from \(url):\n\(output)") }
        return value
    }

    func time(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await body() }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    func median(_ n: Int, _ body: () async throws -> Void) async throws -> Double {
        for _ in 0..<3 { try await body() }
        var samples: [Double] = []
        for _ in 0..<max(1, n) { samples.append(try await time(body)) }
        return samples.sorted()[samples.count / 2]
    }
}

/// The same SQL, run directly through the backend's driver with no Waymark code in between.
protocol RawDriver: Sendable {
    func fetch(_ sql: String, _ binds: [SQLValue]) async throws
    func write(_ statements: [SQLStatement]) async throws
}

struct RawSQLite: RawDriver {
    let pool: DatabasePool

    func fetch(_ sql: String, _ binds: [SQLValue]) async throws {
        // Count inside the read: rows are not Sendable, and a count keeps the async overload.
        let count = try await pool.read { db in try Row.fetchAll(db, sql: sql, arguments: SQLiteDatabase.arguments(binds)).count }
        precondition(count >= 0)
    }

    func write(_ statements: [SQLStatement]) async throws {
        try await pool.write { db in
            for s in statements { try db.execute(sql: s.sql, arguments: SQLiteDatabase.arguments(s.binds)) }
        }
    }
}

struct RawPostgres: RawDriver {
    let client: PostgresClient

    func fetch(_ sql: String, _ binds: [SQLValue]) async throws {
        for try await _ in try await client.query(PostgresDatabase.query(sql, binds)) {}
    }

    func write(_ statements: [SQLStatement]) async throws {
        try await client.withTransaction(logger: Logger(label: "bench")) { connection in
            for s in statements { try await connection.query(PostgresDatabase.query(s.sql, s.binds), logger: Logger(label: "bench")) }
        }
    }
}

struct BenchReport {
    struct Row {
        var backend, measure, waymark, raw, ratio, goal, verdict: String
    }
    var rows: [Row] = []

    mutating func add(_ backend: String, _ measure: String, _ seconds: Double, _ rawSeconds: Double, goal: String?, pass: Bool?) {
        rows.append(Row(backend: backend, measure: measure, waymark: Self.format(seconds), raw: Self.format(rawSeconds),
                        ratio: String(format: "%.2fx", seconds / max(rawSeconds, 1e-9)), goal: goal ?? "-",
                        verdict: pass.map { $0 ? "PASS" : "MISS" } ?? "-"))
    }

    mutating func addRate(_ backend: String, _ measure: String, _ rate: Double, _ baseline: Double, goal: String, pass: Bool) {
        rows.append(Row(backend: backend, measure: measure, waymark: String(format: "%.0f", rate),
                        raw: String(format: "%.0f (/health)", baseline), ratio: String(format: "%.2fx", rate / max(baseline, 1)),
                        goal: goal, verdict: pass ? "PASS" : "MISS"))
    }

    static func format(_ seconds: Double) -> String {
        seconds >= 1 ? String(format: "%.2f s", seconds) : String(format: "%.2f ms", seconds * 1000)
    }

    func render() -> String {
        let header = Row(backend: "backend", measure: "measure", waymark: "waymark", raw: "raw SQL", ratio: "ratio", goal: "goal", verdict: "")
        let all = [header] + rows
        func width(_ key: KeyPath<Row, String>) -> Int { all.map { $0[keyPath: key].count }.max() ?? 0 }
        let widths = [width(\.backend), width(\.measure), width(\.waymark), width(\.raw), width(\.ratio), width(\.goal)]
        return all.map { row in
            zip([row.backend, row.measure, row.waymark, row.raw, row.ratio, row.goal], widths)
                .map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row.verdict
        }.joined(separator: "\n")
    }
}
