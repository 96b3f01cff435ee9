/// Priority: the impact on the project and its functions (guide §4.6.2).
public enum RiskPriority: Int, CaseIterable, Sendable, Codable, Comparable {
    case showstopper = 1, significant, localised, minor, lowest

    public var title: String {
        switch self {
        case .showstopper: "Showstopper"
        case .significant: "Significant"
        case .localised: "Localised"
        case .minor: "Minor"
        case .lowest: "Lowest"
        }
    }

    /// "1 Showstopper".
    public var label: String { "\(rawValue) \(title)" }

    /// Accepts "1", "1 Showstopper" or "Showstopper".
    public init?(text: String) {
        let t = text.trimmedWhitespace.lowercased()
        if let n = Int(t), let p = RiskPriority(rawValue: n) { self = p; return }
        guard let p = Self.allCases.first(where: { $0.title.lowercased() == t || $0.label.lowercased() == t }) else { return nil }
        self = p
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Controllability: confidence that the risk or issue can be managed locally (guide §4.6.2).
public enum Controllability: String, CaseIterable, Sendable, Codable, Comparable {
    case a = "A", b = "B", c = "C", d = "D"

    public var meaning: String {
        switch self {
        case .a: "Plans in hand, very high confidence"
        case .b: "Confident"
        case .c: "Little confidence in plans or control"
        case .d: "No plans and/or not confident"
        }
    }

    /// Accepts "A" to "D" in either case, optionally followed by the meaning.
    public init?(text: String) {
        let t = text.trimmedWhitespace.uppercased()
        guard let first = t.first, t.count == 1 || t.dropFirst().first == " " else { return nil }
        guard let c = Controllability(rawValue: String(first)) else { return nil }
        self = c
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The standard organisational response a risk's probability calls for. The guide's examples
/// (40-60% action plans, 60-70% contingency plans) overlap at 60 and stop at 70, so Waymark
/// chooses: below 40 monitor; 40-59 action plan; 60-70 contingency plan as well; above 70 a
/// documented response too. See docs/design/tracking.md.
public enum RequiredResponse: Int, CaseIterable, Sendable, Comparable {
    case monitor = 0, actionPlan, contingencyPlan, documentedResponse

    public static func forProbability(_ percent: Int) -> RequiredResponse {
        switch percent {
        case ..<40: .monitor
        case 40..<60: .actionPlan
        case 60...70: .contingencyPlan
        default: .documentedResponse
        }
    }

    public var title: String {
        switch self {
        case .monitor: "Monitor (below 40%)"
        case .actionPlan: "Risk action plan required (40-59%)"
        case .contingencyPlan: "Action plan and contingency plan required (60-70%)"
        case .documentedResponse: "Action plan, contingency plan and a documented response required (above 70%)"
        }
    }

    /// For list columns.
    public var shortTitle: String {
        switch self {
        case .monitor: "Monitor"
        case .actionPlan: "Action plan"
        case .contingencyPlan: "Action + contingency"
        case .documentedResponse: "Action + contingency + response"
        }
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
