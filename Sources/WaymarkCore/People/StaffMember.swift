/// An NHS staff member to be registered and trained (issue 15). Not a Waymark user: this is the
/// person the RA registers. The record holds the minimum (docs/security.md): a name, the
/// employing organisation, a job role, the sites worked at and an optional local staff number.
/// No NHS Number, date of birth, home address or passcode is ever kept.
public struct StaffMember: Sendable, Hashable, Identifiable {
    public var id: Int64
    /// The employer's own number for the person, unique within the employer; optional.
    public var staffNumber: String?
    public var name: String
    public var organisationID: Int64
    /// An RBAC job role code (`RBACCatalogue`).
    public var jobRole: String
    /// Where they mainly work: roll-ups count each person once, here.
    public var mainSiteID: Int64
    /// Other sites they also work at.
    public var otherSiteIDs: [Int64]
    /// The Waymark username of this person, when they use Waymark too (a sponsor, an RA agent):
    /// it is how a sponsor is stopped from approving their own access.
    public var waymarkUser: String?
    public var version: Int
    /// Where they stand on the way to access, as last computed from their records.
    public var status = PeopleStatus()

    public init(id: Int64 = 0, staffNumber: String?, name: String, organisationID: Int64, jobRole: String,
                mainSiteID: Int64, otherSiteIDs: [Int64] = [], waymarkUser: String? = nil, version: Int = 1) {
        self.id = id
        self.staffNumber = staffNumber
        self.name = name
        self.organisationID = organisationID
        self.jobRole = jobRole
        self.mainSiteID = mainSiteID
        self.otherSiteIDs = otherSiteIDs
        self.waymarkUser = waymarkUser
        self.version = version
    }

    public var siteIDs: [Int64] { [mainSiteID] + otherSiteIDs }
}

/// What a staff record's fields must hold.
public enum StaffRules {
    public static let nameRule = "Give the person's name, 1 to 120 characters."
    public static let staffNumberRule = "A staff number is 1 to 20 letters, digits or '-'."

    public static func name(_ raw: String) -> String? {
        let name = raw.trimmedWhitespace
        return (1...120).contains(name.count) && !name.contains(where: \.isNewline) ? name : nil
    }

    /// nil for a blank number (none); `.some(nil)` when malformed.
    public static func staffNumber(_ raw: String) -> String?? {
        let number = raw.trimmedWhitespace.uppercased()
        guard !number.isEmpty else { return .some(nil) }
        guard (1...20).contains(number.count), number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        // A ten-digit number that passes the NHS Number check would be patient data, not a staff number.
        if NHSNumber.isValid(number) { return nil }
        return .some(number)
    }

    public static func jobRoleRule(_ catalogue: RBACCatalogue) -> String {
        "Choose a job role: " + catalogue.jobRoles.map(\.code).joined(separator: ", ") + "."
    }
}

/// Refuses files that carry patient data: any column named like an NHS Number, or whose values
/// are mostly valid NHS Numbers. Staff and training files have no business holding either.
public enum PatientDataGuard {
    static let names: Set<String> = ["nhs number", "nhs no", "nhs num", "nhsnumber", "nhsno", "nhs", "patient nhs number", "nhs id"]

    /// The first offending column (its header as written), or nil.
    public static func patientColumn(header: [String], rows: [[String]]) -> String? {
        for (index, name) in header.enumerated() {
            let normalised = String(name.lowercased().compactMap { $0 == "_" || $0 == "-" ? " " : $0 == "." ? nil : $0 }).trimmedWhitespace
            if names.contains(normalised) || normalised.contains("nhs number") { return name }
            // A plain loop: the lazy chain this replaces crashed the release-mode optimiser.
            var seen = 0, valid = 0
            for row in rows where index < row.count && seen < 200 {
                let cell = row[index]
                if cell.trimmedWhitespace.isEmpty { continue }
                seen += 1
                if NHSNumber.isValid(cell) { valid += 1 }
            }
            if valid > 0 && valid * 2 >= seen { return name }
        }
        return nil
    }

    public static func refusal(_ column: String) -> String {
        "The column '\(column.prefix(40))' holds NHS Numbers, which are patient data. Waymark keeps no patient data: remove the column and import the file again."
    }
}
