/// An NHS financial year, 1 April to 31 March, named like "2026/27".
public struct FinancialYear: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The calendar year in which it starts.
    public var startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    public init(containing day: Day) {
        let (year, month, _) = day.components
        startYear = month >= 4 ? year : year - 1
    }

    /// "2026/27", or nil for anything else.
    public init?(label: String) {
        let parts = label.split(separator: "/")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let start = Int(parts[0]), let end = Int(parts[1]),
              (1990...2100).contains(start), (start + 1) % 100 == end else { return nil }
        startYear = start
    }

    public var label: String {
        let end = (startYear + 1) % 100
        return "\(startYear)/\(end < 10 ? "0" : "")\(end)"
    }
    public var description: String { label }

    public var start: Day { Day(year: startYear, month: 4, day: 1)! }
    public var end: Day { Day(year: startYear + 1, month: 3, day: 31)! }
    public func contains(_ day: Day) -> Bool { start <= day && day <= end }

    /// The first day of each month, April to March.
    public var months: [Day] {
        (0..<12).map { offset in Day(year: startYear + (offset >= 9 ? 1 : 0), month: (offset + 3) % 12 + 1, day: 1)! }
    }

    /// 0 for April … 11 for March; nil outside the year.
    public func monthIndex(of day: Day) -> Int? {
        guard contains(day) else { return nil }
        let (_, month, _) = day.components
        return (month + 8) % 12
    }

    public static func < (lhs: FinancialYear, rhs: FinancialYear) -> Bool { lhs.startYear < rhs.startYear }

    public static let monthNames = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
}

/// The type of implementation a DIP line commits to. Three are enough to say what a site gets
/// (DOMAIN.md §3, §4): a service it did not have, a replacement for an existing system (LSP
/// solutions replace PAS and GP systems), or a new release of a solution already live.
public enum ImplementationKind: String, CaseIterable, Sendable, Codable {
    case newService = "new-service"
    case replacement
    case upgrade

    public var title: String {
        switch self {
        case .newService: "New service"
        case .replacement: "Replacement of an existing system"
        case .upgrade: "Upgrade to a new release"
        }
    }
}

public enum DIPState: String, CaseIterable, Sendable, Codable {
    /// The LSP is drafting it; lines change freely.
    case draft
    /// Agreed with the Cluster Board: lines change only through an approved CCN.
    case agreed

    public var title: String { self == .draft ? "Draft" : "Agreed" }
}

/// An LSP's deployment obligations in one cluster for one financial year (§8).
public struct DetailedImplementationPlan: Hashable, Sendable {
    public var id: Int64
    public var supplierID: Int64
    public var clusterID: Int64
    public var year: FinancialYear
    public var state: DIPState
    public var agreedBy: String?
    public var agreedOn: Day?
    public var lines: [DIPLine]
    public var version: Int

    public init(id: Int64, supplierID: Int64, clusterID: Int64, year: FinancialYear, state: DIPState = .draft,
                agreedBy: String? = nil, agreedOn: Day? = nil, lines: [DIPLine] = [], version: Int = 1) {
        self.id = id
        self.supplierID = supplierID
        self.clusterID = clusterID
        self.year = year
        self.state = state
        self.agreedBy = agreedBy
        self.agreedOn = agreedOn
        self.lines = lines
        self.version = version
    }
}

/// One obligation: a product, at a site or trust, of a type of implementation, due by a milestone date.
public struct DIPLine: Hashable, Sendable {
    /// The stored line's key (0 until saved); the DIP and number identify it too.
    public var id: Int64
    public var dipID: Int64
    public var number: Int
    public var productCode: String
    public var organisationID: Int64
    /// For display: read with the line, never written.
    public var organisationCode: String
    public var organisationName: String
    /// The organisation's place, copied so scope and performance filters are one condition.
    public var ancestry: Ancestry
    public var implementation: ImplementationKind
    public var dueMilestone: MilestoneKind
    public var dueDate: Day
    /// The implementation projects that fulfil it.
    public var projects: [ProjectRef]
    /// Withdrawn by an approved CCN; kept so the CCN's reference to it still resolves.
    public var removed: Bool
    /// The CCN that last changed it, once the DIP was agreed.
    public var ccnID: Int64?
    public var version: Int

    public init(id: Int64 = 0, dipID: Int64, number: Int, productCode: String, organisationID: Int64, organisationCode: String = "",
                organisationName: String = "", ancestry: Ancestry,
                implementation: ImplementationKind, dueMilestone: MilestoneKind = .goLiveCompleted, dueDate: Day,
                projects: [ProjectRef] = [], removed: Bool = false, ccnID: Int64? = nil, version: Int = 1) {
        self.id = id
        self.dipID = dipID
        self.number = number
        self.productCode = productCode
        self.organisationID = organisationID
        self.organisationCode = organisationCode
        self.organisationName = organisationName
        self.ancestry = ancestry
        self.implementation = implementation
        self.dueMilestone = dueMilestone
        self.dueDate = dueDate
        self.projects = projects
        self.removed = removed
        self.ccnID = ccnID
        self.version = version
    }
}

public enum DIPRules {
    /// Why a line change to `dip` cannot go ahead under `ccn`, or nil when it can. A draft DIP
    /// changes freely; an agreed one only through an approved (or implemented) CCN of the same
    /// cluster that names the line (or, for a new line, the DIP).
    public static func changeRefusal(dip: DetailedImplementationPlan, lineNumber: Int?, ccn: ChangeControlNote?) -> String? {
        guard dip.state == .agreed else { return nil }
        let what = lineNumber.map { "line \($0)" } ?? "a new line"
        guard let ccn else {
            return "The DIP is agreed, so \(what) can change only through an approved Change Control Note: give the CCN's reference."
        }
        guard ccn.clusterID == dip.clusterID else { return "\(ccn.reference) belongs to another cluster's Change Review Board." }
        guard ccn.state.authorisesChange else {
            return "\(ccn.reference) is \(ccn.state.title.lowercased()), not approved: the DIP can change only through an approved CCN."
        }
        guard ccn.covers(dipID: dip.id, lineNumber: lineNumber) else {
            return "\(ccn.reference) does not list \(what) of this DIP among its affected items."
        }
        return nil
    }

    /// Every problem with a line as entered (the organisation and projects are checked by the service).
    public static func validate(_ line: DIPLine, in year: FinancialYear) -> [FieldError] {
        var errors: [FieldError] = []
        if ProductCatalogue.product(code: line.productCode) == nil {
            errors.append(FieldError(field: "product", message: "Choose a product: \(ProductCatalogue.all.map(\.code).joined(separator: ", "))."))
        }
        if !year.contains(line.dueDate) {
            errors.append(FieldError(field: "due", message: "The due date must fall in the DIP's financial year \(year.label) (\(year.start.iso) to \(year.end.iso))."))
        }
        return errors
    }
}
