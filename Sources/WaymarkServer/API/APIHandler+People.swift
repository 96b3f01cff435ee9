import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Staff, RA registrations and smartcards over the API (issue 15). Staff records and
/// registrations carry their versions as ETags; each step is sent with If-Match.
extension APIHandler {
    var staffService: StaffService { StaffService(programme: service) }
    var registrationService: RegistrationService { RegistrationService(programme: service) }
    var peopleService: PeopleReadinessService { PeopleReadinessService(programme: service) }

    func getPeopleReadiness(_ input: Operations.getPeopleReadiness.Input) async throws -> Operations.getPeopleReadiness.Output {
        let o = try await peopleService.overview(organisationCode: input.path.code, as: user)
        return .ok(.init(body: .json(.init(
            organisation: o.organisation.code, name: o.organisation.name, funnel: Self.funnel(o.funnel), summary: o.funnel.summary,
            children: o.children.map { .init(organisation: $0.organisation.code, name: $0.organisation.name, funnel: Self.funnel($0.funnel)) },
            leadTimes: o.leadTimes.map { .init(ra: $0.ra.code, name: $0.ra.name, medianDays: $0.median, p90Days: $0.p90, registrations: $0.count) }))))
    }

    func getPeopleForecast(_ input: Operations.getPeopleForecast.Input) async throws -> Operations.getPeopleForecast.Output {
        let (organisation, outcomes) = try await peopleService.forecast(organisationCode: input.path.code, as: user)
        let codes = try await staffService.codes(Set(outcomes.map(\.site.organisationID)))
        return .ok(.init(body: .json(.init(
            organisation: organisation.code, today: peopleService.gate.clock.today.iso, targetPercent: PeopleForecast.targetPercent,
            paceDays: PeopleForecast.paceDays, sites: outcomes.map { o in
                .init(site: codes[o.site.organisationID] ?? "", name: o.site.siteName, projects: o.site.projectCodes, goLiveBaseline: o.site.goLiveBaseline.iso,
                      needing: o.site.needing, ready: o.site.ready, readyLastFourWeeks: o.site.recent, forecast: o.forecast, needed: o.site.target,
                      shortfall: o.shortfall, willBeReady: o.willBeReady)
            }))))
    }

    func getRAEquipment(_ input: Operations.getRAEquipment.Input) async throws -> Operations.getRAEquipment.Output {
        let (organisation, equipment) = try await peopleService.equipment(organisationCode: input.path.code, as: user)
        let version = equipment?.version ?? 0
        return .ok(.init(headers: .init(ETag: Self.etag(version)), body: .json(.init(
            organisation: organisation.code, kits: equipment?.kits ?? 0, identityAgents: equipment?.identityAgents ?? 0, version: version))))
    }

    func putRAEquipment(_ input: Operations.putRAEquipment.Input) async throws -> Operations.putRAEquipment.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the counts as JSON.") }
        let saved = try await peopleService.saveEquipment(organisationCode: input.path.code, kits: body.kits, identityAgents: body.identityAgents,
                                                          expectedVersion: try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the kit counts") },
                                                          as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(saved.version)), body: .json(.init(
            organisation: input.path.code.uppercased(), kits: saved.kits, identityAgents: saved.identityAgents, version: saved.version))))
    }

    func listStaff(_ input: Operations.listStaff.Input) async throws -> Operations.listStaff.Output {
        let (_, page) = try await staffService.list(organisationCode: input.path.code, text: input.query.q, jobRole: nil, after: input.query.after,
                                                    limit: input.query.limit ?? 50, as: user)
        let codes = try await staffService.codes(Set(page.items.flatMap { [$0.organisationID] + $0.siteIDs }))
        return .ok(.init(body: .json(.init(items: page.items.map { Self.staff($0, codes) }, nextCursor: page.nextCursor))))
    }

    func createStaff(_ input: Operations.createStaff.Input) async throws -> Operations.createStaff.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the staff record as JSON.") }
        let person = try await staffService.add(Self.change(body, version: nil), as: user)
        let codes = try await staffService.codes(Set([person.organisationID] + person.siteIDs))
        return .created(.init(headers: .init(ETag: Self.etag(person.version)), body: .json(Self.staff(person, codes))))
    }

    func importStaff(_ input: Operations.importStaff.Input) async throws -> Operations.importStaff.Output {
        guard case .csv(let body) = input.body else { throw ServiceError(.badRequest, "Send the file as text/csv.") }
        let outcome = try await staffService.importCSV(try await Data(collecting: body, upTo: StaffService.maximumImportBytes), as: user)
        return .ok(.init(body: .json(.init(added: outcome.added, updated: outcome.updated))))
    }

    func getStaff(_ input: Operations.getStaff.Input) async throws -> Operations.getStaff.Output {
        let view = try await staffService.person(id: input.path.id, as: user)
        let r = view.records.registration
        let codes = try await staffService.codes(Set([view.person.organisationID] + view.person.siteIDs + (r.map { [$0.raOrganisationID] + $0.positions.map(\.organisationID) } ?? [])))
        return .ok(.init(headers: .init(ETag: Self.etag(view.person.version)), body: .json(.init(
            staff: Self.staff(view.person, codes), registration: r.map { Self.registration($0, codes) }, required: view.required, missing: view.missing,
            smartcards: view.records.cards.map(Self.card),
            results: view.records.results.map { .init(course: $0.courseCode, passed: $0.passed, on: $0.on.iso, source: $0.source == .lms ? .lms : .session) },
            qualifications: view.qualifications.map { .init(course: $0.courseCode, qualifiedOn: $0.qualifiedOn.iso) }))))
    }

    func updateStaff(_ input: Operations.updateStaff.Input) async throws -> Operations.updateStaff.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the staff record as JSON.") }
        let version = try input.headers.If_hyphen_Match.map { try Self.ifMatch($0, of: "the staff record") }
        let person = try await staffService.update(id: input.path.id, Self.change(body, version: version), as: user)
        let codes = try await staffService.codes(Set([person.organisationID] + person.siteIDs))
        return .ok(.init(headers: .init(ETag: Self.etag(person.version)), body: .json(Self.staff(person, codes))))
    }

    func getRegistration(_ input: Operations.getRegistration.Input) async throws -> Operations.getRegistration.Output {
        let view = try await staffService.person(id: input.path.id, as: user)
        guard let r = view.records.registration else { throw ServiceError(.notFound, "\(view.person.name) has not applied for registration yet.") }
        let a = try await registrationAnswer(r)
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func applyRegistration(_ input: Operations.applyRegistration.Input) async throws -> Operations.applyRegistration.Output {
        let a = try await registrationAnswer(try await registrationService.apply(staffID: input.path.id, as: user))
        return .created(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func checkRegistrationIdentity(_ input: Operations.checkRegistrationIdentity.Input) async throws -> Operations.checkRegistrationIdentity.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the documents as JSON.") }
        let a = try await registrationAnswer(try await registrationService.checkIdentity(
            staffID: input.path.id, documents: body.documents.map(\.rawValue), expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func approveRegistration(_ input: Operations.approveRegistration.Input) async throws -> Operations.approveRegistration.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the access profile as JSON.") }
        let a = try await registrationAnswer(try await registrationService.approve(
            staffID: input.path.id, positions: body.positions.map { .init(jobRole: $0.jobRole, organisation: $0.organisation, workgroup: $0.workgroup) },
            products: body.products ?? [], expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func issueRegistrationSmartcard(_ input: Operations.issueRegistrationSmartcard.Input) async throws -> Operations.issueRegistrationSmartcard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the UUID as JSON.") }
        let a = try await registrationAnswer(try await registrationService.issueCard(
            staffID: input.path.id, uuid: body.uuid, expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func grantRegistration(_ input: Operations.grantRegistration.Input) async throws -> Operations.grantRegistration.Output {
        var reason: String?
        if case .json(let body) = input.body { reason = body.overrideReason }
        let a = try await registrationAnswer(try await registrationService.grant(
            staffID: input.path.id, overrideReason: reason, expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func changeSmartcard(_ input: Operations.changeSmartcard.Input) async throws -> Operations.changeSmartcard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the action as JSON.") }
        let a = try await registrationAnswer(try await registrationService.changeCard(
            staffID: input.path.id, uuid: input.path.uuid, action: body.action.rawValue,
            expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    func renewSmartcard(_ input: Operations.renewSmartcard.Input) async throws -> Operations.renewSmartcard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the new UUID as JSON.") }
        let a = try await registrationAnswer(try await registrationService.renewCard(
            staffID: input.path.id, uuid: input.path.uuid, newUUID: body.newUUID,
            expectedVersion: try Self.registrationVersion(input.headers.If_hyphen_Match), as: user))
        return .ok(.init(headers: .init(ETag: a.etag), body: .json(a.body)))
    }

    static func registrationVersion(_ header: String?) throws -> Int? {
        try header.map { try ifMatch($0, of: "the registration") }
    }

    /// The registration as JSON, with its ETag.
    func registrationAnswer(_ r: Registration) async throws -> (etag: String, body: Components.Schemas.Registration) {
        let codes = try await staffService.codes(Set([r.raOrganisationID] + r.positions.map(\.organisationID)))
        return (Self.etag(r.version), Self.registration(r, codes))
    }

    static func change(_ body: Components.Schemas.StaffInput, version: Int?) -> StaffChange {
        StaffChange(name: body.name, staffNumber: body.staffNumber, organisation: body.organisation, jobRole: body.jobRole, site: body.site,
                    otherSites: body.otherSites ?? [], waymarkUser: body.waymarkUser, expectedVersion: version)
    }

    static func funnel(_ f: PeopleFunnel) -> Components.Schemas.PeopleFunnel {
        .init(needing: f.needing, registered: f.registered, cardIssued: f.cardIssued, trained: f.trained, proficient: f.proficient, granted: f.granted,
              overridden: f.overridden, refresherDue: f.refresherDue)
    }

    static func staff(_ s: StaffMember, _ codes: [Int64: String]) -> Components.Schemas.Staff {
        let st = s.status
        return .init(id: s.id, staffNumber: s.staffNumber, name: s.name, organisation: codes[s.organisationID] ?? "", jobRole: s.jobRole,
                     sites: s.siteIDs.map { codes[$0] ?? "" }, waymarkUser: s.waymarkUser, version: s.version,
                     status: .init(needsAccess: st.needsAccess, registered: st.registered, cardIssued: st.cardIssued, trained: st.trained, proficient: st.proficient,
                                   granted: st.granted, overridden: st.overridden, refresherDue: st.refresherDue, readyOn: st.readyOn?.iso))
    }

    static func registration(_ r: Registration, _ codes: [Int64: String]) -> Components.Schemas.Registration {
        .init(id: r.id, staff: r.staffID, ra: codes[r.raOrganisationID] ?? "", status: .init(rawValue: r.status.rawValue) ?? .applied, appliedOn: r.appliedOn.iso,
              appliedBy: r.appliedBy, identityDocuments: r.identityDocuments.map(\.rawValue), identityCheckedBy: r.identityCheckedBy,
              identityCheckedOn: r.identityCheckedOn?.iso,
              positions: r.positions.map { .init(jobRole: $0.jobRole, organisation: codes[$0.organisationID] ?? "", workgroup: $0.workgroup) },
              products: r.products, approvedBy: r.approvedBy, approvedOn: r.approvedOn?.iso, grantedBy: r.grantedBy, grantedOn: r.grantedOn?.iso,
              leadDays: r.leadDays, overrideReason: r.overrideReason, version: r.version)
    }

    static func card(_ c: Smartcard) -> Components.Schemas.Smartcard {
        .init(uuid: c.uuid, issuedOn: c.issuedOn.iso, status: .init(rawValue: c.status.rawValue) ?? .cancelled, statusOn: c.statusOn.iso, replaces: c.replaces)
    }
}
