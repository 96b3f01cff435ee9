import WaymarkCore

extension SQLStore {
    public func isEmpty() async throws -> Bool {
        try await database.fetch("SELECT COUNT(*) AS organisations FROM organisation", []).first?.int("organisations") == 0
    }

    /// Loads the whole dataset in one transaction (all or nothing), as multi-row INSERTs that
    /// both backends accept, reporting rows written. With `seed`, the same transaction records
    /// that seed as started (`seedState` is `.partial` until `markSeedComplete`).
    public func load(_ dataset: ProgrammeDataset, seed: String?, progress: (@Sendable (Int, Int) -> Void)?) async throws {
        guard try await isEmpty() else {
            throw StorageError(.notEmpty, "The database already holds organisations; seed into a new, empty database.")
        }
        var (statements, rowsAfter) = Self.loadStatements(dataset)
        statements += [Self.refreshAllReadiness, Self.refreshAllPeopleSites]
        rowsAfter += [rowsAfter.last ?? 0, rowsAfter.last ?? 0]
        if let seed {
            statements.append(SQLStatement("INSERT INTO seed_run (name, completed) VALUES (?, 0)", [.text(seed)]))
            rowsAfter.append(rowsAfter.last ?? 0)
        }
        let cumulative = rowsAfter
        let total = cumulative.last ?? 0
        try await database.write(statements, progress: progress.map { report in
            { @Sendable done in report(done == 0 ? 0 : cumulative[done - 1], total) }
        })
        // Autovacuum soon covers a small load; a national one needs its statistics at once.
        if total >= 100_000 { try await database.refreshStatistics() }
    }

    /// Projects and their milestones as rows: the seed's and a roll-out's, the same way.
    @_spi(Bench) public static func projectTables(_ projects: [ImplementationProject]) -> [LoadTable] {
        var tables: [LoadTable] = []
        tables.append(("project", ["id", "code", "product_code", "type", "organisation_id", "supplier_id", "cluster_id", "sha_id",
                                   "lhc_id", "trust_id", "site_id", "version", "release", "state", "state_on", "state_reason"] + derivedColumns,
                       projects.map { p in
            [.integer(p.id), .text(p.code), .text(p.productCode), .text(p.type.rawValue), .integer(p.organisationID),
             SQLValue(p.supplierID), SQLValue(p.ancestry.clusterID), SQLValue(p.ancestry.shaID), SQLValue(p.ancestry.lhcID),
             SQLValue(p.ancestry.trustID), SQLValue(p.ancestry.siteID), .integer(Int64(p.version)), .integer(Int64(p.release)),
             .text(p.state.rawValue), SQLValue(p.stateOn?.ordinal), SQLValue(p.stateReason)] + derivedValues(p)
        }))
        var milestoneRows: [[SQLValue]] = []
        milestoneRows.reserveCapacity(projects.reduce(0) { $0 + $1.milestones.count })
        for p in projects {
            for (position, m) in p.milestones.enumerated() {
                milestoneRows.append([.integer(p.id), .text(m.kind.rawValue), .integer(Int64(position)),
                                      SQLValue(m.baseline?.ordinal), SQLValue(m.forecast?.ordinal),
                                      SQLValue(m.actual?.ordinal), .integer(Int64(m.version))])
            }
        }
        tables.append(("milestone", ["project_id", "kind", "position", "baseline", "forecast", "actual", "version"], milestoneRows))
        return tables
    }

    /// The INSERT statements that load `dataset`, with the rows written after each one.
    @_spi(Bench) public static func loadStatements(_ dataset: ProgrammeDataset) -> (statements: [SQLStatement], rowsAfter: [Int]) {
        statements(loading: loadTables(dataset))
    }

    /// Loads the projects and every record about them into a database that already holds the
    /// dataset's organisations and contracts (the demo adds those through the services), in one
    /// transaction.
    public func loadRecords(_ dataset: ProgrammeDataset, progress: (@Sendable (Int, Int) -> Void)?) async throws {
        var (statements, rowsAfter) = Self.statements(loading: Self.recordTables(dataset))
        statements += [Self.refreshAllReadiness, Self.refreshAllPeopleSites]
        rowsAfter += [rowsAfter.last ?? 0, rowsAfter.last ?? 0]
        let cumulative = rowsAfter
        let total = cumulative.last ?? 0
        try await database.write(statements, progress: progress.map { report in
            { @Sendable done in report(done == 0 ? 0 : cumulative[done - 1], total) }
        })
    }

    /// The tables a seed fills, parents before children.
    @_spi(Bench) public static func loadTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        organisationTables(dataset) + recordTables(dataset)
    }

    static func recordTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        projectTables(dataset.projects) + trackingLoadTables(dataset) + lessonLoadTables(dataset) + changeControlLoadTables(dataset)
            + readinessLoadTables(dataset.readiness) + peopleLoadTables(dataset.people)
    }

    static func organisationTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        var tables: [LoadTable] = []
        tables.append(("organisation", SQLStore.organisationColumns.components, dataset.organisations.map(SQLStore.organisationValues)))
        tables.append(("supplier_contract", SQLStore.contractColumns.components, dataset.contracts.map {
            [.integer($0.id), .text($0.reference), .integer($0.supplierID), .integer($0.organisationID), .integer(Int64($0.depth)),
             .integer(Int64($0.startsOn.ordinal)), SQLValue($0.endsOn.map { Int64($0.ordinal) }), .integer(Int64($0.version))]
        }))
        tables.append(("supplier_contract_product", ["contract_id", "product_code"], dataset.contracts.flatMap { c in
            c.products.map { [.integer(c.id), .text($0)] }
        }))
        return tables
    }

    @_spi(Bench) public static func statements(loading tables: [LoadTable]) -> (statements: [SQLStatement], rowsAfter: [Int]) {
        var statements: [SQLStatement] = []
        var rowsAfter: [Int] = []
        var written = 0
        for table in tables {
            // Stay well under both backends' bind-parameter limits (SQLite 32,766; PostgreSQL 65,535).
            let perStatement = max(1, 30_000 / table.columns.count)
            var start = 0
            while start < table.rows.count {
                let chunk = table.rows[start..<min(start + perStatement, table.rows.count)]
                let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
                statements.append(SQLStatement(
                    "INSERT INTO \(table.table) (\(table.columns.joined(separator: ", "))) VALUES "
                        + Array(repeating: tuple, count: chunk.count).joined(separator: ", "),
                    chunk.flatMap { $0 }))
                written += chunk.count
                rowsAfter.append(written)
                start += perStatement
            }
        }
        return (statements, rowsAfter)
    }
}

/// One table's rows for a seed.
public typealias LoadTable = (table: String, columns: [String], rows: [[SQLValue]])

extension String {
    /// Splits a column list such as "id, code, name".
    var components: [String] { split(separator: ",").map { String($0).trimmed } }
}
