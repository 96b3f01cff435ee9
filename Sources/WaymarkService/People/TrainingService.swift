import Foundation
import WaymarkCore
import WaymarkStorage

/// Training (§4.5, issue 15): the course catalogue (programme-wide), each project's training
/// needs analysis, trainers' qualifications, sessions with bookings and waiting lists,
/// attendance and results, evaluations, and results imported from a learning-management system.
public struct TrainingService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.gate = programme.gate
        self.store = programme.store
    }

    static let entityType = "training"
    var today: Day { gate.clock.today }
    var staff: StaffService { StaffService(gate: gate, store: store) }
    var calculator: PeopleStatusCalculator { PeopleStatusCalculator(store: store, today: today) }

    // MARK: Courses

    public func courses(as user: ActingUser) async throws -> [Course] {
        _ = try await gate.authorise(.viewRecords, as: user)
        return try await store.courses()
    }

    /// Adds a course (no version) or changes one (at its version).
    public func saveCourse(_ course: Course, expectedVersion: Int?, as user: ActingUser) async throws -> Course {
        _ = try await gate.authorise(.manageTraining, as: user)
        var course = course
        course.code = TrainingRules.courseCode(course.code) ?? course.code
        course.title = course.title.trimmedWhitespace
        let errors = TrainingRules.check(course)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        do {
            return try await store.saveCourse(course, expectedVersion: expectedVersion, audit: gate.auditRecord(
                expectedVersion == nil ? "add course" : "change course", entityType: "course", entityID: 0, after: course.code, as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "There is already a course \(course.code).")
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "The course \(course.code) was changed meanwhile, or does not exist. Reload it and try again.")
        }
    }

    // MARK: Training needs analysis

    public func trainingNeeds(projectCode: String, as user: ActingUser) async throws -> (ProjectListing, [TrainingNeed]) {
        let listing = try await gate.project(code: projectCode, as: user).0
        return (listing, try await store.trainingNeeds(projectID: listing.project.id))
    }

    /// Replaces the project's TNA; everyone it changes the requirements of is recomputed.
    public func setTrainingNeeds(projectCode: String, _ needs: [TrainingNeed], as user: ActingUser) async throws -> [TrainingNeed] {
        let project = try await gate.project(code: projectCode, for: .manageTraining, as: user).0.project
        let catalogue = RBACCatalogue.latest
        let courses = try await calculator.courses()
        var errors: [FieldError] = []
        var clean = Set<TrainingNeed>()
        for (i, need) in needs.prefix(500).enumerated() {
            let role = catalogue.jobRole(need.jobRole), course = TrainingRules.courseCode(need.courseCode)
            if role == nil { errors.append(FieldError(field: "needs[\(i)].jobRole", message: StaffRules.jobRoleRule(catalogue))) }
            if course.flatMap({ courses[$0] }) == nil {
                errors.append(FieldError(field: "needs[\(i)].course", message: "There is no course '\(need.courseCode.prefix(30))'."))
            }
            if let role, let course { clean.insert(TrainingNeed(jobRole: role.code, courseCode: course)) }
        }
        if needs.count > 500 { errors.append(FieldError(field: "needs", message: "A training needs analysis has at most 500 lines.")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let sorted = clean.sorted { ($0.jobRole, $0.courseCode) < ($1.jobRole, $1.courseCode) }
        let old = try await store.trainingNeeds(projectID: project.id)
        let roles = Array(Set((old + sorted).map(\.jobRole)))
        let people = try await store.staffMembers(ids: try await store.staffIDs(jobRoles: roles, organisationIDs: [project.organisationID]))
        let statuses = try await calculator.updates(people, records: try await calculator.records(people), replacing: (project, sorted))
        do {
            try await store.saveTrainingNeeds(projectID: project.id, sorted, statuses: statuses, audit: gate.auditRecord(
                "set training needs analysis", entityType: "project", entityID: project.id,
                after: sorted.map { "\($0.jobRole):\($0.courseCode)" }.joined(separator: ","), as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError.staffMoved
        }
        return sorted
    }

    // MARK: Trainers

    /// Records that a staff member is qualified to train a course.
    public func qualify(staffID: Int64, courseCode: String, on day: String?, as user: ActingUser) async throws -> [TrainerQualification] {
        let person = try await staff.found(staffID, for: .manageTraining, as: user)
        let course = try await course(courseCode, field: "course")
        let date = try Self.day(day, field: "qualifiedOn") ?? today
        try await store.saveQualification(TrainerQualification(staffID: person.id, courseCode: course.code, qualifiedOn: date), audit: gate.auditRecord(
            "qualify trainer", entityType: "staff", entityID: person.id, after: "\(course.code) from \(date.iso)", as: user))
        return try await store.qualifications(staffIDs: [person.id])
    }

    // MARK: Sessions

    public struct SessionView: Sendable {
        public var session: TrainingSession
        public var course: Course?
        public var site: Organisation
        public var trainer: StaffMember?
        public var bookings: [(booking: Booking, person: StaffMember)]
        public var evaluations: [Evaluation]
        public var booked: Int { bookings.count { [.booked, .attended, .absent].contains($0.booking.status) } }
        /// The mean of each evaluation question, to one decimal place, or nil with no answers.
        public var evaluationMeans: [Double]? {
            guard !evaluations.isEmpty else { return nil }
            return Evaluation.questions.indices.map { q in
                (Double(evaluations.reduce(0) { $0 + $1.ratings[q] }) / Double(evaluations.count) * 10).rounded() / 10
            }
        }
    }

    public func sessions(organisationCode: String?, as user: ActingUser) async throws -> (Organisation, [TrainingSession]) {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        return (organisation, try await store.trainingSessions(within: organisation, scope: scope, from: today.adding(days: -30), limit: 200))
    }

    public func session(id: Int64, as user: ActingUser) async throws -> SessionView {
        let (session, site) = try await found(id, for: .viewRecords, as: user)
        let bookings = try await store.bookings(sessionID: id)
        let people = Dictionary(uniqueKeysWithValues: try await store.staffMembers(ids: bookings.map(\.staffID) + [session.trainerID]).map { ($0.id, $0) })
        let canSeeNames = user.permits(.viewStaff)
        return SessionView(session: session, course: try await calculator.courses()[session.courseCode], site: site,
                           trainer: canSeeNames ? people[session.trainerID] : nil,
                           bookings: canSeeNames ? bookings.compactMap { b in people[b.staffID].map { (b, $0) } } : [],
                           evaluations: try await store.evaluations(sessionIDs: [id]))
    }

    /// A new session: the trainer must be qualified for the course by its date.
    public func createSession(courseCode: String, site: String, venue: String, on day: String, trainerID: Int64, capacity: Int,
                              as user: ActingUser) async throws -> TrainingSession {
        let (place, _) = try await gate.organisation(code: site, for: .manageTraining, as: user)
        let course = try await course(courseCode, field: "course")
        guard let date = try Self.day(day, field: "on") else { throw ValidationFailure([FieldError(field: "on", message: "Give the session's date.")]) }
        var session = TrainingSession(courseCode: course.code, organisationID: place.id, venue: venue.trimmedWhitespace, on: date,
                                      trainerID: trainerID, capacity: capacity)
        let errors = TrainingRules.check(session)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let trainer = try await staff.found(trainerID, for: .manageTraining, as: user)
        if let refusal = TrainingRules.trainerRefusal(trainer, course: course, qualifications: try await store.qualifications(staffIDs: [trainer.id]), on: date) {
            throw ServiceError(.refused, refusal)
        }
        session = try await store.saveTrainingSession(session, expectedVersion: nil, audit: gate.auditRecord(
            "add training session", entityType: "training_session", entityID: 0, after: "\(course.code) on \(date.iso) at \(place.code)", as: user))
        return session
    }

    /// Books a person onto a session, or onto its waiting list when full and asked for.
    public func book(sessionID: Int64, staffID: Int64, waitingList: Bool, expectedVersion: Int?, as user: ActingUser) async throws -> Booking.Status {
        let (session, bookings, person) = try await booking(sessionID, staffID, expectedVersion, as: user)
        if let existing = bookings.first(where: { $0.staffID == staffID }), existing.status != .cancelled {
            throw ServiceError(.conflict, "\(person.name) is already on this session (\(existing.status.rawValue)).")
        }
        let course = try await course(session.courseCode, field: "course")
        let records = try await store.personRecords(staffIDs: [staffID])[staffID] ?? PersonRecords()
        if let refusal = TrainingRules.prerequisiteRefusal(course, person: person.name, passes: records.results) { throw ServiceError(.refused, refusal) }
        let booked = bookings.count { $0.status == .booked }
        let status: Booking.Status
        switch TrainingRules.booking(booked: booked, capacity: session.capacity, waitingListWanted: waitingList) {
        case .failure(let refusal): throw ServiceError(.refused, refusal.message)
        case .success(let s): status = s
        }
        try await write(session, [Booking(sessionID: sessionID, staffID: staffID, status: status, bookedAt: gate.clock.timestamp)], results: [],
                        people: [], "book training", user, detail: "staff \(staffID): \(status.rawValue)")
        return status
    }

    /// Cancels a booking; the first person waiting takes the place.
    public func cancelBooking(sessionID: Int64, staffID: Int64, expectedVersion: Int?, as user: ActingUser) async throws {
        let (session, bookings, _) = try await booking(sessionID, staffID, expectedVersion, as: user)
        guard var booking = bookings.first(where: { $0.staffID == staffID && [.booked, .waiting].contains($0.status) }) else {
            throw ServiceError(.refused, "That person has no booking on this session to cancel.")
        }
        let freed = booking.status == .booked
        booking.status = .cancelled
        var changes = [booking]
        if freed, var next = bookings.first(where: { $0.status == .waiting }) {
            next.status = .booked
            changes.append(next)
        }
        try await write(session, changes, results: [], people: [], "cancel training booking", user, detail: "staff \(staffID)")
    }

    /// Records that a booked person attended (with their assessment result, if any) or not.
    public func recordAttendance(sessionID: Int64, staffID: Int64, attended: Bool, result: String?, expectedVersion: Int?,
                                 as user: ActingUser) async throws {
        let (session, bookings, person) = try await booking(sessionID, staffID, expectedVersion, as: user)
        guard var booking = bookings.first(where: { $0.staffID == staffID && [.booked, .attended, .absent].contains($0.status) }) else {
            throw ServiceError(.refused, "\(person.name) is not booked on this session.")
        }
        guard session.on <= today else { throw ServiceError(.refused, "The session is on \(session.on.iso); record attendance on or after the day.") }
        booking.status = attended ? .attended : .absent
        var results: [TrainingResult] = []
        switch result?.trimmedWhitespace.lowercased() {
        case nil, "": break
        case "pass" where attended, "passed" where attended: results.append(TrainingResult(staffID: staffID, courseCode: session.courseCode, passed: true, on: session.on, source: .session, sessionID: sessionID))
        case "fail" where attended, "failed" where attended: results.append(TrainingResult(staffID: staffID, courseCode: session.courseCode, passed: false, on: session.on, source: .session, sessionID: sessionID))
        default: throw ValidationFailure([FieldError(field: "result", message: attended ? "The result is pass or fail, or blank." : "Someone who did not attend has no result.")])
        }
        try await write(session, [booking], results: results, people: [person], "record training attendance", user,
                        detail: "staff \(staffID): \(booking.status.rawValue)\(results.first.map { $0.passed ? ", passed" : ", failed" } ?? "")")
    }

    /// An attendee's evaluation of the session, once each.
    public func evaluate(sessionID: Int64, staffID: Int64, ratings: [Int], comment: String, as user: ActingUser) async throws {
        let (session, _) = try await found(sessionID, for: .recordTraining, as: user)
        let comment = comment.trimmedWhitespace
        let errors = TrainingRules.evaluationErrors(ratings, comment: comment)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        guard try await store.bookings(sessionID: sessionID).contains(where: { $0.staffID == staffID && $0.status == .attended }) else {
            throw ServiceError(.refused, "Only people who attended the session can evaluate it.")
        }
        do {
            try await store.saveEvaluation(Evaluation(sessionID: session.id, staffID: staffID, ratings: ratings, comment: comment), audit: gate.auditRecord(
                "evaluate training session", entityType: "training_session", entityID: session.id, after: "staff \(staffID)", as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "That person has already evaluated this session.")
        }
    }

    // MARK: Helpers

    func found(_ id: Int64, for activity: Activity, as user: ActingUser) async throws -> (TrainingSession, Organisation) {
        try await gate.inScope("training_session", for: activity, as: user, notFound: ServiceError(.notFound, "There is no training session \(id) that you can see."),
                               id: { $0.0.id }) { scope -> (TrainingSession, Organisation)? in
            guard let session = try await store.trainingSession(id: id),
                  let site = try await store.organisation(id: session.organisationID, scope: scope) else { return nil }
            return (session, site)
        }.0
    }

    func booking(_ sessionID: Int64, _ staffID: Int64, _ expectedVersion: Int?, as user: ActingUser) async throws -> (TrainingSession, [Booking], StaffMember) {
        let (session, _) = try await found(sessionID, for: .recordTraining, as: user)
        let person = try await staff.found(staffID, for: .recordTraining, as: user)
        guard let expectedVersion else { throw ServiceError.versionRequired("Say which version of the session you read (If-Match, or reload the page).") }
        guard expectedVersion == session.version else { throw Self.stale }
        return (session, try await store.bookings(sessionID: sessionID), person)
    }

    func write(_ session: TrainingSession, _ bookings: [Booking], results: [TrainingResult], people: [StaffMember], _ action: String,
               _ user: ActingUser, detail: String) async throws {
        let statuses = try await calculator.updates(people) { records in
            for result in results { records[result.staffID, default: PersonRecords()].results.append(result) }
            for booking in bookings where booking.status == .attended { records[booking.staffID, default: PersonRecords()].attended.insert(session.courseCode) }
        }
        do {
            try await store.saveBookings(sessionID: session.id, expectedVersion: session.version, bookings, results: results, statuses: statuses,
                                         audit: gate.auditRecord(action, entityType: "training_session", entityID: session.id, after: detail, as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale
        }
    }

    func course(_ code: String, field: String) async throws -> Course {
        guard let course = try await calculator.courses()[TrainingRules.courseCode(code) ?? ""] else {
            throw ValidationFailure([FieldError(field: field, message: "There is no course '\(code.prefix(30))'.")])
        }
        return course
    }

    static func day(_ text: String?, field: String) throws -> Day? {
        guard let text = text?.trimmedWhitespace, !text.isEmpty else { return nil }
        guard let day = Day(iso: text) else { throw ValidationFailure([FieldError(field: field, message: "Give the date as YYYY-MM-DD.")]) }
        return day
    }

    static let stale = ServiceError(.staleVersion, "Someone else changed this session's bookings meanwhile. Reload it and try again.")
}
