import WaymarkCore

/// Detailed Implementation Plans and their lines. Lines carry their organisation's ancestry,
/// their DIP's supplier and year, so scope and the performance view read one index.
extension SQLStore {
    static let dipColumns = ["id", "supplier_id", "cluster_id", "year", "state", "agreed_by", "agreed_on", "version"]
    static let dipLineColumns = [
        "id", "dip_id", "number", "year", "product_code", "organisation_id", "cluster_id", "sha_id", "lhc_id", "trust_id", "site_id",
        "supplier_id", "implementation", "due_milestone", "due_day", "removed", "ccn_id", "version",
    ]

    static func dipValues(_ dip: DetailedImplementationPlan) -> [SQLValue] {
        [.integer(dip.id), .integer(dip.supplierID), .integer(dip.clusterID), .integer(Int64(dip.year.startYear)), .text(dip.state.rawValue),
         SQLValue(dip.agreedBy), SQLValue(dip.agreedOn?.ordinal), .integer(Int64(dip.version))]
    }

    static func dip(from row: SQLRow) -> DetailedImplementationPlan {
        DetailedImplementationPlan(id: row.int("id"), supplierID: row.int("supplier_id"), clusterID: row.int("cluster_id"),
                                   year: FinancialYear(startYear: Int(row.int("year"))),
                                   state: DIPState(rawValue: row.string("state")) ?? .draft, agreedBy: row.optionalString("agreed_by"),
                                   agreedOn: row.optionalInt("agreed_on").map { Day(ordinal: Int($0)) }, version: Int(row.int("version")))
    }

    static func dipLineValues(_ line: DIPLine, supplierID: Int64, year: FinancialYear) -> [SQLValue] {
        let a = line.ancestry
        return [.integer(line.id), .integer(line.dipID), .integer(Int64(line.number)), .integer(Int64(year.startYear)), .text(line.productCode),
                .integer(line.organisationID), SQLValue(a.clusterID), SQLValue(a.shaID), SQLValue(a.lhcID), SQLValue(a.trustID),
                SQLValue(a.siteID), .integer(supplierID), .text(line.implementation.rawValue), .text(line.dueMilestone.rawValue),
                .integer(Int64(line.dueDate.ordinal)), .integer(line.removed ? 1 : 0), SQLValue(line.ccnID), .integer(Int64(line.version))]
    }

    /// A line read with its organisation's code and name, as `organisation_code` and `organisation_name`.
    static func dipLine(from row: SQLRow) -> DIPLine {
        DIPLine(id: row.int("id"), dipID: row.int("dip_id"), number: Int(row.int("number")), productCode: row.string("product_code"),
                organisationID: row.int("organisation_id"),
                organisationCode: row.string("organisation_code"), organisationName: row.string("organisation_name"),
                ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"), lhcID: row.optionalInt("lhc_id"),
                                   trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
                implementation: ImplementationKind(rawValue: row.string("implementation")) ?? .newService,
                dueMilestone: MilestoneKind(rawValue: row.string("due_milestone")) ?? .goLiveCompleted,
                dueDate: Day(ordinal: Int(row.int("due_day"))),
                removed: row.int("removed") != 0, ccnID: row.optionalInt("ccn_id"), version: Int(row.int("version")))
    }

    /// DIPs within `scope`: national all; a supplier its own; anyone in a cluster its cluster's.
    static func dipScope(_ scope: AccessScope?) -> ScopeSQL? {
        switch scope {
        case nil: return .denyAll
        case .national: return nil
        case .supplier(let id): return ScopeSQL(condition: "d.supplier_id = ?", binds: [.integer(id)])
        case .subtree(.cluster, let id): return ScopeSQL(condition: "d.cluster_id = ?", binds: [.integer(id)])
        case .subtree(_, let id):
            return ScopeSQL(condition: "d.cluster_id IN (SELECT cluster_id FROM organisation WHERE id = ?)", binds: [.integer(id)])
        }
    }

    /// Lines within `scope`: below a cluster, only the lines at its own organisations.
    static func dipLineScope(_ scope: AccessScope?) -> ScopeSQL? {
        switch scope {
        case nil: return .denyAll
        case .national: return nil
        case .supplier(let id): return ScopeSQL(condition: "l.supplier_id = ?", binds: [.integer(id)])
        case .subtree(let kind, let id):
            guard let column = ancestryColumn(kind) else { return .denyAll }
            return ScopeSQL(condition: "l.\(column) = ?", binds: [.integer(id)])
        }
    }

    public func dips(scope: AccessScope, clusterID: Int64?, year: FinancialYear?) async throws -> [DetailedImplementationPlan] {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = Self.dipScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        if let clusterID {
            conditions.append("d.cluster_id = ?")
            binds.append(.integer(clusterID))
        }
        if let year {
            conditions.append("d.year = ?")
            binds.append(.integer(Int64(year.startYear)))
        }
        return try await database.fetch("SELECT " + Self.dipColumns.map { "d.\($0)" }.joined(separator: ", ") + " FROM dip d"
                                        + conditions.whereClause + " ORDER BY d.year DESC, d.cluster_id, d.supplier_id", binds).map(Self.dip(from:))
    }

    public func dip(id: Int64, scope: AccessScope) async throws -> DetailedImplementationPlan? {
        var conditions = ["d.id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = Self.dipScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch("SELECT " + Self.dipColumns.map { "d.\($0)" }.joined(separator: ", ") + " FROM dip d"
                                        + conditions.whereClause, binds).first.map(Self.dip(from:))
    }

    public func dipLines(dipID: Int64, within organisation: Organisation?, scope: AccessScope) async throws -> [DIPLine] {
        var conditions = ["l.dip_id = ?"]
        var binds: [SQLValue] = [.integer(dipID)]
        for scoped in [Self.dipLineScope(scope), organisation.flatMap { Self.dipLineScope(Self.subtreeScope($0)) }].compactMap({ $0 }) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        var lines = try await database.fetch("SELECT " + Self.dipLineColumns.map { "l.\($0)" }.joined(separator: ", ")
                                             + ", o.code AS organisation_code, o.name AS organisation_name"
                                             + " FROM dip_line l JOIN organisation o ON o.id = l.organisation_id"
                                             + conditions.whereClause + " ORDER BY l.number", binds).map(Self.dipLine(from:))
        guard !lines.isEmpty else { return [] }
        var projects: [Int64: [ProjectRef]] = [:]
        for row in try await database.fetch(
            "SELECT l.id AS line_id, p.id AS project_id, p.code AS project_code"
                + " FROM dip_line_project x JOIN dip_line l ON l.id = x.line_id JOIN project p ON p.id = x.project_id"
                + conditions.whereClause + " ORDER BY l.id, p.code", binds) {
            projects[row.int("line_id"), default: []].append(ProjectRef(id: row.int("project_id"), code: row.string("project_code")))
        }
        for index in lines.indices { lines[index].projects = projects[lines[index].id] ?? [] }
        return lines
    }

    public func saveDIPLine(_ line: DIPLine, supplierID: Int64, year: FinancialYear, expectedVersion: Int?,
                            audit: AuditRecord) async throws -> DIPLine {
        var saved = line
        var statements: [SQLStatement] = []
        if let expectedVersion {
            saved.version = expectedVersion + 1
            let values = Self.dipLineValues(saved, supplierID: supplierID, year: year)
            statements.append(SQLStatement(
                "UPDATE dip_line SET " + Self.dipLineColumns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
                    + " WHERE id = ? AND version = ? RETURNING id",
                Array(values.dropFirst()) + [.integer(line.id), .integer(Int64(expectedVersion))], expectedRows: 1))
            statements.append(SQLStatement("DELETE FROM dip_line_project WHERE line_id = ?", [.integer(line.id)]))
        } else {
            // The next id, and the next number in the DIP.
            saved.id = try await newID("dip_line")
            saved.number = try await nextNumber("dip_line", "number", parent: "dip_id", owner: line.dipID)
            saved.version = 1
            let values = Self.dipLineValues(saved, supplierID: supplierID, year: year)
            statements.append(SQLStatement(
                "INSERT INTO dip_line (\(Self.dipLineColumns.joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")", values))
        }
        statements += Self.chunkedInsert("dip_line_project", ["line_id", "project_id"], saved.projects.map { [.integer(saved.id), .integer($0.id)] })
        try await writeAudited(statements, audit: audit)
        return saved
    }

    public func agreeDIP(id: Int64, expectedVersion: Int, by: String, on: Day, audit: AuditRecord) async throws {
        try await writeAudited([SQLStatement(
            "UPDATE dip SET state = 'agreed', agreed_by = ?, agreed_on = ?, version = version + 1 WHERE id = ? AND version = ? AND state = 'draft' RETURNING id",
            [.text(by), .integer(Int64(on.ordinal)), .integer(id), .integer(Int64(expectedVersion))], expectedRows: 1)], audit: audit)
    }

    /// The performance view's query, public so the benchmark can time it raw.
    /// With `dipID`, that DIP's lines whether agreed or not (for its own page).
    @_spi(Bench) public static func dipProgressSQL(year: FinancialYear, dipID: Int64? = nil, within organisation: Organisation,
                                      scope: AccessScope) -> (sql: String, binds: [SQLValue]) {
        var conditions = ["l.year = ?", "l.removed = 0", dipID == nil ? "d.state = 'agreed'" : "d.id = ?"]
        var binds: [SQLValue] = [.integer(Int64(year.startYear))] + (dipID.map { [.integer($0)] } ?? [])
        for scoped in [dipLineScope(subtreeScope(organisation)), dipLineScope(scope)].compactMap({ $0 }) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return ("""
            SELECT l.id, l.due_day, x.project_id, m.actual, m.forecast
            FROM dip_line l JOIN dip d ON d.id = l.dip_id
            LEFT JOIN dip_line_project x ON x.line_id = l.id
            LEFT JOIN milestone m ON m.project_id = x.project_id AND m.kind = l.due_milestone
            """ + conditions.whereClause + " ORDER BY l.due_day, l.id", binds)
    }

    public func dipProgress(year: FinancialYear, dipID: Int64?, within organisation: Organisation,
                            scope: AccessScope) async throws -> [DIPLineProgress] {
        let (sql, binds) = Self.dipProgressSQL(year: year, dipID: dipID, within: organisation, scope: scope)
        return try await database.fetch(sql, binds).map { row in
            DIPLineProgress(lineID: row.int("id"), due: Day(ordinal: Int(row.int("due_day"))), projectID: row.optionalInt("project_id"),
                            actual: row.optionalInt("actual").map { Day(ordinal: Int($0)) },
                            forecast: row.optionalInt("forecast").map { Day(ordinal: Int($0)) })
        }
    }
}
