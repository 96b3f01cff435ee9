import WaymarkCore

/// The funnel is a sum of `people_site` rows (kept by every write, see
/// SQLStore+PeopleSchema.swift), so a national answer reads one row per site, never the staff.
extension SQLStore {
    static let funnelSums = (funnelColumns).map { "COALESCE(SUM(ps.\($0)), 0) AS \($0)" }.joined(separator: ", ")

    /// The bench's raw baseline for the national funnel.
    @_spi(Bench) public static let nationalFunnelSQL = "SELECT \(funnelSums) FROM people_site ps"

    public func peopleFunnel(within organisation: Organisation, scope: AccessScope) async throws -> PeopleFunnel {
        let (conditions, binds) = Self.organisationConditions(within: organisation, scope: scope, alias: "o")
        let sql = conditions.isEmpty ? Self.nationalFunnelSQL
            : "SELECT \(Self.funnelSums) FROM people_site ps JOIN organisation o ON o.id = ps.organisation_id\(conditions.whereClause)"
        return try await database.fetch(sql, binds).first.map(Self.funnel) ?? PeopleFunnel()
    }

    public func peopleFunnelByChild(of organisation: Organisation, scope: AccessScope) async throws -> [(organisation: Organisation, funnel: PeopleFunnel)] {
        guard let child = organisation.kind.childKind, let column = Self.ancestryColumn(child) else { return [] }
        let (conditions, binds) = Self.organisationConditions(within: organisation, scope: scope, alias: "o")
        let rows = try await database.fetch("""
            SELECT o.\(column) AS child, \(Self.funnelSums) FROM people_site ps JOIN organisation o ON o.id = ps.organisation_id
            \((conditions + ["o.\(column) IS NOT NULL"]).whereClause) GROUP BY o.\(column)
            """, binds)
        let ids = rows.map { $0.int("child") }
        var organisations: [Int64: Organisation] = [:]
        for chunk in ids.chunked(500) {
            for row in try await database.fetch("SELECT \(Self.organisationColumns) FROM organisation WHERE id IN (\(chunk.placeholders))",
                                                chunk.map { .integer($0) }) {
                let found = Self.organisation(from: row)
                organisations[found.id] = found
            }
        }
        return rows.compactMap { row in organisations[row.int("child")].map { ($0, Self.funnel(row)) } }
            .sorted { $0.organisation.name < $1.organisation.name }
    }

    public func peopleForecastSites(within organisation: Organisation, scope: AccessScope, today: Day, since: Day) async throws -> [PeopleForecast.Site] {
        var (conditions, binds) = Self.projectConditions(within: organisation, scope: scope)
        conditions += ["m.kind = 'go-live-completed'", "m.actual IS NULL", "p.state = 'live'", "m.baseline >= ?"]
        binds.append(.integer(Int64(today.ordinal)))
        var sites: [Int64: PeopleForecast.Site] = [:]
        for row in try await database.fetch("""
            SELECT p.organisation_id, o.name, p.code, m.baseline FROM milestone m JOIN project p ON p.id = m.project_id
            JOIN organisation o ON o.id = p.organisation_id\(conditions.whereClause) ORDER BY m.baseline, p.code
            """, binds) {
            let id = row.int("organisation_id"), due = Day(ordinal: Int(row.int("baseline")))
            if sites[id] == nil {
                sites[id] = PeopleForecast.Site(organisationID: id, siteName: row.string("name"), projectCodes: [], goLiveBaseline: due,
                                                needing: 0, ready: 0, recent: 0)
            }
            sites[id]!.projectCodes.append(row.string("code"))
        }
        // People count at the project's organisation and, for a trust, at its sites.
        var counted: [Int64: Int64] = Dictionary(uniqueKeysWithValues: sites.keys.map { ($0, $0) })
        for chunk in Array(sites.keys).chunked(500) {
            for row in try await database.fetch("SELECT id, parent_id FROM organisation WHERE parent_id IN (\(chunk.placeholders)) AND kind = 'site'",
                                                chunk.map { .integer($0) }) {
                counted[row.int("id")] = row.int("parent_id")
            }
        }
        for chunk in Array(counted.keys).chunked(500) {
            let ids = chunk.map { SQLValue.integer($0) }
            for row in try await database.fetch("SELECT organisation_id, needing, ready FROM people_site WHERE organisation_id IN (\(chunk.placeholders))", ids) {
                guard let owner = counted[row.int("organisation_id")] else { continue }
                sites[owner]?.needing += Int(row.int("needing"))
                sites[owner]?.ready += Int(row.int("ready"))
            }
            for row in try await database.fetch("""
                SELECT site_id, COUNT(*) AS n FROM staff WHERE site_id IN (\(chunk.placeholders)) AND ready_on >= ? GROUP BY site_id
                """, ids + [.integer(Int64(since.ordinal))]) {
                guard let owner = counted[row.int("site_id")] else { continue }
                sites[owner]?.recent += Int(row.int("n"))
            }
        }
        return sites.values.sorted { ($0.goLiveBaseline, $0.siteName) < ($1.goLiveBaseline, $1.siteName) }
    }
}
