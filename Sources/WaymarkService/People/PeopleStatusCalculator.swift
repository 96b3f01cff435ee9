import WaymarkCore
import WaymarkStorage

/// Works out people's statuses from their records, once, for every write that changes them.
/// A write applies its change to the records in memory first, so the status it stores is the
/// status after the change, and it is guarded by the version the records were read at.
struct PeopleStatusCalculator: Sendable {
    let store: any WaymarkStore
    let today: Day

    /// The courses the TNA requires of `positions` for `products`.
    func required(_ positions: [AccessPosition], products: [String]) async throws -> Set<String> {
        let needs = try await store.applicableNeeds(organisationIDs: positions.map(\.organisationID))
        return Proficiency.required(positions: positions, products: products,
                                    needs: needs.map { ($0.organisationID, $0.productCode, $0.jobRole, $0.courseCode) })
    }

    func courses() async throws -> [String: Course] {
        Dictionary(uniqueKeysWithValues: try await store.courses().map { ($0.code, $0) })
    }

    /// The records of `people`, with `change` applied.
    func records(_ people: [StaffMember], change: (inout [Int64: PersonRecords]) -> Void = { _ in }) async throws -> [Int64: PersonRecords] {
        var records = try await store.personRecords(staffIDs: people.map(\.id))
        change(&records)
        return records
    }

    /// Each person's status from `records`, as updates guarded by the version they were read at.
    /// `replacing` puts a project's new TNA in place of its stored one.
    func updates(_ people: [StaffMember], records: [Int64: PersonRecords],
                 replacing: (project: ImplementationProject, needs: [TrainingNeed])? = nil) async throws -> [StatusUpdate] {
        let courses = try await courses()
        var allPlaces = Set<Int64>()
        let placed = people.map { person in
            let (positions, products) = Proficiency.positions(person, records[person.id]?.registration)
            allPlaces.formUnion(positions.map(\.organisationID))
            return (person, positions, products)
        }
        var applicable = try await store.applicableNeeds(organisationIDs: Array(allPlaces))
        if let (project, needs) = replacing {
            applicable.removeAll { $0.projectID == project.id }
            applicable += needs.map { ApplicableNeed(projectID: project.id, organisationID: project.organisationID, productCode: project.productCode,
                                                     jobRole: $0.jobRole, courseCode: $0.courseCode) }
        }
        let needs = applicable.map { ($0.organisationID, $0.productCode, $0.jobRole, $0.courseCode) }
        return placed.map { person, positions, products in
            let record = records[person.id] ?? PersonRecords()
            let required = Proficiency.required(positions: positions, products: products, needs: needs)
            let status = PeopleStatus.of(registration: record.registration, activeCard: record.hasActiveCard, required: required,
                                         results: record.results, attended: record.attended, courses: courses, today: today)
            return StatusUpdate(staffID: person.id, siteID: person.mainSiteID, expectedVersion: person.version, status: status)
        }
    }

    /// As above, reading the records and applying `change`.
    func updates(_ people: [StaffMember], change: (inout [Int64: PersonRecords]) -> Void = { _ in }) async throws -> [StatusUpdate] {
        try await updates(people, records: try await records(people, change: change))
    }
}

extension ServiceError {
    static func unknownStaff(_ id: Int64) -> ServiceError {
        ServiceError(.notFound, "There is no staff record \(id) that you can see.")
    }

    /// A person's records changed while a write was being made.
    static let staffMoved = ServiceError(.conflict, "Someone else changed this person's records meanwhile. Reload and make your change again.")
}
