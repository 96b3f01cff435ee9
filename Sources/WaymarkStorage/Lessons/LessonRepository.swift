import WaymarkCore

/// A programme-wide lesson search. Deny by default: without a scope nothing matches.
public struct LessonSearch: Sendable, Hashable {
    public var scope: AccessScope?
    /// Free text; each word must match (stemmed) in the title, text, recommendation or tags.
    /// Blank (or only stop words): every lesson, most recent first.
    public var text: String
    public var stage: NSIStage?
    public var area: AreaOfResponsibility?
    public var productCode: String?
    public var guidanceOnly: Bool
    /// Only lessons recorded by this project (its code).
    public var sourceProjectCode: String?
    /// The `nextCursor` of the previous page (results are ranked, so the cursor is a position).
    public var after: Int64?
    public var limit: Int

    public init(scope: AccessScope? = nil, text: String = "", stage: NSIStage? = nil, area: AreaOfResponsibility? = nil,
                productCode: String? = nil, guidanceOnly: Bool = false, sourceProjectCode: String? = nil,
                after: Int64? = nil, limit: Int = 25) {
        self.scope = scope
        self.text = text
        self.stage = stage
        self.area = area
        self.productCode = productCode
        self.guidanceOnly = guidanceOnly
        self.sourceProjectCode = sourceProjectCode
        self.after = after
        self.limit = limit
    }

    /// The words both engines match (`LessonRules.searchWords`).
    public var words: [String] { LessonRules.searchWords(text) }
}

/// A lesson found by a search, with a plain excerpt around the first matching word.
public struct LessonHit: Sendable, Hashable {
    public var lesson: Lesson
    public var snippet: String
}

/// One page of a search: the hits, best first, and how many lessons match in all.
public struct LessonResults: Sendable {
    public var hits: [LessonHit]
    public var total: Int
    public var nextCursor: Int64?
}

/// The Lessons Learned log (DOMAIN.md §7). Lessons are shared programme-wide: every NHS scope
/// reads them all; a supplier reads lessons from projects it delivers and promoted guidance.
public protocol LessonRepository: Sendable {
    func lesson(id: Int64, scope: AccessScope) async throws -> Lesson?
    /// Full-text search (SQLite FTS5 or PostgreSQL tsvector, ranked) with filters; one call on
    /// both backends.
    func searchLessons(_ search: LessonSearch) async throws -> LessonResults
    /// Up to `limit` lessons for a stage and product from projects other than `excludingProjectID`:
    /// guidance first, then the most recent.
    func relevantLessons(stage: NSIStage, productCode: String, excludingProjectID: Int64, scope: AccessScope,
                         limit: Int) async throws -> [Lesson]
    /// How many lessons the project has recorded.
    func lessonCount(projectID: Int64) async throws -> Int
    /// Stores a new lesson with the next number, and its audit entry (whose entity id becomes
    /// the lesson's), in one transaction. Returns the lesson with its id.
    func recordLesson(_ lesson: Lesson, audit: AuditRecord) async throws -> Lesson
    /// Makes the lesson guidance if it is still at `expectedVersion`, audited; `.conflict` otherwise.
    func promoteLesson(id: Int64, promotion: LessonPromotion, expectedVersion: Int, audit: AuditRecord) async throws -> Lesson
}
