import WaymarkCore

/// Answers as sent (form or JSON), by question id: the text of each part, so every bad part is
/// named beside its question.
public struct SurveyInput: Sendable, Hashable {
    public struct Answer: Sendable, Hashable {
        public var rating: String?
        public var count: String?
        public var finding: String?
        /// What is to be done, by whom, and by when (YYYY-MM-DD).
        public var actions: [(text: String, owner: String, due: String)]

        public init(rating: String? = nil, count: String? = nil, finding: String? = nil, actions: [(text: String, owner: String, due: String)] = []) {
            self.rating = rating
            self.count = count
            self.finding = finding
            self.actions = actions
        }

        public static func == (a: Self, b: Self) -> Bool {
            a.rating == b.rating && a.count == b.count && a.finding == b.finding
                && a.actions.map { [$0.text, $0.owner, $0.due] } == b.actions.map { [$0.text, $0.owner, $0.due] }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rating)
            hasher.combine(count)
            hasher.combine(finding)
        }
    }

    public var answers: [String: Answer]
    public init(answers: [String: Answer]) { self.answers = answers }

    /// From the survey's form: `answer.ID.rating`, `.count`, `.finding`, and one action row
    /// `.action`, `.owner`, `.due`. A question left wholly blank is not answered.
    public init(form: [String: String]) {
        var answers: [String: Answer] = [:]
        for (name, value) in form where name.hasPrefix("answer.") {
            let parts = name.dropFirst("answer.".count).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 2, let part = parts.last else { continue }
            let id = parts.dropLast().joined(separator: ".")
            var answer = answers[id] ?? Answer()
            let text = value.trimmedWhitespace.isEmpty ? nil : value
            switch part {
            case "rating": answer.rating = text
            case "count": answer.count = text
            case "finding": answer.finding = text
            default: break
            }
            answers[id] = answer
        }
        for id in answers.keys {
            let action = (form["answer.\(id).action"] ?? "", form["answer.\(id).owner"] ?? "", form["answer.\(id).due"] ?? "")
            if ![action.0, action.1, action.2].allSatisfy({ $0.trimmedWhitespace.isEmpty }) { answers[id]?.actions = [action] }
        }
        self.answers = answers.filter { $0.value.rating != nil || $0.value.count != nil || $0.value.finding != nil || !$0.value.actions.isEmpty }
    }

    /// The answers in question order, or every part that cannot be read.
    func answers(for kind: SurveyKind, catalogue: SurveyCatalogueVersion) throws(ValidationFailure) -> [SurveyAnswer] {
        var errors: [FieldError] = []
        var read: [SurveyAnswer] = []
        let order = Dictionary(uniqueKeysWithValues: catalogue.questions(kind).enumerated().map { ($0.element.id, $0.offset) })
        for (id, sent) in answers.sorted(by: { (order[$0.key] ?? .max, $0.key) < (order[$1.key] ?? .max, $1.key) }) {
            var answer = SurveyAnswer(questionID: id, finding: sent.finding?.trimmedWhitespace ?? "")
            if let text = sent.rating {
                if let rating = ReadinessRating(rawValue: text.trimmedWhitespace.lowercased()) { answer.rating = rating } else {
                    errors.append(FieldError(field: SurveyRules.field(id, "rating"),
                                             message: "'\(text.prefix(20))' is not on the scale: ready, partly-ready, not-ready or not-applicable."))
                }
            }
            if let text = sent.count {
                if let count = Int(text.trimmedWhitespace.replacingOccurrences(of: ",", with: "")) { answer.count = count } else {
                    errors.append(FieldError(field: SurveyRules.field(id, "count"), message: "Give a whole number, not '\(text.prefix(20))'."))
                }
            }
            for action in sent.actions {
                guard let due = Day(iso: action.due.trimmedWhitespace) else {
                    errors.append(FieldError(field: SurveyRules.field(id, "due"), message: "Give the action's due date as YYYY-MM-DD."))
                    continue
                }
                answer.actions.append(SurveyAction(text: action.text.trimmedWhitespace, owner: action.owner.trimmedWhitespace, due: due))
            }
            read.append(answer)
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        return read
    }
}
