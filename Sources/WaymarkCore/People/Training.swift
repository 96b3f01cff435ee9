/// Training (§4.5, issue 15): courses, the training needs analysis, sessions with bookings and
/// waiting lists, trainers' qualifications, results and evaluations.
public struct Course: Sendable, Hashable, Codable {
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case eLearning = "e-learning"
        case classroom
        case deskSide = "desk-side"

        public var title: String {
            switch self {
            case .eLearning: "E-learning"
            case .classroom: "Classroom"
            case .deskSide: "Desk-side"
            }
        }
    }

    public var code: String
    public var title: String
    public var mode: Mode
    /// Basic computer skills (ECDL or the pre-ECDL "Getting Started") must be passed first.
    public var requiresBasicSkills: Bool
    /// How long a pass stays valid before refresher training is due; nil for ever.
    public var validForDays: Int?
    public var version: Int

    public init(code: String, title: String, mode: Mode, requiresBasicSkills: Bool, validForDays: Int? = nil, version: Int = 1) {
        self.code = code
        self.title = title
        self.mode = mode
        self.requiresBasicSkills = requiresBasicSkills
        self.validForDays = validForDays
        self.version = version
    }

    /// The basic-skills courses: passing either meets a course's prerequisite.
    public static let basicSkills: Set<String> = ["ECDL", "GETTING-STARTED"]

    /// The courses every programme starts with: the basic skills, and what all front-line users
    /// learn (§4.5.2): security, confidentiality and patients' right to limit access, correct
    /// patient searching, and how the joined-up record works.
    public static let standard: [Course] = [
        Course(code: "ECDL", title: "European Computer Driving Licence", mode: .classroom, requiresBasicSkills: false),
        Course(code: "GETTING-STARTED", title: "Getting Started (pre-ECDL)", mode: .eLearning, requiresBasicSkills: false),
        Course(code: "IG-FRONTLINE", title: "Security, confidentiality and the patient's right to limit access", mode: .eLearning,
               requiresBasicSkills: true, validForDays: 365),
        Course(code: "PATIENT-SEARCH", title: "Finding the right patient and the joined-up record", mode: .classroom, requiresBasicSkills: true),
    ]
}

/// One line of a project's training needs analysis: people in this job role need this course.
public struct TrainingNeed: Sendable, Hashable, Codable {
    public var jobRole: String
    public var courseCode: String
    public init(jobRole: String, courseCode: String) {
        self.jobRole = jobRole
        self.courseCode = courseCode
    }
}

public struct TrainingSession: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var courseCode: String
    /// The site it is held at (its venue is a room there).
    public var organisationID: Int64
    public var venue: String
    public var on: Day
    /// The staff member who trains it.
    public var trainerID: Int64
    public var capacity: Int
    public var version: Int

    public init(id: Int64 = 0, courseCode: String, organisationID: Int64, venue: String, on: Day, trainerID: Int64, capacity: Int, version: Int = 1) {
        self.id = id
        self.courseCode = courseCode
        self.organisationID = organisationID
        self.venue = venue
        self.on = on
        self.trainerID = trainerID
        self.capacity = capacity
        self.version = version
    }
}

public struct Booking: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case booked
        case waiting
        case attended
        case absent
        case cancelled
    }
    public var sessionID: Int64
    public var staffID: Int64
    public var status: Status
    /// When it was made: the waiting list is served in this order.
    public var bookedAt: String
    public init(sessionID: Int64, staffID: Int64, status: Status, bookedAt: String) {
        self.sessionID = sessionID
        self.staffID = staffID
        self.status = status
        self.bookedAt = bookedAt
    }
}

/// An assessment result: pass or fail, and the day proficiency was shown (or the attempt made).
public struct TrainingResult: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable, Codable { case session, lms }
    public var staffID: Int64
    public var courseCode: String
    public var passed: Bool
    public var on: Day
    public var source: Source
    public var sessionID: Int64?
    public init(staffID: Int64, courseCode: String, passed: Bool, on: Day, source: Source, sessionID: Int64? = nil) {
        self.staffID = staffID
        self.courseCode = courseCode
        self.passed = passed
        self.on = on
        self.source = source
        self.sessionID = sessionID
    }
}

/// A short evaluation by one attendee: four ratings from 1 (poor) to 5 (very good).
public struct Evaluation: Sendable, Hashable {
    public static let questions = [
        "The course covered what I need for my job",
        "The trainer explained things clearly",
        "The pace was right",
        "I feel confident using the system",
    ]
    public var sessionID: Int64
    public var staffID: Int64
    public var ratings: [Int]
    public var comment: String
    public init(sessionID: Int64, staffID: Int64, ratings: [Int], comment: String) {
        self.sessionID = sessionID
        self.staffID = staffID
        self.ratings = ratings
        self.comment = comment
    }
}

/// A trainer's qualification to run a course.
public struct TrainerQualification: Sendable, Hashable {
    public var staffID: Int64
    public var courseCode: String
    public var qualifiedOn: Day
    public init(staffID: Int64, courseCode: String, qualifiedOn: Day) {
        self.staffID = staffID
        self.courseCode = courseCode
        self.qualifiedOn = qualifiedOn
    }
}
