import WaymarkCore
import WaymarkStorage

/// The people side of readiness, rolled up (issue 15, part 5): the registration and training
/// funnel at every level and by supplier, the RA's lead times and kit, and the forecast of
/// sites that will not have enough proficient, registered users by their Go-Live baseline.
public struct PeopleReadinessService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        self.gate = programme.gate
        self.store = programme.store
    }

    public struct Overview: Sendable {
        public var organisation: Organisation
        public var funnel: PeopleFunnel
        public var children: [(organisation: Organisation, funnel: PeopleFunnel)]
        /// Per RA within the organisation: median and 90th percentile days, application to access.
        public var leadTimes: [(ra: Organisation, median: Int, p90: Int, count: Int)]
    }

    public func overview(organisationCode: String?, as user: ActingUser) async throws -> Overview {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        var byRA: [Int64: [(days: Int, count: Int)]] = [:]
        for entry in try await store.leadTimes(within: organisation, scope: scope) { byRA[entry.raOrganisationID, default: []].append((entry.days, entry.count)) }
        var leadTimes: [(ra: Organisation, median: Int, p90: Int, count: Int)] = []
        for (id, histogram) in byRA {
            guard let ra = try await store.organisation(id: id, scope: .national), let stats = RegistrationRules.leadTimes(histogram) else { continue }
            leadTimes.append((ra, stats.median, stats.p90, stats.count))
        }
        return Overview(organisation: organisation, funnel: try await store.peopleFunnel(within: organisation, scope: scope),
                        children: try await store.peopleFunnelByChild(of: organisation, scope: scope),
                        leadTimes: leadTimes.sorted { $0.ra.name < $1.ra.name })
    }

    /// The funnel alone: what the project page, the ORR and the API read.
    public func funnel(organisationCode: String?, as user: ActingUser) async throws -> (Organisation, PeopleFunnel) {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        return (organisation, try await store.peopleFunnel(within: organisation, scope: scope))
    }

    /// Every site within the organisation with a Go-Live still to come, and whether it will be
    /// ready at the last four weeks' pace; those that will not come first.
    public func forecast(organisationCode: String?, as user: ActingUser) async throws -> (Organisation, [PeopleForecast.Outcome]) {
        let (organisation, scope) = try await gate.organisation(code: organisationCode, as: user)
        let today = gate.clock.today
        let sites = try await store.peopleForecastSites(within: organisation, scope: scope, today: today,
                                                        since: today.adding(days: -PeopleForecast.paceDays))
        let outcomes = sites.map { PeopleForecast.outcome($0, today: today) }
        return (organisation, outcomes.filter { !$0.willBeReady } + outcomes.filter(\.willBeReady))
    }

    public func equipment(organisationCode: String, as user: ActingUser) async throws -> (Organisation, RAEquipment?) {
        let (organisation, _) = try await gate.organisation(code: organisationCode, as: user)
        return (organisation, try await store.raEquipment(organisationIDs: [organisation.id])[organisation.id])
    }

    /// Records a site's RA hardware kits and Identity Agent installs.
    public func saveEquipment(organisationCode: String, kits: Int, identityAgents: Int, expectedVersion: Int?, as user: ActingUser) async throws -> RAEquipment {
        let (organisation, _) = try await gate.organisation(code: organisationCode, for: .registerUsers, as: user)
        var errors: [FieldError] = []
        if !(0...10_000).contains(kits) { errors.append(FieldError(field: "kits", message: "Give the number of RA kits, 0 to 10,000.")) }
        if !(0...100_000).contains(identityAgents) { errors.append(FieldError(field: "identityAgents", message: "Give the number of Identity Agent installs, 0 to 100,000.")) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let stored = try await store.raEquipment(organisationIDs: [organisation.id])[organisation.id]
        if let stored, expectedVersion != stored.version {
            throw expectedVersion == nil ? ServiceError.versionRequired("Say which version of the RA kit counts you read.")
                : ServiceError(.staleVersion, "Someone else changed the kit counts meanwhile. Reload and try again.")
        }
        do {
            return try await store.saveRAEquipment(RAEquipment(organisationID: organisation.id, kits: kits, identityAgents: identityAgents),
                                                   expectedVersion: stored?.version, audit: gate.auditRecord(
                "record RA equipment", entityType: "organisation", entityID: organisation.id, after: "kits \(kits), identity agents \(identityAgents)", as: user))
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "Someone else changed the kit counts meanwhile. Reload and try again.")
        }
    }
}
