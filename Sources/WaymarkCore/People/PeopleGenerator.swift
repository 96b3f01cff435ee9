/// Generated people records (issue 15): staff at every organisation that hosts a live project,
/// each project's training needs analysis, RA registrations and smartcards, training results,
/// trainers and RA kit. Deterministic for a dataset. Each person's status is computed by the
/// same rule the services use (`PeopleStatus.of`).
public struct PeopleRecords: Sendable {
    public var staff: [StaffMember] = []
    public var needs: [(projectID: Int64, need: TrainingNeed)] = []
    public var registrations: [Registration] = []
    public var cards: [Smartcard] = []
    public var results: [TrainingResult] = []
    public var qualifications: [TrainerQualification] = []
    public var equipment: [RAEquipment] = []
    public var sessions: [TrainingSession] = []
    public init() {}
}

struct PeopleGenerator {
    let dataset: ProgrammeDataset
    let today: Day
    /// About how many staff in all.
    let staffTarget: Int
    /// A trust whose staff are well behind with training (the demo's worry).
    let behindTrustID: Int64?

    static let clinical = ["R8000", "R8001", "R8003"]
    static let roles: [(code: String, weight: Int, workgroup: String)] = [
        ("R8000", 15, "ed-clinical"), ("R8001", 30, "ward-nursing"), ("R8003", 10, "pharmacy"), ("R8004", 5, "ward-nursing"),
        ("R8008", 15, "outpatient-admin"), ("R8010", 20, "outpatient-admin"), ("R8013", 5, "health-records"),
    ]
    static let names = ["Patel", "Jones", "Smith", "Williams", "Khan", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Ahmed", "Thomas",
                        "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall", "Clarke", "Okafor", "Lewis", "Singh", "Murphy", "Wood"]
    static let given = ["Amy", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hari", "Isla", "Jack", "Kofi", "Lily", "Maya", "Noah",
                        "Olu", "Priya", "Rosa", "Sam", "Tom", "Uma", "Vic", "Will", "Yusuf", "Zara"]

    func generate() -> PeopleRecords {
        var random = SplitMix64(seed: 15_015)
        var out = PeopleRecords()
        let organisations = Dictionary(dataset.organisations.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var hosted: [Int64: [ImplementationProject]] = [:]
        for project in dataset.projects where project.isLive { hosted[project.organisationID, default: []].append(project) }
        // The TNA: every front-line role learns IG; clinicians also patient searching (§4.5.2).
        var needsAt: [Int64: [String: Set<String>]] = [:]
        for project in dataset.projects where project.isLive && project.stage.rawValue >= 1 {
            for role in Self.roles.map(\.code) {
                let courses = Self.clinical.contains(role) ? ["IG-FRONTLINE", "PATIENT-SEARCH"] : ["IG-FRONTLINE"]
                for course in courses {
                    out.needs.append((project.id, TrainingNeed(jobRole: role, courseCode: course)))
                    needsAt[project.organisationID, default: [:]][role, default: []].insert(course)
                }
            }
        }
        let hosts = hosted.keys.sorted()
        let perHost = max(2, staffTarget / max(1, hosts.count))
        let courses = Dictionary(uniqueKeysWithValues: Course.standard.map { ($0.code, $0) })
        var registrationID: Int64 = 0, staffID: Int64 = 0
        var cardNumber = 100_000_000_000
        let weights = Self.roles.reduce(0) { $0 + $1.weight }
        for host in hosts {
            guard let site = organisations[host], [.trust, .site].contains(site.kind) else { continue }
            let employer = site.ancestry.trustID ?? site.id
            let stage = hosted[host]!.map(\.stage.rawValue).max() ?? 0
            var pace = stage >= 4 ? 95 : stage == 3 ? 70 : stage == 2 ? 35 : 10
            if site.ancestry.trustID == behindTrustID || site.id == behindTrustID { pace = pace / 4 }
            out.equipment.append(RAEquipment(organisationID: host, kits: 1 + random.below(3), identityAgents: 5 + random.below(40)))
            for n in 0..<perHost {
                staffID += 1
                var pick = random.below(weights)
                let role = Self.roles.first { pick -= $0.weight; return pick < 0 }!
                var person = StaffMember(id: staffID, staffNumber: "E\(staffID)", name: "\(Self.given[random.below(Self.given.count)]) \(Self.names[random.below(Self.names.count)])",
                                         organisationID: employer, jobRole: role.code, mainSiteID: host)
                var results: [TrainingResult] = []
                func pass(_ code: String, daysAgo: Int, passed: Bool = true) {
                    results.append(TrainingResult(staffID: person.id, courseCode: code, passed: passed, on: today.adding(days: -daysAgo), source: .lms))
                }
                if random.below(100) < 90 { pass(random.below(10) < 4 ? "ECDL" : "GETTING-STARTED", daysAgo: 150 + random.below(400)) }
                // Refreshers from earlier years, for a programme that has run a while.
                for year in 1...3 where random.below(100) < 55 { pass("IG-FRONTLINE", daysAgo: 365 * year + random.below(200)) }
                let trains = random.below(100) < pace
                if trains {
                    if random.below(10) == 0 { pass("IG-FRONTLINE", daysAgo: 40 + random.below(60), passed: false) }
                    pass("IG-FRONTLINE", daysAgo: random.below(120))
                    if Self.clinical.contains(role.code) { pass("PATIENT-SEARCH", daysAgo: random.below(120)) }
                }
                var registration: Registration?
                // The second person at each site has just applied, so every site shows an RA queue.
                if n == 1 {
                    registrationID += 1
                    registration = Registration(id: registrationID, staffID: person.id, raOrganisationID: employer, appliedOn: today.adding(days: -3), appliedBy: "RA agent")
                    out.registrations.append(registration!)
                } else if trains || random.below(100) < pace / 2 + 10 {
                    if random.below(5) < 2 {
                        // An earlier registration, granted years ago, before a move.
                        registrationID += 1
                        var old = Registration(id: registrationID, staffID: person.id, raOrganisationID: employer, appliedOn: today.adding(days: -1200), appliedBy: "RA agent")
                        old.status = .granted
                        old.identityDocuments = [.passport, .utilityBill, .payslip]
                        old.identityCheckedOn = old.appliedOn.adding(days: 4)
                        old.approvedOn = old.appliedOn.adding(days: 9)
                        old.grantedOn = old.appliedOn.adding(days: 20)
                        out.registrations.append(old)
                    }
                    registrationID += 1
                    let applied = today.adding(days: -(15 + random.below(150)))
                    var r = Registration(id: registrationID, staffID: person.id, raOrganisationID: employer, appliedOn: applied, appliedBy: "RA agent")
                    var day = applied.adding(days: 2 + random.below(10))
                    if day <= today {
                        r.status = .identityChecked
                        r.identityDocuments = [random.below(2) == 0 ? .passport : .photocardDrivingLicence, .utilityBill, .payslip]
                        r.identityCheckedBy = "RA agent"
                        r.identityCheckedOn = day
                        day = day.adding(days: 1 + random.below(14))
                    }
                    if r.status == .identityChecked && day <= today {
                        r.status = .approved
                        r.positions = [AccessPosition(jobRole: role.code, organisationID: host, workgroup: role.workgroup)]
                        r.catalogueVersion = RBACCatalogue.latest.number
                        r.approvedBy = "Sponsor"
                        r.approvedOn = day
                        day = day.adding(days: 1 + random.below(7))
                    }
                    if r.status == .approved && day <= today {
                        r.status = .cardIssued
                        cardNumber += 1
                        out.cards.append(Smartcard(uuid: String(cardNumber), staffID: person.id, registrationID: r.id, issuedOn: day))
                        day = day.adding(days: random.below(10))
                    }
                    if r.status == .cardIssued && day <= today && (trains || random.below(50) == 0) {
                        r.status = .granted
                        r.grantedBy = "RA agent"
                        r.grantedOn = day
                        if !trains { r.overrideReason = "Needed for go-live cover; training booked" }
                    }
                    registration = r
                    out.registrations.append(r)
                }
                let (positions, products) = Proficiency.positions(person, registration)
                let required = Set(positions.flatMap { needsAt[$0.organisationID]?[$0.jobRole] ?? [] })
                _ = products
                person.status = PeopleStatus.of(registration: registration, activeCard: registration.map { $0.status >= .cardIssued } ?? false,
                                                required: required, results: results, attended: [], courses: courses, today: today)
                out.results += results
                if n == 0 {
                    // The first person at each site trains there.
                    for code in ["IG-FRONTLINE", "PATIENT-SEARCH"] {
                        out.qualifications.append(TrainerQualification(staffID: person.id, courseCode: code, qualifiedOn: today.adding(days: -400)))
                    }
                    out.sessions.append(TrainingSession(id: Int64(out.sessions.count + 1), courseCode: "IG-FRONTLINE", organisationID: host,
                                                        venue: "Training room 1", on: today.adding(days: 14), trainerID: person.id, capacity: 12))
                }
                out.staff.append(person)
            }
        }
        return out
    }
}
