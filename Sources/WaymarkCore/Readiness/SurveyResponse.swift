/// A readiness rating (§4.4.1.1): how ready one area is.
public enum ReadinessRating: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case ready
    case partlyReady = "partly-ready"
    case notReady = "not-ready"
    case notApplicable = "not-applicable"

    public var title: String {
        switch self {
        case .ready: "Ready"
        case .partlyReady: "Partly ready"
        case .notReady: "Not ready"
        case .notApplicable: "Not applicable"
        }
    }

    /// Worse ratings sort later; not applicable counts as nothing.
    var severity: Int { [.notApplicable: 0, .ready: 1, .partlyReady: 2, .notReady: 3][self]! }
    public static func < (a: Self, b: Self) -> Bool { a.severity < b.severity }
}

/// Something to do about a finding, with who does it and by when.
public struct SurveyAction: Hashable, Sendable, Codable {
    public var text: String
    public var owner: String
    public var due: Day
    public init(text: String, owner: String, due: Day) {
        self.text = text
        self.owner = owner
        self.due = due
    }
}

/// One question's answer: a rating (or a count), what was found, and what will be done.
public struct SurveyAnswer: Hashable, Sendable, Codable {
    public var questionID: String
    public var rating: ReadinessRating?
    public var count: Int?
    public var finding: String
    public var actions: [SurveyAction]
    /// The risk or issue raised from the finding, if any.
    public var trackingItemID: Int64?

    public init(questionID: String, rating: ReadinessRating? = nil, count: Int? = nil, finding: String = "",
                actions: [SurveyAction] = [], trackingItemID: Int64? = nil) {
        self.questionID = questionID
        self.rating = rating
        self.count = count
        self.finding = finding
        self.actions = actions
        self.trackingItemID = trackingItemID
    }
}

/// A project's answers to one survey. Each save moves `version` on; a sign-off names the
/// version it signed.
public struct SurveyResponse: Hashable, Sendable, Codable {
    public var id: Int64
    public var projectID: Int64
    public var kind: SurveyKind
    public var catalogueVersion: Int
    public var version: Int
    public var answers: [SurveyAnswer]
    public var updatedBy: String
    public var updatedAt: String
    public var signedOffVersion: Int?
    public var signedOffBy: String?
    public var signedOffAt: String?

    public init(id: Int64 = 0, projectID: Int64, kind: SurveyKind, catalogueVersion: Int, version: Int = 0, answers: [SurveyAnswer] = [],
                updatedBy: String = "", updatedAt: String = "", signedOffVersion: Int? = nil, signedOffBy: String? = nil, signedOffAt: String? = nil) {
        self.id = id
        self.projectID = projectID
        self.kind = kind
        self.catalogueVersion = catalogueVersion
        self.version = version
        self.answers = answers
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
        self.signedOffVersion = signedOffVersion
        self.signedOffBy = signedOffBy
        self.signedOffAt = signedOffAt
    }

    public func answer(_ questionID: String) -> SurveyAnswer? { answers.first { $0.questionID == questionID } }
    /// Signed off, and not changed since.
    public var isSignedOff: Bool { signedOffVersion == version && version > 0 }
    /// The worst rating given; nil when nothing is rated yet.
    public var overall: ReadinessRating? { answers.compactMap(\.rating).filter { $0 != .notApplicable }.max() ?? answers.compactMap(\.rating).first }
    /// Findings rated below ready that have no action and no risk or issue yet.
    public var openFindings: [SurveyAnswer] {
        answers.filter { ($0.rating == .notReady || $0.rating == .partlyReady) && $0.actions.isEmpty && $0.trackingItemID == nil }
    }
}

/// The rules for answers, keyed by field (`answer.QUESTION.rating` and so on).
public enum SurveyRules {
    public static func field(_ questionID: String, _ part: String) -> String { "answer.\(questionID).\(part)" }

    public static func check(_ answers: [SurveyAnswer], kind: SurveyKind, catalogue: SurveyCatalogueVersion) -> [FieldError] {
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for answer in answers {
            guard let question = catalogue.question(kind, id: answer.questionID) else {
                errors.append(FieldError(field: "answers", message: "The \(kind.title) has no question '\(answer.questionID.prefix(40))'."))
                continue
            }
            if !seen.insert(answer.questionID).inserted {
                errors.append(FieldError(field: field(question.id, "rating"), message: "'\(question.text)' is answered twice."))
            }
            switch question.scale {
            case .readiness:
                if answer.count != nil {
                    errors.append(FieldError(field: field(question.id, "rating"), message: "'\(question.text)' takes a rating, not a number."))
                }
            case .count(let maximum):
                if answer.rating != nil {
                    errors.append(FieldError(field: field(question.id, "count"), message: "'\(question.text)' takes a number, not a rating."))
                } else if let count = answer.count, !(0...maximum).contains(count) {
                    errors.append(FieldError(field: field(question.id, "count"), message: "'\(question.text)' takes a whole number from 0 to \(maximum)."))
                }
            }
            if answer.finding.count > 4000 {
                errors.append(FieldError(field: field(question.id, "finding"), message: "Keep the finding to 4,000 characters."))
            }
            for action in answer.actions {
                if action.text.trimmedWhitespace.isEmpty || action.text.count > 500 || action.owner.trimmedWhitespace.isEmpty || action.owner.count > 120 {
                    errors.append(FieldError(field: field(question.id, "action"), message: "Each action on '\(question.text)' needs what is to be done (up to 500 characters) and an owner."))
                }
            }
        }
        return errors
    }
}
