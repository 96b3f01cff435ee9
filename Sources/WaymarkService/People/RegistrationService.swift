import Foundation
import WaymarkCore
import WaymarkStorage

/// The local Registration Authority (§6.4.3, issue 15): a person's registration from
/// application to access, their smartcards, and the RA's kit. Each person has one
/// registration, addressed by their staff id; every step is dated, audited and guarded by the
/// registration's version. Granting access checks proficiency first (§4.5.2).
public struct RegistrationService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.gate = programme.gate
        self.store = programme.store
    }

    static let entityType = "registration"
    var today: Day { gate.clock.today }
    var staff: StaffService { StaffService(gate: gate, store: store) }
    var calculator: PeopleStatusCalculator { PeopleStatusCalculator(store: store, today: today) }

    /// A position as sent: the job role, the organisation's code and the workgroup.
    public struct PositionInput: Sendable, Hashable {
        public var jobRole: String
        public var organisation: String
        public var workgroup: String
        public init(jobRole: String, organisation: String, workgroup: String) {
            self.jobRole = jobRole
            self.organisation = organisation
            self.workgroup = workgroup
        }
    }

    /// Starts the person's registration at their employer's RA.
    public func apply(staffID: Int64, as user: ActingUser) async throws -> Registration {
        let person = try await staff.found(staffID, for: .registerUsers, as: user)
        if let open = try await store.registration(staffID: staffID), open.status != .granted {
            throw ServiceError(.conflict, "\(person.name) already has a registration in progress; take it on from its current step.")
        }
        guard let employer = try await store.organisation(id: person.organisationID, scope: .national) else { throw ServiceError.unknownStaff(staffID) }
        let registration = Registration(staffID: staffID, raOrganisationID: employer.ancestry.trustID ?? employer.id, appliedOn: today, appliedBy: user.name)
        return try await save(registration, expectedVersion: nil, person: person, cards: [], "apply for registration", user)
    }

    /// Records the kinds of identity document an RA agent saw (never their numbers).
    public func checkIdentity(staffID: Int64, documents: [String], expectedVersion: Int?, as user: ActingUser) async throws -> Registration {
        var (person, registration) = try await current(staffID, expectedVersion, for: .registerUsers, step: .identityChecked, as: user)
        var kinds: [IdentityDocument] = []
        for raw in documents {
            guard let kind = IdentityDocument(rawValue: raw.trimmedWhitespace.lowercased()) else {
                throw ValidationFailure([FieldError(field: "documents", message: "Unknown document '\(raw.prefix(30))'. Choose from: "
                                                    + IdentityDocument.allCases.map(\.rawValue).joined(separator: ", ") + ".")])
            }
            kinds.append(kind)
        }
        if let refusal = RegistrationRules.identityRefusal(kinds) { throw ValidationFailure([FieldError(field: "documents", message: refusal)]) }
        registration.identityDocuments = kinds
        registration.identityCheckedBy = user.name
        registration.identityCheckedOn = today
        registration.status = .identityChecked
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [], "check identity", user)
    }

    /// The sponsor approves an access profile: positions at the person's employer or sites.
    public func approve(staffID: Int64, positions inputs: [PositionInput], products: [String], expectedVersion: Int?,
                        as user: ActingUser) async throws -> Registration {
        var (person, registration) = try await current(staffID, expectedVersion, for: .sponsorAccess, step: .approved, as: user)
        if let own = person.waymarkUser, own == user.name.lowercased() {
            throw ServiceError(.refused, "A sponsor cannot approve their own access. Ask another sponsor to approve \(person.name)'s profile.")
        }
        let catalogue = RBACCatalogue.latest
        var errors: [FieldError] = []
        var positions: [AccessPosition] = []
        if inputs.isEmpty { errors.append(FieldError(field: "positions", message: "Approve at least one position.")) }
        for (i, input) in inputs.prefix(20).enumerated() {
            let role = catalogue.jobRole(input.jobRole)
            let workgroup = catalogue.workgroup(input.workgroup)
            let place = try await store.organisation(code: input.organisation.trimmedWhitespace.uppercased(), scope: .national)
            if role == nil { errors.append(FieldError(field: "positions[\(i)].jobRole", message: StaffRules.jobRoleRule(catalogue))) }
            if workgroup == nil {
                errors.append(FieldError(field: "positions[\(i)].workgroup", message: "Choose a workgroup: " + catalogue.workgroups.map(\.code).joined(separator: ", ") + "."))
            }
            if place == nil || !([person.organisationID] + person.siteIDs).contains(place!.id) {
                errors.append(FieldError(field: "positions[\(i)].organisation", message: "A position is at \(person.name)'s employer or a site they work at."))
            }
            if let role, let workgroup, let place { positions.append(AccessPosition(jobRole: role.code, organisationID: place.id, workgroup: workgroup.code)) }
        }
        let wanted = products.map { $0.trimmedWhitespace.uppercased() }.filter { !$0.isEmpty }
        if let unknown = wanted.first(where: { ProductCatalogue.product(code: $0) == nil }) {
            errors.append(FieldError(field: "products", message: "Unknown product '\(unknown.prefix(20))'."))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        registration.positions = positions
        registration.products = Array(Set(wanted)).sorted()
        registration.catalogueVersion = catalogue.number
        registration.approvedBy = user.name
        registration.approvedOn = today
        registration.status = .approved
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [], "approve access profile", user)
    }

    /// Issues the person's smartcard.
    public func issueCard(staffID: Int64, uuid raw: String, expectedVersion: Int?, as user: ActingUser) async throws -> Registration {
        var (person, registration) = try await current(staffID, expectedVersion, for: .registerUsers, step: .cardIssued, as: user)
        guard let uuid = RegistrationRules.uuid(raw) else { throw ValidationFailure([FieldError(field: "uuid", message: RegistrationRules.uuidRule)]) }
        registration.status = .cardIssued
        let card = Smartcard(uuid: uuid, staffID: staffID, registrationID: registration.id, issuedOn: today)
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [card], "issue smartcard", user, detail: uuid)
    }

    /// Grants access once the person has passed every course the TNA requires of their
    /// profile; otherwise refused, naming the missing courses, unless an RA manager overrides
    /// with a reason.
    public func grant(staffID: Int64, overrideReason: String?, expectedVersion: Int?, as user: ActingUser) async throws -> Registration {
        var (person, registration) = try await current(staffID, expectedVersion, for: .registerUsers, step: .granted, as: user)
        let records = try await store.personRecords(staffIDs: [staffID])[staffID] ?? PersonRecords()
        let required = try await calculator.required(registration.positions, products: registration.products)
        let courses = try await calculator.courses()
        let missing = Proficiency.missing(required, results: records.results, courses: courses, today: today)
        let reason = overrideReason.map(\.trimmedWhitespace).flatMap { $0.isEmpty ? nil : $0 }
        if !missing.isEmpty {
            guard let reason else { throw ServiceError(.refused, Proficiency.refusal(person: person.name, missing: missing, courses: courses)) }
            guard user.permits(.overrideProficiency) else {
                throw ServiceError(.forbidden, "Only an RA manager can grant access without proficiency. " + Proficiency.refusal(person: person.name, missing: missing, courses: courses))
            }
            guard let valid = RegistrationRules.overrideReason(reason) else {
                throw ValidationFailure([FieldError(field: "overrideReason", message: RegistrationRules.overrideReasonRule)])
            }
            registration.overrideReason = valid
        }
        registration.grantedBy = user.name
        registration.grantedOn = today
        registration.status = .granted
        let detail = registration.overrideReason.map { "override without \(missing.joined(separator: ", ")): \($0)" }
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [], "grant access", user, detail: detail, records: records)
    }

    /// Suspends, reinstates, reports lost or cancels one of the person's smartcards.
    public func changeCard(staffID: Int64, uuid: String, action raw: String, expectedVersion: Int?, as user: ActingUser) async throws -> Registration {
        let (person, registration) = try await current(staffID, expectedVersion, for: .registerUsers, step: nil, as: user)
        guard let action = SmartcardAction(rawValue: raw) else {
            throw ValidationFailure([FieldError(field: "action", message: "Choose one of: " + SmartcardAction.allCases.map(\.rawValue).joined(separator: ", ") + ".")])
        }
        var card = try await card(uuid, of: person)
        switch RegistrationRules.apply(action, to: card) {
        case .failure(let refusal): throw ServiceError(.refused, refusal.message)
        case .success(let status):
            card.status = status
            card.statusOn = today
        }
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [card], "smartcard \(action.rawValue)", user, detail: card.uuid)
    }

    /// Replaces a card with a new one: the old is marked renewed, the new is active.
    public func renewCard(staffID: Int64, uuid: String, newUUID raw: String, expectedVersion: Int?, as user: ActingUser) async throws -> Registration {
        let (person, registration) = try await current(staffID, expectedVersion, for: .registerUsers, step: nil, as: user)
        var old = try await card(uuid, of: person)
        if let refusal = RegistrationRules.renewRefusal(old) { throw ServiceError(.refused, refusal) }
        guard let newUUID = RegistrationRules.uuid(raw) else { throw ValidationFailure([FieldError(field: "newUUID", message: RegistrationRules.uuidRule)]) }
        old.status = .renewed
        old.statusOn = today
        let fresh = Smartcard(uuid: newUUID, staffID: staffID, registrationID: registration.id, issuedOn: today, replaces: old.uuid)
        return try await save(registration, expectedVersion: expectedVersion, person: person, cards: [old, fresh], "renew smartcard", user,
                              detail: "\(old.uuid) -> \(newUUID)")
    }

    func card(_ uuid: String, of person: StaffMember) async throws -> Smartcard {
        guard let card = try await store.smartcard(uuid: uuid), card.staffID == person.id else {
            throw ServiceError(.notFound, "\(person.name) has no smartcard \(uuid.prefix(14)).")
        }
        return card
    }

    /// The person and their registration, checked for `activity`, the version and the step's order.
    func current(_ staffID: Int64, _ expectedVersion: Int?, for activity: Activity, step: Registration.Status?,
                 as user: ActingUser) async throws -> (StaffMember, Registration) {
        let person = try await staff.found(staffID, for: activity, as: user)
        guard let registration = try await store.registration(staffID: staffID) else {
            throw ServiceError(.notFound, "\(person.name) has not applied for registration yet.")
        }
        guard let expectedVersion else { throw ServiceError.versionRequired("Say which version of the registration you read (If-Match, or reload the page).") }
        guard expectedVersion == registration.version else { throw Self.stale }
        if let step, let refusal = RegistrationRules.orderRefusal(registration, to: step) { throw ServiceError(.refused, refusal) }
        if step == nil && registration.status < .cardIssued { throw ServiceError(.refused, "\(person.name) has no smartcard yet.") }
        return (person, registration)
    }

    /// `records` are the person's, when the caller has read them already (granting does).
    func save(_ registration: Registration, expectedVersion: Int?, person: StaffMember, cards: [Smartcard], _ action: String,
              _ user: ActingUser, detail: String? = nil, records read: PersonRecords? = nil) async throws -> Registration {
        var records: [Int64: PersonRecords]
        if let read { records = [person.id: read] } else { records = try await calculator.records([person]) }
        records[person.id, default: PersonRecords()].registration = registration
        for card in cards {
            records[person.id]?.cards.removeAll { $0.uuid == card.uuid }
            records[person.id]?.cards.append(card)
        }
        let status = try await calculator.updates([person], records: records)[0]
        do {
            return try await store.saveRegistration(registration, expectedVersion: expectedVersion, cards: cards, status: status, audit: gate.auditRecord(
                action, entityType: Self.entityType, entityID: registration.id,
                after: "staff \(person.id): \(registration.status.rawValue)" + (detail.map { "; \($0)" } ?? ""), as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "That smartcard UUID belongs to another card.")
        } catch let error as StorageError where error.code == .conflict {
            throw Self.stale
        }
    }

    static let stale = ServiceError(.staleVersion, "Someone else changed this registration or the person's records meanwhile. Reload and try again.")
}
