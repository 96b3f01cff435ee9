import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The Lessons Learned operations: search (or the lessons relevant to a project), read,
/// record from a project, promote to guidance.
extension APIHandler {
    var lessons: LessonService { LessonService(programme: service) }

    func searchLessons(_ input: Operations.searchLessons.Input) async throws -> Operations.searchLessons.Output {
        let q = input.query
        if let limit = q.limit, !(1...100).contains(limit) { throw ServiceError(.badRequest, "limit must be between 1 and 100, not \(limit).") }
        if let code = q._for {
            let (_, relevant) = try await lessons.relevantLessons(projectCode: code, as: user, limit: min(q.limit ?? 5, 50))
            return .ok(.init(body: .json(.init(items: relevant.map { APIMapping.lesson($0) }, total: relevant.count))))
        }
        try Self.checkText(q.q)
        let stage = try q.stage.map { value -> NSIStage in
            guard let stage = NSIStage(rawValue: value) else { throw ServiceError(.badRequest, "stage must be between 0 and 5, not \(value).") }
            return stage
        }
        let results = try await lessons.search(LessonSearch(
            text: q.q ?? "", stage: stage, area: q.area.flatMap { AreaOfResponsibility(rawValue: $0.rawValue) },
            productCode: q.product, guidanceOnly: q.guidance ?? false, sourceProjectCode: q.project, after: q.after,
            limit: q.limit ?? 25), as: user)
        return .ok(.init(body: .json(.init(items: results.hits.map { APIMapping.lesson($0.lesson, snippet: $0.snippet) },
                                           total: results.total, nextCursor: results.nextCursor))))
    }

    func getLesson(_ input: Operations.getLesson.Input) async throws -> Operations.getLesson.Output {
        let view = try await lessons.lessonView(id: input.path.id, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(view.lesson.version)), body: .json(APIMapping.lesson(view.lesson))))
    }

    func recordLesson(_ input: Operations.recordLesson.Input) async throws -> Operations.recordLesson.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the lesson as JSON.") }
        var errors: [FieldError] = []
        let stage = body.stage.flatMap { value -> NSIStage? in
            guard let stage = NSIStage(rawValue: value) else {
                errors.append(FieldError(field: "stage", message: "stage must be between 0 and 5, not \(value)."))
                return nil
            }
            return stage
        }
        let draft = LessonService.Draft(
            stage: stage, area: AreaOfResponsibility(rawValue: body.area.rawValue), productCode: body.product, title: body.title,
            whatHappened: body.whatHappened, recommendation: body.recommendation, tags: body.tags ?? [], inputErrors: errors)
        let lesson = try await lessons.record(projectCode: input.path.code, draft: draft, as: user)
        return .created(.init(headers: .init(ETag: Self.etag(lesson.version)), body: .json(APIMapping.lesson(lesson))))
    }

    func promoteLesson(_ input: Operations.promoteLesson.Input) async throws -> Operations.promoteLesson.Output {
        let id = input.path.id
        // Scope and permission before the version check.
        try await lessons.checkPromotable(id: id, as: user)
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the lesson")
        let lesson = try await lessons.promote(id: id, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(lesson.version)), body: .json(APIMapping.lesson(lesson))))
    }
}

extension APIMapping {
    static func lesson(_ l: Lesson, snippet: String? = nil) -> Components.Schemas.Lesson {
        .init(id: l.id, reference: l.reference, stage: l.stage.rawValue, stageTitle: l.stage.title,
              area: .init(rawValue: l.area.rawValue) ?? .process_hyphen_performance, areaTitle: l.area.title, product: l.productCode,
              title: l.title, whatHappened: l.whatHappened, recommendation: l.recommendation, tags: l.tags,
              sourceProject: l.source.projectCode, recordedBy: l.recordedBy, recordedOn: l.recordedOn.iso, guidance: l.isGuidance,
              promotedBy: l.promotion?.by, promotedOn: l.promotion?.on.iso, snippet: snippet, version: l.version)
    }
}
