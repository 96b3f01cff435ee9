/// Role-based access control in the shape of the NHS national model (§4.4.1.4, DOMAIN.md §10):
/// job roles, activities (business functions), areas of work and workgroups. This is reference
/// data, versioned like the NSI catalogue: a sponsor's approval keeps the version it was made
/// against. It is a starter set; a programme replaces it with its current release.
public struct RBACCatalogue: Sendable, Hashable {
    public struct Entry: Sendable, Hashable, Codable {
        public var code: String
        public var title: String
    }

    /// A workgroup: the areas of work it covers and the activities its members may do.
    public struct Workgroup: Sendable, Hashable, Codable {
        public var code: String
        public var title: String
        public var areasOfWork: [String]
        public var activities: [String]
    }

    public var number: Int
    public var jobRoles: [Entry]
    public var activities: [Entry]
    public var areasOfWork: [Entry]
    public var workgroups: [Workgroup]

    public func jobRole(_ code: String) -> Entry? {
        let wanted = code.uppercased()
        return jobRoles.first { $0.code == wanted }
    }

    public func workgroup(_ code: String) -> Workgroup? {
        let wanted = code.lowercased()
        return workgroups.first { $0.code == wanted }
    }

    public static let latest = RBACCatalogue(
        number: 1,
        jobRoles: [
            Entry(code: "R8000", title: "Clinical Practitioner Access Role"),
            Entry(code: "R8001", title: "Nurse Access Role"),
            Entry(code: "R8003", title: "Health Professional Access Role"),
            Entry(code: "R8004", title: "Healthcare Student Access Role"),
            Entry(code: "R8008", title: "Admin/Clinical Support Access Role"),
            Entry(code: "R8010", title: "Clerical Access Role"),
            Entry(code: "R8013", title: "Health Records Manager Access Role"),
        ],
        activities: [
            Entry(code: "view-record", title: "View the patient's clinical record"),
            Entry(code: "record-clinical-note", title: "Record clinical notes"),
            Entry(code: "order-tests", title: "Order tests and view results"),
            Entry(code: "prescribe", title: "Prescribe medicines"),
            Entry(code: "administer-medicines", title: "Record medicines administered"),
            Entry(code: "register-patient", title: "Register a patient and amend demographics"),
            Entry(code: "book-appointment", title: "Book and manage appointments"),
            Entry(code: "manage-records", title: "Manage health records, merges and access requests"),
            Entry(code: "legitimate-relationship", title: "Self-claim a legitimate relationship"),
        ],
        areasOfWork: [
            Entry(code: "emergency", title: "Emergency department"),
            Entry(code: "inpatients", title: "Inpatient wards"),
            Entry(code: "outpatients", title: "Outpatient clinics"),
            Entry(code: "pharmacy", title: "Pharmacy"),
            Entry(code: "health-records", title: "Health records"),
            Entry(code: "primary-care", title: "General practice"),
        ],
        workgroups: [
            Workgroup(code: "ed-clinical", title: "Emergency department clinicians", areasOfWork: ["emergency"],
                      activities: ["view-record", "record-clinical-note", "order-tests", "prescribe", "legitimate-relationship"]),
            Workgroup(code: "ward-nursing", title: "Ward nursing", areasOfWork: ["inpatients"],
                      activities: ["view-record", "record-clinical-note", "administer-medicines", "legitimate-relationship"]),
            Workgroup(code: "outpatient-admin", title: "Outpatient administration", areasOfWork: ["outpatients"],
                      activities: ["register-patient", "book-appointment"]),
            Workgroup(code: "pharmacy", title: "Pharmacy", areasOfWork: ["pharmacy"],
                      activities: ["view-record", "administer-medicines", "legitimate-relationship"]),
            Workgroup(code: "health-records", title: "Health records team", areasOfWork: ["health-records"],
                      activities: ["register-patient", "manage-records"]),
            Workgroup(code: "gp-practice", title: "GP practice team", areasOfWork: ["primary-care"],
                      activities: ["view-record", "record-clinical-note", "order-tests", "prescribe", "register-patient", "book-appointment"]),
        ])
}

/// A position: a job role at an organisation in a workgroup. An access profile is a list of them.
public struct AccessPosition: Sendable, Hashable, Codable {
    public var jobRole: String
    public var organisationID: Int64
    public var workgroup: String

    public init(jobRole: String, organisationID: Int64, workgroup: String) {
        self.jobRole = jobRole
        self.organisationID = organisationID
        self.workgroup = workgroup
    }
}
