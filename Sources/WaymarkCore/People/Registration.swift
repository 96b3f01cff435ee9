/// A Registration Authority registration (§6.4.3, issue 15): application, identity check,
/// sponsor approval of an access profile, smartcard issue, access granted, in that order.
/// Every step is dated and says who took it.
public struct Registration: Sendable, Hashable, Identifiable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case applied
        case identityChecked = "identity-checked"
        case approved
        case cardIssued = "card-issued"
        case granted

        public var title: String {
            switch self {
            case .applied: "Applied"
            case .identityChecked: "Identity checked"
            case .approved: "Profile approved by sponsor"
            case .cardIssued: "Smartcard issued"
            case .granted: "Access granted"
            }
        }

        var rank: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
    }

    public var id: Int64
    public var staffID: Int64
    /// The organisation whose local RA handles it: the employer's trust.
    public var raOrganisationID: Int64
    public var status: Status
    public var appliedOn: Day
    public var appliedBy: String
    public var identityDocuments: [IdentityDocument] = []
    public var identityCheckedBy: String?
    public var identityCheckedOn: Day?
    /// The access profile the sponsor approved: positions, and the products they are for
    /// (none means every product at those organisations).
    public var positions: [AccessPosition] = []
    public var products: [String] = []
    public var catalogueVersion: Int?
    public var approvedBy: String?
    public var approvedOn: Day?
    public var grantedBy: String?
    public var grantedOn: Day?
    /// Set when an RA manager granted access without proficiency.
    public var overrideReason: String?
    public var version: Int

    public init(id: Int64 = 0, staffID: Int64, raOrganisationID: Int64, appliedOn: Day, appliedBy: String, version: Int = 1) {
        self.id = id
        self.staffID = staffID
        self.raOrganisationID = raOrganisationID
        self.status = .applied
        self.appliedOn = appliedOn
        self.appliedBy = appliedBy
        self.version = version
    }

    /// Days from application to access; nil until granted.
    public var leadDays: Int? { grantedOn.map { $0.ordinal - appliedOn.ordinal } }
}

/// The kinds of identity document an RA agent may record seeing. Only the kind is kept, never
/// a document's number.
public enum IdentityDocument: String, Sendable, Hashable, Codable, CaseIterable {
    case passport
    case photocardDrivingLicence = "photocard-driving-licence"
    case identityCard = "identity-card"
    case birthCertificate = "birth-certificate"
    case utilityBill = "utility-bill"
    case bankStatement = "bank-statement"
    case councilTaxBill = "council-tax-bill"
    case payslip

    public var title: String {
        switch self {
        case .passport: "Passport"
        case .photocardDrivingLicence: "Photocard driving licence"
        case .identityCard: "National identity card"
        case .birthCertificate: "Birth certificate"
        case .utilityBill: "Utility bill"
        case .bankStatement: "Bank statement"
        case .councilTaxBill: "Council tax bill"
        case .payslip: "Payslip or P60"
        }
    }

    public var isPhotographic: Bool { [.passport, .photocardDrivingLicence, .identityCard].contains(self) }
}

/// A smartcard: a 12-digit UUID, its issue date and its status.
public struct Smartcard: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case active, suspended, lost, cancelled
        /// Replaced by a renewal.
        case renewed

        public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    public var uuid: String
    public var staffID: Int64
    public var registrationID: Int64
    public var issuedOn: Day
    public var status: Status
    public var statusOn: Day
    public var replaces: String?

    public init(uuid: String, staffID: Int64, registrationID: Int64, issuedOn: Day, status: Status = .active, statusOn: Day? = nil, replaces: String? = nil) {
        self.uuid = uuid
        self.staffID = staffID
        self.registrationID = registrationID
        self.issuedOn = issuedOn
        self.status = status
        self.statusOn = statusOn ?? issuedOn
        self.replaces = replaces
    }
}

/// What a change to a smartcard does.
public enum SmartcardAction: String, Sendable, CaseIterable {
    case suspend, reinstate
    case reportLost = "report-lost"
    case cancel
}

/// The registration steps' rules: their order, what each needs, and the smartcard lifecycle.
public enum RegistrationRules {
    public static let uuidRule = "A smartcard UUID is exactly 12 digits."

    public static func uuid(_ raw: String) -> String? {
        let digits = raw.filter { $0 != " " && $0 != "-" }
        return digits.count == 12 && digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? digits : nil
    }

    /// Why `step` cannot follow the registration's status, or nil.
    public static func orderRefusal(_ registration: Registration, to step: Registration.Status) -> String? {
        let needed = Registration.Status.allCases[max(0, step.rank - 1)]
        guard registration.status != needed else { return nil }
        if registration.status >= step { return "This registration is already at '\(registration.status.title)'." }
        return "This registration is at '\(registration.status.title)'; '\(step.title)' needs '\(needed.title)' first."
    }

    /// Three documents, at least one with a photograph, all different.
    public static func identityRefusal(_ documents: [IdentityDocument]) -> String? {
        guard Set(documents).count == documents.count else { return "Record each kind of document once." }
        guard documents.count >= 3 else { return "Record at least three identity documents seen." }
        guard documents.contains(where: \.isPhotographic) else {
            return "At least one document must carry a photograph: a passport, photocard driving licence or national identity card."
        }
        return nil
    }

    /// Why the smartcard cannot take `action`, or its new status.
    public static func apply(_ action: SmartcardAction, to card: Smartcard) -> Result<Smartcard.Status, SmartcardRefusal> {
        switch (action, card.status) {
        case (.suspend, .active): .success(.suspended)
        case (.reinstate, .suspended): .success(.active)
        case (.reportLost, .active), (.reportLost, .suspended): .success(.lost)
        case (.cancel, .active), (.cancel, .suspended), (.cancel, .lost): .success(.cancelled)
        default: .failure(SmartcardRefusal(message: "A \(card.status.rawValue) smartcard cannot be \(action.pastTense)."))
        }
    }

    /// A card can be renewed (replaced by a new UUID) unless it is already cancelled or replaced.
    public static func renewRefusal(_ card: Smartcard) -> String? {
        [.cancelled, .renewed].contains(card.status) ? "A \(card.status.rawValue) smartcard cannot be renewed; issue a new registration." : nil
    }

    public static let overrideReasonRule = "Give the reason for granting access without proficiency, 10 to 500 characters."

    public static func overrideReason(_ raw: String) -> String? {
        let reason = raw.trimmedWhitespace
        return (10...500).contains(reason.count) ? reason : nil
    }

    /// The median and 90th percentile of lead times (nearest rank), from a count per day value.
    public static func leadTimes(_ histogram: [(days: Int, count: Int)]) -> (median: Int, p90: Int, count: Int)? {
        let sorted = histogram.filter { $0.count > 0 }.sorted { $0.days < $1.days }
        let total = sorted.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        func rank(_ percent: Int) -> Int {
            let wanted = (total * percent + 99) / 100
            var seen = 0
            for entry in sorted {
                seen += entry.count
                if seen >= wanted { return entry.days }
            }
            return sorted.last!.days
        }
        return (rank(50), rank(90), total)
    }
}

public struct SmartcardRefusal: Error, Hashable { public var message: String }

extension SmartcardAction {
    var pastTense: String {
        switch self {
        case .suspend: "suspended"
        case .reinstate: "reinstated"
        case .reportLost: "reported lost"
        case .cancel: "cancelled"
        }
    }
}

/// RA hardware kits and Identity Agent installs at a site (§4.4.1.3): the RA plan needs both.
public struct RAEquipment: Sendable, Hashable {
    public var organisationID: Int64
    public var kits: Int
    public var identityAgents: Int
    public var version: Int
    public init(organisationID: Int64, kits: Int, identityAgents: Int, version: Int = 1) {
        self.organisationID = organisationID
        self.kits = kits
        self.identityAgents = identityAgents
        self.version = version
    }
}
