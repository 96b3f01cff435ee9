import WaymarkCore

/// Which staff to list: within an organisation (by employer), matching a name or staff number.
public struct StaffQuery: Sendable {
    public var scope: AccessScope?
    public var within: Organisation?
    public var text: String?
    public var jobRole: String?
    public var after: Int64?
    public var limit: Int
    public init(scope: AccessScope?, within: Organisation? = nil, text: String? = nil, jobRole: String? = nil, after: Int64? = nil, limit: Int = 50) {
        self.scope = scope
        self.within = within
        self.text = text
        self.jobRole = jobRole
        self.after = after
        self.limit = limit
    }
}

/// Everything a person's status is computed from.
public struct PersonRecords: Sendable, Hashable {
    public var registration: Registration?
    public var cards: [Smartcard] = []
    public var results: [TrainingResult] = []
    /// Courses whose sessions they attended.
    public var attended: Set<String> = []
    public init() {}
    public var hasActiveCard: Bool { cards.contains { $0.status == .active } }
}

/// A training needs analysis line as it applies to an organisation's positions.
public struct ApplicableNeed: Sendable, Hashable {
    public var projectID: Int64
    public var organisationID: Int64
    public var productCode: String
    public var jobRole: String
    public var courseCode: String
    public init(projectID: Int64, organisationID: Int64, productCode: String, jobRole: String, courseCode: String) {
        self.projectID = projectID
        self.organisationID = organisationID
        self.productCode = productCode
        self.jobRole = jobRole
        self.courseCode = courseCode
    }
}

/// A person's new status, written only if their row is still at `expectedVersion` (the
/// version their records were read at), with their site's counts refreshed.
public struct StatusUpdate: Sendable, Hashable {
    public var staffID: Int64
    public var siteID: Int64
    public var expectedVersion: Int
    public var status: PeopleStatus
    public init(staffID: Int64, siteID: Int64, expectedVersion: Int, status: PeopleStatus) {
        self.staffID = staffID
        self.siteID = siteID
        self.expectedVersion = expectedVersion
        self.status = status
    }
}

/// The NHS staff being registered and trained (issue 15). Reads by id are unscoped: the
/// service finds a person through the gate first (`staffMember(id:scope:)`).
public protocol StaffRegister: Sendable {
    func staffMember(id: Int64, scope: AccessScope) async throws -> StaffMember?
    func staffMembers(ids: [Int64]) async throws -> [StaffMember]
    func staffMembers(_ query: StaffQuery) async throws -> Page<StaffMember>
    /// The staff numbers already held by these employers, with the person each belongs to.
    func staffNumbers(organisationIDs: [Int64]) async throws -> [Int64: [String: Int64]]
    /// People in any of `jobRoles` who work at, or are employed by, any of `organisationIDs`.
    func staffIDs(jobRoles: [String], organisationIDs: [Int64]) async throws -> [Int64]
    func personRecords(staffIDs: [Int64]) async throws -> [Int64: PersonRecords]
    /// The TNA lines of live projects at these organisations.
    func applicableNeeds(organisationIDs: [Int64]) async throws -> [ApplicableNeed]
    /// Adds (id 0) or replaces (at `version`) each person, with their status; `.duplicate` for a
    /// staff number the employer already holds, `.conflict` if one changed meanwhile.
    func saveStaff(_ staff: [StaffMember], audit: AuditRecord) async throws -> [StaffMember]
}

/// RA registrations and smartcards (§6.4.3). Every write also writes the person's new status.
public protocol RegistrationRegister: Sendable {
    func registration(id: Int64) async throws -> Registration?
    /// The person's latest registration.
    func registration(staffID: Int64) async throws -> Registration?
    /// The registrations handled by RAs within `organisation` and the scope, newest first.
    func registrations(within organisation: Organisation, scope: AccessScope, status: Registration.Status?,
                       after: Int64?, limit: Int) async throws -> Page<Registration>
    func smartcards(staffID: Int64) async throws -> [Smartcard]
    func smartcard(uuid: String) async throws -> Smartcard?
    /// Adds (id 0) or updates (at `expectedVersion`) a registration, writes `cards` (new or
    /// changed) and the person's status, in one transaction. `.duplicate` when a card UUID
    /// is taken; `.conflict` when anything moved.
    func saveRegistration(_ registration: Registration, expectedVersion: Int?, cards: [Smartcard], status: StatusUpdate,
                          audit: AuditRecord) async throws -> Registration
    /// Lead times, application to access, as a count per RA and number of days.
    func leadTimes(within organisation: Organisation, scope: AccessScope) async throws -> [(raOrganisationID: Int64, days: Int, count: Int)]
    func raEquipment(organisationIDs: [Int64]) async throws -> [Int64: RAEquipment]
    /// `.conflict` if the row is not at `expectedVersion` (nil: it must not exist yet).
    func saveRAEquipment(_ equipment: RAEquipment, expectedVersion: Int?, audit: AuditRecord) async throws -> RAEquipment
}

/// Courses, the training needs analysis, trainers, sessions, bookings, results and evaluations.
/// Writes that change what people have done also write their new status.
public protocol TrainingRegister: Sendable {
    func courses() async throws -> [Course]
    /// `.duplicate` for a new course whose code is taken; `.conflict` if it changed meanwhile.
    func saveCourse(_ course: Course, expectedVersion: Int?, audit: AuditRecord) async throws -> Course
    func trainingNeeds(projectID: Int64) async throws -> [TrainingNeed]
    func saveTrainingNeeds(projectID: Int64, _ needs: [TrainingNeed], statuses: [StatusUpdate], audit: AuditRecord) async throws
    func qualifications(staffIDs: [Int64]) async throws -> [TrainerQualification]
    func saveQualification(_ qualification: TrainerQualification, audit: AuditRecord) async throws
    func trainingSession(id: Int64) async throws -> TrainingSession?
    /// Sessions held within `organisation` and the scope, from `from` on, soonest first.
    func trainingSessions(within organisation: Organisation, scope: AccessScope, from: Day?, limit: Int) async throws -> [TrainingSession]
    func saveTrainingSession(_ session: TrainingSession, expectedVersion: Int?, audit: AuditRecord) async throws -> TrainingSession
    func bookings(sessionID: Int64) async throws -> [Booking]
    /// Writes `bookings` (new or changed) and `results` at the session's `expectedVersion`,
    /// moving it on, with the people's statuses; `.conflict` if the session changed.
    func saveBookings(sessionID: Int64, expectedVersion: Int, _ bookings: [Booking], results: [TrainingResult], statuses: [StatusUpdate],
                      audit: AuditRecord) async throws
    /// Results from a learning-management system or an assessment, with the people's statuses.
    func addTrainingResults(_ results: [TrainingResult], statuses: [StatusUpdate], audit: AuditRecord) async throws
    func evaluations(sessionIDs: [Int64]) async throws -> [Evaluation]
    /// `.duplicate` if the person has already evaluated the session.
    func saveEvaluation(_ evaluation: Evaluation, audit: AuditRecord) async throws
}

/// The registration and training funnel and the forecast (issue 15, part 5).
public protocol PeopleRollUpRegister: Sendable {
    /// The funnel of staff whose main site is at or below `organisation` (a supplier's: where
    /// it delivers), within the scope.
    func peopleFunnel(within organisation: Organisation, scope: AccessScope) async throws -> PeopleFunnel
    /// The funnel of each organisation one level below `organisation` (or each site of a trust).
    func peopleFunnelByChild(of organisation: Organisation, scope: AccessScope) async throws -> [(organisation: Organisation, funnel: PeopleFunnel)]
    /// The sites within `organisation` with a project whose Go-Live baseline is from `today`
    /// on and not yet achieved, with their counts and the people who became ready since `since`.
    func peopleForecastSites(within organisation: Organisation, scope: AccessScope, today: Day, since: Day) async throws -> [PeopleForecast.Site]
}
