import WaymarkCore

/// Lessons learned. Reads are scoped by `lessonScope`; the search is one query per page whose
/// only dialect difference is how words are matched and ranked (`lessonSearchSQL`).
extension SQLStore {
    static let lessonColumns = [
        "id", "project_id", "project_code", "organisation_id", "cluster_id", "sha_id", "lhc_id", "trust_id", "site_id",
        "supplier_id", "stage", "area", "product_code", "title", "what_happened", "recommendation", "tags", "recorded_by",
        "recorded_on", "promoted", "promoted_by", "promoted_on", "version",
    ]
    static let lessonSelect = lessonColumns.map { "l." + $0 }.joined(separator: ", ")

    static func lessonValues(_ lesson: Lesson) -> [SQLValue] {
        let s = lesson.source
        let a = s.ancestry
        return [
            .integer(lesson.id), .integer(s.projectID), .text(s.projectCode), .integer(s.organisationID), SQLValue(a.clusterID),
            SQLValue(a.shaID), SQLValue(a.lhcID), SQLValue(a.trustID), SQLValue(a.siteID), SQLValue(s.supplierID),
            .integer(Int64(lesson.stage.rawValue)), .text(lesson.area.rawValue), .text(lesson.productCode), .text(lesson.title),
            .text(lesson.whatHappened), .text(lesson.recommendation), .text(lesson.tags.joined(separator: " ")),
            .text(lesson.recordedBy), .integer(Int64(lesson.recordedOn.ordinal)), .integer(lesson.isGuidance ? 1 : 0),
            SQLValue(lesson.promotion?.by), SQLValue(lesson.promotion?.on.ordinal), .integer(Int64(lesson.version)),
        ]
    }

    static func lesson(from row: SQLRow) -> Lesson {
        let source = LessonSource(
            projectID: row.int("project_id"), projectCode: row.string("project_code"), organisationID: row.int("organisation_id"),
            ancestry: Ancestry(clusterID: row.optionalInt("cluster_id"), shaID: row.optionalInt("sha_id"), lhcID: row.optionalInt("lhc_id"),
                               trustID: row.optionalInt("trust_id"), siteID: row.optionalInt("site_id")),
            supplierID: row.optionalInt("supplier_id"))
        let promotion = row.int("promoted") == 0 ? nil
            : LessonPromotion(by: row.string("promoted_by"), on: Day(ordinal: Int(row.optionalInt("promoted_on") ?? row.int("recorded_on"))))
        return Lesson(
            id: row.int("id"), stage: NSIStage(rawValue: Int(row.int("stage"))) ?? .prepare,
            area: AreaOfResponsibility(rawValue: row.string("area")) ?? .processAndPerformance, productCode: row.string("product_code"),
            title: row.string("title"), whatHappened: row.string("what_happened"), recommendation: row.string("recommendation"),
            tags: row.string("tags").split(separator: " ").map(String.init), source: source, recordedBy: row.string("recorded_by"),
            recordedOn: Day(ordinal: Int(row.int("recorded_on"))), promotion: promotion, version: Int(row.int("version")))
    }

    /// Lessons a scope reads (docs/design/lessons.md): every NHS scope reads the whole
    /// programme's; a supplier those from projects it delivers, and guidance; no scope, none.
    static func lessonScope(_ scope: AccessScope?) -> ScopeSQL? {
        switch scope {
        case nil: return .denyAll
        case .national: return nil
        case .subtree(let kind, _): return ancestryColumn(kind) == nil ? .denyAll : nil
        case .supplier(let id): return ScopeSQL(condition: "(l.supplier_id = ? OR l.promoted = 1)", binds: [.integer(id)])
        }
    }

    public func lesson(id: Int64, scope: AccessScope) async throws -> Lesson? {
        var conditions = ["l.id = ?"]
        var binds: [SQLValue] = [.integer(id)]
        if let scoped = Self.lessonScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return try await database.fetch("SELECT \(Self.lessonSelect) FROM lesson l" + conditions.whereClause, binds)
            .first.map(Self.lesson(from:))
    }

    /// A search page's SQL and the SQL that counts its matches.
    public struct LessonSearchSQL: Sendable {
        public var sql: String
        public var binds: [SQLValue]
        /// Whether `sql` counts the matches itself (its `total` column); otherwise run `count` (also `total`).
        public var countsItself: Bool
        public var count: (sql: String, binds: [SQLValue])
    }

    /// The search as SQL for `dialect`. User text reaches the engine only as the letters and
    /// digits of `LessonSearch.words`, each quoted for FTS5 or passed to `plainto_tsquery`, so
    /// query syntax (quotes, `*`, `-`, NEAR, OR) can neither fail nor inject.
    ///
    /// Ranked pages are found in two steps: the matches' ids, scores and count (best first, one
    /// page of them), then those few lessons in full. Carrying every match's text through the
    /// sort cost more than the ranking itself at England scale (docs/design/lessons.md).
    @_spi(Bench) public static func lessonSearchSQL(_ search: LessonSearch, dialect: SQLDialect) -> LessonSearchSQL {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let scoped = lessonScope(search.scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        func filter(_ condition: String, _ value: SQLValue?) {
            guard let value else { return }
            conditions.append(condition)
            binds.append(value)
        }
        filter("l.stage = ?", search.stage.map { .integer(Int64($0.rawValue)) })
        filter("l.area = ?", search.area.map { .text($0.rawValue) })
        filter("l.product_code = ?", search.productCode.map { .text($0.uppercased()) })
        filter("l.project_code = ?", search.sourceProjectCode.map { .text($0.uppercased()) })
        if search.guidanceOnly { conditions.append("l.promoted = 1") }
        let page = " LIMIT \(max(1, min(search.limit, 100))) OFFSET \(max(0, search.after ?? 0))"
        let words = search.words
        guard !words.isEmpty else {
            return LessonSearchSQL(
                sql: "SELECT \(lessonSelect) FROM lesson l" + conditions.whereClause + " ORDER BY l.recorded_on DESC, l.id DESC" + page,
                binds: binds, countsItself: false, count: ("SELECT count(*) AS total FROM lesson l" + conditions.whereClause, binds))
        }
        // The matches as (id, score), filtered; a lower score is a better match on both engines.
        let matches: String
        switch dialect {
        case .sqlite:
            // bm25() is computed in its own subquery (FTS5 refuses it beside a window function),
            // weighted by column: title, what happened, recommendation, tags. CROSS JOIN keeps
            // SQLite from driving the join from a filter's index, which probed the matches once
            // per lesson and took half a second.
            binds.insert(.text(words.map { "\"\($0)\"" }.joined(separator: " ")), at: 0)
            matches = "(SELECT rowid AS id, bm25(lesson_fts, 5.0, 1.0, 1.0, 2.0) AS score FROM lesson_fts WHERE lesson_fts MATCH ?) m"
                + (conditions.isEmpty ? "" : " CROSS JOIN lesson l ON l.id = m.id" + conditions.whereClause)
        case .postgres:
            // OFFSET 0 keeps the subquery whole, so the rank is computed before the window and
            // the window buffers (id, score), not every match's tsvector (which spilled to disk).
            binds.insert(.text(words.joined(separator: " ")), at: 0)
            matches = "(SELECT l.id, -ts_rank(l.search, q) AS score FROM lesson l, plainto_tsquery('english', ?) q WHERE "
                + (["l.search @@ q"] + conditions).joined(separator: " AND ") + " OFFSET 0) m"
        }
        return LessonSearchSQL(
            sql: """
                SELECT \(lessonSelect), p.total FROM (SELECT m.id, m.score, count(*) OVER () AS total FROM \(matches)
                ORDER BY m.score, m.id DESC\(page)) p JOIN lesson l ON l.id = p.id ORDER BY p.score, p.id DESC
                """,
            binds: binds, countsItself: true, count: ("SELECT count(*) AS total FROM " + matches, binds))
    }

    public func searchLessons(_ search: LessonSearch) async throws -> LessonResults {
        let built = Self.lessonSearchSQL(search, dialect: database.dialect)
        let rows = try await database.fetch(built.sql, built.binds)
        var total = built.countsItself ? rows.first.map { Int($0.int("total")) } : nil
        if total == nil {
            total = Int(try await database.fetch(built.count.sql, built.count.binds).first?.int("total") ?? 0)
        }
        let words = search.words
        let hits = rows.map { row in
            let lesson = Self.lesson(from: row)
            return LessonHit(lesson: lesson, snippet: LessonRules.snippet(for: lesson, words: words))
        }
        let offset = max(0, search.after ?? 0)
        let end = offset + Int64(hits.count)
        return LessonResults(hits: hits, total: total ?? 0,
                             nextCursor: !hits.isEmpty && end < Int64(total ?? 0) ? end : nil)
    }

    /// The relevant-lessons query, public so the benchmark can time it raw.
    @_spi(Bench) public static func relevantLessonsSQL(stage: NSIStage, productCode: String, excludingProjectID: Int64, scope: AccessScope,
                                          limit: Int) -> (sql: String, binds: [SQLValue]) {
        var conditions = ["l.stage = ?", "l.product_code = ?", "l.project_id <> ?"]
        var binds: [SQLValue] = [.integer(Int64(stage.rawValue)), .text(productCode.uppercased()), .integer(excludingProjectID)]
        if let scoped = lessonScope(scope) {
            conditions.append(scoped.condition)
            binds += scoped.binds
        }
        return ("SELECT \(lessonSelect) FROM lesson l" + conditions.whereClause
                + " ORDER BY l.promoted DESC, l.recorded_on DESC, l.id DESC LIMIT \(max(1, min(limit, 50)))", binds)
    }

    public func relevantLessons(stage: NSIStage, productCode: String, excludingProjectID: Int64, scope: AccessScope,
                                limit: Int) async throws -> [Lesson] {
        let (sql, binds) = Self.relevantLessonsSQL(stage: stage, productCode: productCode, excludingProjectID: excludingProjectID,
                                                   scope: scope, limit: limit)
        return try await database.fetch(sql, binds).map(Self.lesson(from:))
    }

    public func lessonCount(projectID: Int64) async throws -> Int {
        Int(try await database.fetch("SELECT count(*) AS lessons FROM lesson WHERE project_id = ?", [.integer(projectID)])
                .first?.int("lessons") ?? 0)
    }

    public func recordLesson(_ lesson: Lesson, audit: AuditRecord) async throws -> Lesson {
        var saved = lesson
        saved.id = try await newID("lesson")
        saved.version = 1
        var audit = audit
        audit.entityID = saved.id
        let values = Self.lessonValues(saved)
        try await writeAudited([SQLStatement(
            "INSERT INTO lesson (\(Self.lessonColumns.joined(separator: ", "))) VALUES ("
                + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")", values)], audit: audit)
        return saved
    }

    public func promoteLesson(id: Int64, promotion: LessonPromotion, expectedVersion: Int, audit: AuditRecord) async throws -> Lesson {
        // The row as this write left it, not as a read after the commit might find it.
        let rows = try await writeAudited([SQLStatement(
            "UPDATE lesson SET promoted = 1, promoted_by = ?, promoted_on = ?, version = version + 1 WHERE id = ? AND version = ? AND promoted = 0 RETURNING "
                + Self.lessonColumns.joined(separator: ", "),
            [.text(promotion.by), .integer(Int64(promotion.on.ordinal)), .integer(id), .integer(Int64(expectedVersion))],
            expectedRows: 1)], audit: audit)
        return Self.lesson(from: rows[0][0])
    }

    static func lessonLoadTables(_ dataset: ProgrammeDataset) -> [LoadTable] {
        [("lesson", lessonColumns, dataset.lessons.map(lessonValues))]
    }
}
