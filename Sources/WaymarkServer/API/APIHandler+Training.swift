import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Training over the API (issue 15): courses, the LMS import, a project's TNA, trainers'
/// qualifications, sessions, bookings, attendance and evaluations (the session's version is its ETag).
extension APIHandler {
    var trainingService: TrainingService { TrainingService(programme: service) }

    func listCourses(_ input: Operations.listCourses.Input) async throws -> Operations.listCourses.Output {
        .ok(.init(body: .json(try await trainingService.courses(as: user).map(Self.course))))
    }

    func createCourse(_ input: Operations.createCourse.Input) async throws -> Operations.createCourse.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the course as JSON.") }
        let course = try await trainingService.saveCourse(Course(code: body.code, title: body.title, mode: Course.Mode(rawValue: body.mode.rawValue) ?? .classroom,
                                                                 requiresBasicSkills: body.requiresBasicSkills, validForDays: body.validForDays),
                                                          expectedVersion: nil, as: user)
        return .created(.init(body: .json(Self.course(course))))
    }

    func importTrainingResults(_ input: Operations.importTrainingResults.Input) async throws -> Operations.importTrainingResults.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        let count = try await trainingService.importResults(try await Data(collecting: body, upTo: TrainingService.maximumImportBytes), as: user)
        return .ok(.init(body: .json(.init(imported: count))))
    }

    func getTrainingNeeds(_ input: Operations.getTrainingNeeds.Input) async throws -> Operations.getTrainingNeeds.Output {
        let needs = try await trainingService.trainingNeeds(projectCode: input.path.code, as: user).1
        return .ok(.init(body: .json(.init(needs: needs.map { .init(jobRole: $0.jobRole, course: $0.courseCode) }))))
    }

    func putTrainingNeeds(_ input: Operations.putTrainingNeeds.Input) async throws -> Operations.putTrainingNeeds.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the needs as JSON.") }
        let needs = try await trainingService.setTrainingNeeds(projectCode: input.path.code, body.needs.map { TrainingNeed(jobRole: $0.jobRole, courseCode: $0.course) },
                                                               as: user)
        return .ok(.init(body: .json(.init(needs: needs.map { .init(jobRole: $0.jobRole, course: $0.courseCode) }))))
    }

    func qualifyTrainer(_ input: Operations.qualifyTrainer.Input) async throws -> Operations.qualifyTrainer.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the course as JSON.") }
        let qualifications = try await trainingService.qualify(staffID: input.path.id, courseCode: body.course, on: body.qualifiedOn, as: user)
        return .ok(.init(body: .json(qualifications.map { .init(course: $0.courseCode, qualifiedOn: $0.qualifiedOn.iso) })))
    }

    func listTrainingSessions(_ input: Operations.listTrainingSessions.Input) async throws -> Operations.listTrainingSessions.Output {
        let (organisation, sessions) = try await trainingService.sessions(organisationCode: input.path.code, as: user)
        let codes = try await staffService.codes(Set(sessions.map(\.organisationID)))
        _ = organisation
        return .ok(.init(body: .json(sessions.map { Self.session($0, site: codes[$0.organisationID] ?? "") })))
    }

    func createTrainingSession(_ input: Operations.createTrainingSession.Input) async throws -> Operations.createTrainingSession.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the session as JSON.") }
        let session = try await trainingService.createSession(courseCode: body.course, site: input.path.code, venue: body.venue, on: body.on,
                                                              trainerID: body.trainer, capacity: body.capacity, as: user)
        let a = try await sessionAnswer(session.id)
        return .created(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func getTrainingSession(_ input: Operations.getTrainingSession.Input) async throws -> Operations.getTrainingSession.Output {
        let a = try await sessionAnswer(input.path.id)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func bookTrainingSession(_ input: Operations.bookTrainingSession.Input) async throws -> Operations.bookTrainingSession.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the booking as JSON.") }
        _ = try await trainingService.book(sessionID: input.path.id, staffID: body.staff, waitingList: body.waitingList ?? false,
                                           expectedVersion: try Self.sessionVersion(input.headers.If_hyphen_Match), as: user)
        let a = try await sessionAnswer(input.path.id)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func cancelTrainingBooking(_ input: Operations.cancelTrainingBooking.Input) async throws -> Operations.cancelTrainingBooking.Output {
        try await trainingService.cancelBooking(sessionID: input.path.id, staffID: input.path.staff,
                                                expectedVersion: try Self.sessionVersion(input.headers.If_hyphen_Match), as: user)
        let a = try await sessionAnswer(input.path.id)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func recordTrainingAttendance(_ input: Operations.recordTrainingAttendance.Input) async throws -> Operations.recordTrainingAttendance.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the attendance as JSON.") }
        try await trainingService.recordAttendance(sessionID: input.path.id, staffID: body.staff, attended: body.attended, result: body.result?.rawValue,
                                                   expectedVersion: try Self.sessionVersion(input.headers.If_hyphen_Match), as: user)
        let a = try await sessionAnswer(input.path.id)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func evaluateTrainingSession(_ input: Operations.evaluateTrainingSession.Input) async throws -> Operations.evaluateTrainingSession.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the evaluation as JSON.") }
        try await trainingService.evaluate(sessionID: input.path.id, staffID: body.staff, ratings: body.ratings, comment: body.comment ?? "", as: user)
        let a = try await sessionAnswer(input.path.id)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    static func sessionVersion(_ header: String?) throws -> Int? {
        try header.map { try ifMatch($0, of: "the session") }
    }

    /// The session as JSON, with its ETag.
    func sessionAnswer(_ id: Int64) async throws -> (etag: String, body: Components.Schemas.TrainingSessionDetail) {
        let view = try await trainingService.session(id: id, as: user)
        return (Self.etag(view.session.version), .init(
            session: Self.session(view.session, site: view.site.code), booked: view.booked,
            bookings: view.bookings.map { .init(staff: $0.person.id, name: $0.person.name, status: .init(rawValue: $0.booking.status.rawValue) ?? .cancelled) },
            evaluations: view.evaluations.count, evaluationMeans: view.evaluationMeans))
    }

    static func session(_ s: TrainingSession, site: String) -> Components.Schemas.TrainingSession {
        .init(id: s.id, course: s.courseCode, site: site, venue: s.venue, on: s.on.iso, trainer: s.trainerID, capacity: s.capacity, version: s.version)
    }

    static func course(_ c: Course) -> Components.Schemas.Course {
        .init(code: c.code, title: c.title, mode: .init(rawValue: c.mode.rawValue) ?? .classroom, requiresBasicSkills: c.requiresBasicSkills,
              validForDays: c.validForDays, version: c.version)
    }
}
