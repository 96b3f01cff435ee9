import Foundation
import WaymarkCore
import WaymarkStorage

/// The NHS staff being registered and trained (issue 15): list, read, add, edit and import from
/// an HR extract. Reading needs `.viewStaff`; writing `.manageStaff`, within the actor's scope.
/// See docs/design/people.md.
public struct StaffService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.init(gate: programme.gate, store: programme.store)
    }

    init(gate: AccessGate, store: any WaymarkStore) {
        self.gate = gate
        self.store = store
    }

    static let entityType = "staff"
    public static let maximumImportBytes = 32 * 1024 * 1024

    var calculator: PeopleStatusCalculator { PeopleStatusCalculator(store: store, today: gate.clock.today) }

    /// Everything a person's page shows.
    public struct PersonView: Sendable {
        public var person: StaffMember
        public var employer: Organisation
        public var sites: [Organisation]
        public var records: PersonRecords
        /// The courses the TNA asks of them, and those they lack a current pass in.
        public var required: [String]
        public var missing: [String]
        public var courses: [String: Course]
        public var qualifications: [TrainerQualification]
    }

    public func list(organisationCode: String?, text: String?, jobRole: String?, after: Int64?, limit: Int = 50,
                     as user: ActingUser) async throws -> (Organisation, Page<StaffMember>) {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, for: .viewStaff, as: user)
        let page = try await store.staffMembers(StaffQuery(scope: scope, within: organisation, text: text.map { String($0.prefix(100)) },
                                                           jobRole: jobRole.flatMap { RBACCatalogue.latest.jobRole($0)?.code }, after: after, limit: limit))
        return (organisation, page)
    }

    /// The person with `id` if the actor may do `activity` to them: out of scope reads as unknown.
    func found(_ id: Int64, for activity: Activity, as user: ActingUser) async throws -> StaffMember {
        try await gate.inScope(Self.entityType, for: activity, as: user, notFound: ServiceError.unknownStaff(id), id: \.id) {
            try await store.staffMember(id: id, scope: $0)
        }.0
    }

    public func person(id: Int64, as user: ActingUser) async throws -> PersonView {
        let person = try await found(id, for: .viewStaff, as: user)
        let records = try await store.personRecords(staffIDs: [id])[id] ?? PersonRecords()
        let (positions, products) = Proficiency.positions(person, records.registration)
        let required = try await calculator.required(positions, products: products)
        let courses = try await calculator.courses()
        var places: [Organisation] = []
        for organisationID in [person.organisationID] + person.siteIDs where !places.contains(where: { $0.id == organisationID }) {
            if let found = try await store.organisation(id: organisationID, scope: .national) { places.append(found) }
        }
        return PersonView(person: person, employer: places[0], sites: places.filter { person.siteIDs.contains($0.id) }, records: records,
                          required: required.sorted(),
                          missing: Proficiency.missing(required, results: records.results, courses: courses, today: gate.clock.today),
                          courses: courses, qualifications: try await store.qualifications(staffIDs: [id]))
    }

    /// The organisations by code that the actor may place staff at.
    func reachable(_ scope: AccessScope) async throws -> [String: Organisation] {
        try await store.organisationsByCode().filter { scope.covers($0.value) && $0.value.closedOn == nil }
    }

    public func add(_ change: StaffChange, as user: ActingUser) async throws -> StaffMember {
        let scope = try await gate.authorise(.manageStaff, as: user)
        var person = try change.person(try await reachable(scope))
        person.status = try await calculator.updates([person], records: [:]).first?.status ?? PeopleStatus()
        return try await save([person], "add staff record", user).first!
    }

    public func update(id: Int64, _ change: StaffChange, as user: ActingUser) async throws -> StaffMember {
        let stored = try await found(id, for: .manageStaff, as: user)
        guard let expected = change.expectedVersion else {
            throw ServiceError.versionRequired("Say which version of the staff record you read (If-Match, or reload the page).")
        }
        guard expected == stored.version else { throw Self.stale }
        var person = try change.person(try await reachable(try await gate.authorise(.manageStaff, as: user)))
        person.id = id
        person.version = stored.version
        person.status = try await calculator.updates([person]).first?.status ?? PeopleStatus()
        return try await save([person], "change staff record", user).first!
    }

    func save(_ people: [StaffMember], _ action: String, _ user: ActingUser, after: String? = nil) async throws -> [StaffMember] {
        let summary = after ?? people.first.map { "\($0.staffNumber ?? "no staff number"), job role \($0.jobRole)" }
        do {
            return try await store.saveStaff(people, audit: gate.auditRecord(action, entityType: Self.entityType, entityID: people.first?.id ?? 0,
                                                                             after: summary, as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "The employer already holds that staff number; each person's number is unique within their employer.")
        } catch let error as StorageError where error.code == .conflict {
            throw people.count == 1 ? Self.stale : ServiceError.staffMoved
        }
    }

    static let stale = ServiceError(.staleVersion, "Someone else changed this staff record meanwhile. Reload it and make your change again.")
}

// MARK: Import from an HR extract

extension StaffService {
    public struct ImportOutcome: Sendable {
        public var added: Int
        public var updated: Int
    }

    /// Adds or updates every person in `data`, all or nothing; `ImportRejected` lists every problem by line.
    public func importCSV(_ data: Data, as user: ActingUser, progress: (@Sendable (Int) -> Void)? = nil) async throws -> ImportOutcome {
        let scope = try await gate.authorise(.manageStaff, as: user)
        let rows = try ImportRejected.records(data, maximumBytes: Self.maximumImportBytes)
        let organisations = try await reachable(scope)
        let existing = try await store.staffNumbers(organisationIDs: organisations.values.filter { [.trust, .site].contains($0.kind) }.map(\.id))
        let plan = StaffImport.plan(rows, context: StaffImport.Context(organisations: organisations, existing: existing))
        guard plan.problems.isEmpty else {
            throw ImportRejected(problems: plan.problems.map { ImportProblem(line: $0.line, message: $0.message) })
        }
        // A replaced person keeps their id and is written at the version read now.
        let stored = Dictionary(uniqueKeysWithValues: try await store.staffMembers(ids: plan.rows.compactMap(\.replacing)).map { ($0.id, $0) })
        var people = plan.rows.map { row -> StaffMember in
            var person = row.staff
            if let id = row.replacing, let old = stored[id] {
                person.id = id
                person.version = old.version
            }
            return person
        }
        let statuses = try await calculator.updates(people.filter { $0.id != 0 })
        let byID = Dictionary(uniqueKeysWithValues: statuses.map { ($0.staffID, $0.status) })
        let fresh = try await calculator.updates(people.filter { $0.id == 0 }, records: [:])
        var next = fresh.makeIterator()
        for i in people.indices {
            people[i].status = people[i].id == 0 ? (next.next()?.status ?? PeopleStatus()) : (byID[people[i].id] ?? PeopleStatus())
        }
        progress?(people.count)
        let summary = "{\"added\":\(plan.additions),\"updated\":\(plan.updates),\"file\":\"\(Secrets.sha256Hex([UInt8](data)))\"}"
        _ = try await save(people, "import staff", user, after: summary)
        return ImportOutcome(added: plan.additions, updated: plan.updates)
    }
}

extension StaffService {
    /// The codes of organisations the caller already holds by id (a person's employer and
    /// sites, a registration's positions), for an adapter to name them.
    public func codes(_ ids: Set<Int64>) async throws -> [Int64: String] {
        var codes: [Int64: String] = [:]
        for id in ids where id != 0 {
            if let found = try await store.organisation(id: id, scope: .national) { codes[id] = found.code }
        }
        return codes
    }
}
