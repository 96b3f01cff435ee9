/// The six areas of responsibility (DOMAIN.md §5, guide §4.4.2). The guide classifies
/// activities and products by them; Waymark also files risks, issues and lessons under them.
public enum AreaOfResponsibility: String, CaseIterable, Sendable, Codable {
    case clinicalAndBusiness = "clinical-business"
    case policy
    case processAndPerformance = "process-performance"
    case it
    case people
    case contracts = "contracts-external"

    public var title: String {
        switch self {
        case .clinicalAndBusiness: "Clinical and Business Management"
        case .policy: "Policy"
        case .processAndPerformance: "Process and Performance"
        case .it: "IT"
        case .people: "People"
        case .contracts: "Managing Contracts and External Relationships"
        }
    }

    /// Accepts the code or the title, case-insensitively (CSV files carry either).
    public init?(text: String) {
        let t = text.trimmedWhitespace.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue == t || $0.title.lowercased() == t }) else { return nil }
        self = match
    }
}
