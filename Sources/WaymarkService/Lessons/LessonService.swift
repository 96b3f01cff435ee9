import Foundation
import WaymarkCore
import WaymarkStorage

/// The Lessons Learned log: record, search, relevant lessons for a stage, promote to guidance.
/// Authorisation goes through `AccessGate`. Lessons are shared programme-wide
/// (docs/design/lessons.md); recording one needs `.recordRisks` on its project, promoting one
/// `.promoteLessons`.
public struct LessonService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any LessonRepository & OrganisationRepository & ProjectRepository & AuditRepository
    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    /// A lesson as entered on the form or sent to the API. Stage and product default to the
    /// project's; `inputErrors` are what the caller could not read (a stage that is not 0-5).
    public struct Draft: Sendable {
        public var stage: NSIStage?
        public var area: AreaOfResponsibility?
        public var productCode: String?
        public var title: String
        public var whatHappened: String
        public var recommendation: String
        /// As entered, one tag each; normalised here.
        public var tags: [String]
        public var inputErrors: [FieldError]

        public init(stage: NSIStage? = nil, area: AreaOfResponsibility?, productCode: String? = nil, title: String,
                    whatHappened: String, recommendation: String, tags: [String] = [], inputErrors: [FieldError] = []) {
            self.stage = stage
            self.area = area
            self.productCode = productCode
            self.title = title
            self.whatHappened = whatHappened
            self.recommendation = recommendation
            self.tags = tags
            self.inputErrors = inputErrors
        }
    }

    public func search(_ search: LessonSearch, as user: ActingUser) async throws -> LessonResults {
        var search = search
        search.scope = try await gate.authorise(.viewRecords, as: user)
        if let code = search.productCode, ProductCatalogue.product(code: code) == nil {
            throw ServiceError(.badRequest, "Unknown product code '\(code)'. Known products: \(ProductCatalogue.all.map(\.code).joined(separator: ", ")).")
        }
        if let after = search.after, after < 0 { throw ServiceError(.badRequest, "after must be a cursor from a previous page.") }
        guard (1...100).contains(search.limit) else { throw ServiceError(.badRequest, "limit must be between 1 and 100, not \(search.limit).") }
        return try await store.searchLessons(search)
    }

    public struct LessonView: Sendable {
        public var lesson: Lesson
        /// Whether the actor can open the source project (lessons travel further than projects).
        public var sourceInScope: Bool
        public var canPromote: Bool
        public var history: [AuditRecord]
    }

    public func lessonView(id: Int64, as user: ActingUser) async throws -> LessonView {
        let (lesson, scope) = try await scopedLesson(id: id, as: user)
        let history = try await store.auditEntries(AuditQuery(entityType: "lesson", entityID: id, changesOnly: true, limit: 20)).items
        return LessonView(lesson: lesson, sourceInScope: scope.covers(lesson.source),
                          canPromote: user.permits(.promoteLessons) && !lesson.isGuidance, history: history)
    }

    /// The lesson if the actor may read it; otherwise 404, exactly as for an unknown one, with
    /// the attempt audited.
    func scopedLesson(id: Int64, as user: ActingUser) async throws -> (Lesson, AccessScope) {
        try await gate.inScope(
            "lesson", as: user, notFound: ServiceError(.notFound, "No lesson has the reference \(Lesson.reference(id: id))."),
            id: { _ in id }) { try await store.lesson(id: id, scope: $0) }
    }

    /// Records a lesson from `projectCode`: 404 out of scope, then 403 without `.recordRisks`,
    /// then every problem with the entry at once (nothing saved).
    public func record(projectCode: String, draft: Draft, as user: ActingUser) async throws -> Lesson {
        let project = try await gate.project(code: projectCode, for: .recordRisks, as: user).0.project
        let (tags, tagErrors) = LessonRules.normalisedTags(draft.tags)
        var errors = draft.inputErrors + tagErrors
        if draft.area == nil, !errors.contains(where: { $0.field == "area" }) {
            errors.append(FieldError(field: "area", message: "Choose the area of responsibility the lesson falls under."))
        }
        let lesson = Lesson(
            stage: draft.stage ?? project.stage, area: draft.area ?? .processAndPerformance,
            productCode: (draft.productCode ?? project.productCode).uppercased(), title: draft.title.trimmedWhitespace,
            whatHappened: draft.whatHappened.trimmedWhitespace, recommendation: draft.recommendation.trimmedWhitespace, tags: tags,
            source: .project(project), recordedBy: user.name, recordedOn: gate.clock.today)
        errors += LessonRules.validate(lesson).filter { error in !errors.contains(error) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return try await store.recordLesson(lesson, audit: gate.auditRecord(
            "record lesson", entityType: "lesson", entityID: 0, after: Self.snapshot(lesson), as: user))
    }

    /// Makes a lesson programme guidance (the national office, §4.6.3). 404 if the actor cannot
    /// read it, then 403 without `.promoteLessons`; 409 if it changed since `expectedVersion`.
    public func promote(id: Int64, expectedVersion: Int, as user: ActingUser) async throws -> Lesson {
        let lesson = try await checkPromotable(id: id, as: user)
        if let promotion = lesson.promotion {
            throw ServiceError(.conflict, "\(lesson.reference) is already programme guidance (promoted by \(promotion.by) on \(promotion.on.iso)).")
        }
        guard expectedVersion == lesson.version else {
            throw ServiceError(.staleVersion, "\(lesson.reference) has changed since you opened it (version \(expectedVersion), now \(lesson.version)). Read it again before promoting it.")
        }
        let promotion = LessonPromotion(by: user.name, on: gate.clock.today)
        let audit = gate.auditRecord("promote lesson to guidance", entityType: "lesson", entityID: id,
                                     before: Self.encoded(Guidance(guidance: false)),
                                     after: Self.encoded(Guidance(guidance: true, promotedBy: promotion.by, promotedOn: promotion.on.iso)),
                                     as: user)
        do {
            return try await store.promoteLesson(id: id, promotion: promotion, expectedVersion: expectedVersion, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "\(lesson.reference) was changed by someone else while you promoted it. Read it again and retry.")
        }
    }

    /// The lesson if the actor may promote it: 404 if they cannot read it, then 403.
    @discardableResult
    public func checkPromotable(id: Int64, as user: ActingUser) async throws -> Lesson {
        let (lesson, _) = try await scopedLesson(id: id, as: user)
        _ = try await gate.authorise(.promoteLessons, as: user)
        return lesson
    }

    /// The lessons other projects recorded for the stage `project` is in now ("entering a
    /// stage") and its product: guidance first, then the most recent.
    public func relevantLessons(for project: ImplementationProject, as user: ActingUser, limit: Int = 5) async throws -> [Lesson] {
        let scope = try await gate.authorise(.viewRecords, as: user)
        return try await store.relevantLessons(stage: project.stage, productCode: project.productCode,
                                               excludingProjectID: project.id, scope: scope, limit: limit)
    }

    /// As above for the project with `code`: 404 when it is out of scope.
    public func relevantLessons(projectCode: String, as user: ActingUser, limit: Int = 5) async throws -> (ImplementationProject, [Lesson]) {
        let project = try await gate.project(code: projectCode, for: .viewRecords, as: user).0.project
        return (project, try await relevantLessons(for: project, as: user, limit: limit))
    }

    /// How many lessons the project has recorded (the project page links to them).
    public func lessonCount(for project: ImplementationProject, as user: ActingUser) async throws -> Int {
        _ = try await gate.authorise(.viewRecords, as: user)
        return try await store.lessonCount(projectID: project.id)
    }

    struct Snapshot: Codable {
        var stage: Int
        var area: String
        var product: String
        var project: String
        var title: String
        var whatHappened: String
        var recommendation: String
        var tags: [String]
    }

    struct Guidance: Codable {
        var guidance: Bool
        var promotedBy: String?
        var promotedOn: String?
    }

    static func snapshot(_ lesson: Lesson) -> String {
        encoded(Snapshot(stage: lesson.stage.rawValue, area: lesson.area.rawValue, product: lesson.productCode,
                         project: lesson.source.projectCode, title: lesson.title, whatHappened: lesson.whatHappened,
                         recommendation: lesson.recommendation, tags: lesson.tags))
    }

    /// Sorted keys, so equal states give equal audit text.
    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
