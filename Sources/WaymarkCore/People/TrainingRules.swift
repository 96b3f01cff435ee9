/// The rules of training (§4.5.2): who may book, who may train, what a result or evaluation
/// must hold, and when a pass lapses.
public enum TrainingRules {
    public static let courseCodeRule = "A course code is 2 to 30 capital letters, digits or '-'."

    public static func courseCode(_ raw: String) -> String? {
        let code = raw.trimmedWhitespace.uppercased()
        return (2...30).contains(code.count) && code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) ? code : nil
    }

    /// What a course's fields must hold.
    public static func check(_ course: Course) -> [FieldError] {
        var errors: [FieldError] = []
        if courseCode(course.code) == nil { errors.append(FieldError(field: "code", message: courseCodeRule)) }
        if !(3...160).contains(course.title.count) { errors.append(FieldError(field: "title", message: "Give the course a title, 3 to 160 characters.")) }
        if let days = course.validForDays, !(30...3650).contains(days) {
            errors.append(FieldError(field: "validForDays", message: "A pass stays valid for 30 to 3,650 days, or leave it blank for ever."))
        }
        return errors
    }

    /// What a session's fields must hold.
    public static func check(_ session: TrainingSession) -> [FieldError] {
        var errors: [FieldError] = []
        if !(1...200).contains(session.capacity) { errors.append(FieldError(field: "capacity", message: "A session holds 1 to 200 people.")) }
        if !(1...120).contains(session.venue.count) { errors.append(FieldError(field: "venue", message: "Say where it is held, 1 to 120 characters.")) }
        return errors
    }

    /// A trainer runs only the courses they are qualified for (§4.5.2).
    public static func trainerRefusal(_ trainer: StaffMember, course: Course, qualifications: [TrainerQualification], on day: Day) -> String? {
        qualifications.contains { $0.courseCode == course.code && $0.qualifiedOn <= day } ? nil
            : "\(trainer.name) is not qualified to train \(course.title) (\(course.code)) by \(day.iso). Record the qualification first, or choose another trainer."
    }

    /// A booking goes in if there is room; otherwise onto the waiting list, when asked for.
    public static func booking(booked: Int, capacity: Int, waitingListWanted: Bool) -> Result<Booking.Status, TrainingRefusal> {
        if booked < capacity { return .success(.booked) }
        if waitingListWanted { return .success(.waiting) }
        return .failure(TrainingRefusal(message: "The session is full (\(capacity) places). Put the person on its waiting list instead."))
    }

    /// A course that needs basic skills needs a pass in ECDL or Getting Started first.
    public static func prerequisiteRefusal(_ course: Course, person: String, passes: [TrainingResult]) -> String? {
        guard course.requiresBasicSkills, !passes.contains(where: { $0.passed && Course.basicSkills.contains($0.courseCode) }) else { return nil }
        return "\(course.title) needs basic computer skills first: \(person) has not passed ECDL or Getting Started."
    }

    /// Whether a pass on `day` of `course` is still valid on `today`.
    public static func isCurrent(_ passedOn: Day, course: Course?, today: Day) -> Bool {
        guard let days = course?.validForDays else { return true }
        return passedOn.adding(days: days) >= today
    }

    public static let ratingsRule = "Answer each of the four questions from 1 (poor) to 5 (very good)."

    public static func evaluationErrors(_ ratings: [Int], comment: String) -> [FieldError] {
        var errors: [FieldError] = []
        if ratings.count != Evaluation.questions.count || !ratings.allSatisfy({ (1...5).contains($0) }) {
            errors.append(FieldError(field: "ratings", message: ratingsRule))
        }
        if comment.count > 500 { errors.append(FieldError(field: "comment", message: "Keep the comment to 500 characters.")) }
        return errors
    }
}

public struct TrainingRefusal: Error, Hashable { public var message: String }

/// Proficiency gates access (§4.5.2): what a person must have passed, and what they lack.
public enum Proficiency {
    /// A person's positions for the TNA: their approved profile, or else their job role at
    /// their employer and at each site they work at, for every product.
    public static func positions(_ person: StaffMember, _ registration: Registration?) -> (positions: [AccessPosition], products: [String]) {
        if let registration, !registration.positions.isEmpty { return (registration.positions, registration.products) }
        var seen = Set<Int64>()
        return (([person.organisationID] + person.siteIDs).filter { seen.insert($0).inserted }
            .map { AccessPosition(jobRole: person.jobRole, organisationID: $0, workgroup: "") }, [])
    }

    /// The courses the training needs analysis requires of these positions: each need is the
    /// organisation, product and course of a project's TNA line for the job role.
    public static func required(positions: [AccessPosition], products: [String],
                                needs: [(organisationID: Int64, productCode: String, jobRole: String, courseCode: String)]) -> Set<String> {
        let wanted = Set(positions.map { "\($0.organisationID)|\($0.jobRole)" })
        return Set(needs.filter { wanted.contains("\($0.organisationID)|\($0.jobRole)") && (products.isEmpty || products.contains($0.productCode)) }
            .map(\.courseCode))
    }

    /// The required courses without a current pass, in code order.
    public static func missing(_ required: Set<String>, results: [TrainingResult], courses: [String: Course], today: Day) -> [String] {
        required.filter { code in
            !results.contains { $0.courseCode == code && $0.passed && TrainingRules.isCurrent($0.on, course: courses[code], today: today) }
        }.sorted()
    }

    /// The refusal naming each missing course.
    public static func refusal(person: String, missing: [String], courses: [String: Course]) -> String {
        "\(person) has not yet shown proficiency in " + missing.map { "\(courses[$0]?.title ?? $0) (\($0))" }.joined(separator: ", ")
            + ", which the training needs analysis requires for this access. Access goes only to people who have passed; an RA manager can override with a reason."
    }
}
