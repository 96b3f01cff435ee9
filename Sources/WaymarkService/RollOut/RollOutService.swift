import Foundation
import WaymarkCore
import WaymarkStorage

/// Roll-out templates and roll-outs (issue 13). Templates are programme-wide, so adding a
/// version needs the national programme office. A roll-out needs `.manageOrganisations` over
/// the organisation it selects within (or over every listed site); it is previewed, then
/// applied as one audited batch whose plan must match the preview's fingerprint.
public struct RollOutService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore
    let organisations: OrganisationService
    let calendar = WorkingCalendar.england

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
        organisations = OrganisationService(programme: programme)
    }

    // MARK: Templates

    public func templates(as user: ActingUser) async throws -> [RollOutTemplate] {
        _ = try await gate.authorise(.viewRecords, as: user)
        return try await store.templates()
    }

    public func template(code: String, version: Int? = nil, as user: ActingUser) async throws -> RollOutTemplate {
        _ = try await gate.authorise(.viewRecords, as: user)
        guard let template = try await store.template(code: code.uppercased(), version: version) else {
            throw ServiceError(.notFound, "No roll-out template has the code '\(code.prefix(40))'\(version.map { " and version \($0)" } ?? "").")
        }
        return template
    }

    /// Adds a template, or the next version of one with the same code.
    public func saveTemplate(_ input: TemplateInput, as user: ActingUser) async throws -> RollOutTemplate {
        try await organisations.requireNational(as: user)
        let latest = try await store.template(code: input.code.trimmedWhitespace.uppercased(), version: nil)
        let template = try input.template(version: (latest?.version ?? 0) + 1)
        let errors = RollOutRules.check(template)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        if let latest, latest.productCode != template.productCode || latest.type != template.type {
            throw ValidationFailure([FieldError(field: "product", message:
                "\(latest.code) rolls out \(latest.productCode) as \(latest.type.rawValue.uppercased()) projects; a new version keeps both, so its projects can move to it.")])
        }
        do {
            return try await store.saveTemplate(template, audit: gate.auditRecord(
                "save roll-out template", entityType: "rollout_template", entityID: 0, after: "{\"code\":\"\(template.code)\",\"version\":\(template.version)}", as: user))
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "\(template.code) version \(template.version) was saved by someone else meanwhile.")
        }
    }

    // MARK: Roll-out

    public struct PlannedProject: Sendable, Hashable {
        public var siteCode: String
        public var projectCode: String
        public var wave: Int
        public var start: Day
        public var supplierID: Int64
    }

    public struct Preview: Sendable {
        public var template: RollOutTemplate
        public var projects: [PlannedProject]
        /// Per wave: how many sites, and the first and last start.
        public var waves: [(wave: Int, sites: Int, first: Day, last: Day)]
        public var fingerprint: String
        public var applied: Bool
    }

    public func preview(_ request: RollOutRequest, as user: ActingUser) async throws -> Preview {
        let (template, projects, starts) = try await plan(request, as: user)
        return Self.preview(template, projects, starts, applied: false)
    }

    /// Creates every planned project at once, if the plan still matches the preview's fingerprint.
    public func apply(_ request: RollOutRequest, expectedFingerprint: String?, as user: ActingUser) async throws -> Preview {
        let (template, projects, starts) = try await plan(request, as: user)
        let planned = Self.preview(template, projects, starts, applied: true)
        if let expectedFingerprint, expectedFingerprint != planned.fingerprint {
            throw ServiceError(.conflict, "The sites or their projects changed since the preview. Preview the roll-out again.")
        }
        let audit = gate.auditRecord("roll out", entityType: "rollout_template", entityID: template.id,
                                     after: "{\"template\":\"\(template.code)\",\"version\":\(template.version),\"projects\":\(projects.count)}", as: user)
        do {
            _ = try await store.applyRollOut(projects, starts: starts, template: template, appliedBy: user.name, at: gate.clock.timestamp, audit: audit)
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, error.message)
        }
        return planned
    }

    /// The template's deviation report, over the projects the actor may see.
    public func deviations(templateCode: String, as user: ActingUser) async throws -> (RollOutTemplate, RollOutDeviations) {
        let scope = try await gate.authorise(.viewRecords, as: user)
        let template = try await template(code: templateCode, as: user)
        return (template, try await store.deviations(templateCode: template.code, scope: scope, projectID: nil))
    }

    /// Where one project came from and how it departs from it; nil for a project made by hand.
    public struct ProjectTemplate: Sendable {
        public var template: RollOutTemplate
        public var wave: Int
        public var waveStart: Day
        public var report: RollOutDeviations
    }

    public func deviations(of project: ImplementationProject, as user: ActingUser) async throws -> ProjectTemplate? {
        let scope = try await gate.authorise(.viewRecords, as: user)
        guard let link = try await store.projectTemplate(projectID: project.id) else { return nil }
        return ProjectTemplate(template: link.template, wave: link.wave, waveStart: link.waveStart,
                               report: try await store.deviations(templateCode: link.template.code, scope: scope, projectID: project.id))
    }

    static func preview(_ template: RollOutTemplate, _ projects: [ImplementationProject], _ starts: [(wave: Int, start: Day)],
                        applied: Bool) -> Preview {
        var planned: [PlannedProject] = []
        planned.reserveCapacity(projects.count)
        var waves: [Int: (Int, Day, Day)] = [:]
        var fingerprint = "\(template.id)"
        for (project, slot) in zip(projects, starts) {
            let site = String(project.code.prefix(project.code.count - project.productCode.count - 1 - (project.release > 1 ? "-R\(project.release)".count : 0)))
            planned.append(PlannedProject(siteCode: site, projectCode: project.code, wave: slot.wave, start: slot.start, supplierID: project.supplierID ?? 0))
            let current = waves[slot.wave] ?? (0, slot.start, slot.start)
            waves[slot.wave] = (current.0 + 1, min(current.1, slot.start), max(current.2, slot.start))
            fingerprint += "|\(project.code)@\(slot.start.ordinal)#\(project.supplierID ?? 0)"
        }
        return Preview(template: template, projects: planned,
                       waves: waves.keys.sorted().map { (wave: $0, sites: waves[$0]!.0, first: waves[$0]!.1, last: waves[$0]!.2) },
                       fingerprint: OrganisationService.digest(fingerprint), applied: applied)
    }

    /// The template, the projects to create (in site order) and each one's wave and start.
    func plan(_ request: RollOutRequest, as user: ActingUser) async throws -> (RollOutTemplate, [ImplementationProject], [(wave: Int, start: Day)]) {
        let scope = try await gate.authorise(.manageOrganisations, as: user)
        let template = try await template(code: request.template, version: request.version, as: user)
        var errors = RollOutRules.check(template).map { FieldError(field: "template", message: $0.message) }
        errors += RollOutRules.check(request.waves, today: gate.clock.today)
        let all = try await store.organisationsByCode()
        let held = try await store.releasesHeld(productCode: template.productCode)
        var sites: [Organisation] = []
        if let codes = request.sites {
            for code in codes.map({ $0.trimmedWhitespace.uppercased() }).filter({ !$0.isEmpty }) {
                guard let site = all[code], scope.covers(site), site.kind == .site || site.kind == .trust else {
                    errors.append(FieldError(field: "sites", message: "\(code.prefix(12)) is not a site or trust you may roll out to."))
                    continue
                }
                if held[site.id]?.live == true {
                    errors.append(FieldError(field: "sites", message: "\(code) already has a live \(template.productCode) project."))
                }
                sites.append(site)
            }
        } else if let code = request.within {
            let within = try await gate.organisation(code: code, for: .manageOrganisations, as: user).0
            let subtype = request.subtype?.trimmedWhitespace.lowercased()
            sites = all.values.filter { o in
                o.kind == .site && !o.isClosed && (o.ancestry.id(at: within.kind) == within.id || within.kind == .national)
                    && (subtype.map { o.subtype?.lowercased() == $0 } ?? true) && held[o.id]?.live != true
            }.sorted { $0.code < $1.code }
        } else {
            errors.append(FieldError(field: "sites", message: "Choose the sites: an organisation to roll out within, or a list of site codes."))
        }
        if sites.isEmpty && errors.isEmpty {
            errors.append(FieldError(field: "sites", message: "No site matches: every site there already has a live \(template.productCode) project, or none is of that type."))
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }

        let national = try await store.national()?.id ?? 0
        let contracts = try await store.contracts(atAnyOf: nil, supplierID: nil).filter { $0.products.contains(template.productCode) }
        let starts = RollOutRules.schedule(sites: sites.count, waves: request.waves)
        var projects: [ImplementationProject] = []
        projects.reserveCapacity(sites.count)
        var unsupplied: [String] = []
        for (site, slot) in zip(sites, starts) {
            guard let supplier = SupplierContractRules.supplier(of: template.productCode, at: site.ancestry, nationalID: national,
                                                                on: slot.start, among: contracts) else {
                unsupplied.append(site.code)
                continue
            }
            projects.append(.new(id: 0, organisation: site, productCode: template.productCode, type: template.type, supplierID: supplier,
                                 baselines: template.baselines(from: slot.start, calendar: calendar), release: (held[site.id]?.release ?? 0) + 1))
        }
        if !unsupplied.isEmpty {
            throw ValidationFailure([FieldError(field: "sites", message:
                "No supplier is contracted for \(template.productCode) at \(unsupplied.count) site\(unsupplied.count == 1 ? "" : "s") on their start day: \(unsupplied.prefix(10).joined(separator: ", "))\(unsupplied.count > 10 ? "…" : "").")])
        }
        return (template, projects, starts)
    }
}
