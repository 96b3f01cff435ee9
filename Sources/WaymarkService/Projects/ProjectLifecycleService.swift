import Foundation
import WaymarkCore
import WaymarkStorage

/// Creating one project by hand, a later release, closing at stage 5 and cancelling (issue 13).
/// The programme office creates and cancels (`.manageOrganisations` over the organisation);
/// whoever records the project's milestones closes it. Each change is audited in its own
/// transaction; nothing is deleted.
public struct ProjectLifecycleService: Sendable {
    public let gate: AccessGate
    let store: any WaymarkStore

    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    public func create(_ input: NewProject, as user: ActingUser) async throws -> ImplementationProject {
        let organisation = try await gate.organisation(code: input.organisation, for: .manageOrganisations, as: user).0
        let (product, code, type, baselines) = try input.parsed()
        var errors = ProjectLifecycleRules.check(organisation: organisation, product: product, productCode: code, type: type, baselines: baselines)
        guard errors.isEmpty, let product else { throw ValidationFailure(errors) }
        let release = try ProjectLifecycleRules.nextRelease(after: try await store.releases(organisationID: organisation.id, productCode: code)).get()
        let supplier = try await supplier(of: product, at: organisation)
        if supplier == nil {
            errors.append(FieldError(field: "product", message: "No supplier is contracted to deliver \(product.name) at \(organisation.code) today; add a supplier contract first."))
            throw ValidationFailure(errors)
        }
        let project = ImplementationProject.new(id: 0, organisation: organisation, productCode: code, type: type, supplierID: supplier,
                                                baselines: baselines, release: release)
        let audit = gate.auditRecord("create project", entityType: "project", entityID: 0,
                                     after: "{\"code\":\"\(project.code)\",\"release\":\(release)}", as: user)
        do {
            var saved = try await store.createProjects([project], audit: audit)[0]
            saved.version = 1
            return saved
        } catch let error as StorageError where error.code == .duplicate {
            throw ServiceError(.conflict, "\(project.code) already exists.")
        }
    }

    /// The supplier whose contract covers the product at the organisation today.
    func supplier(of product: Product, at organisation: Organisation) async throws -> Int64? {
        let national = try await store.national()?.id ?? 0
        let contracts = try await store.contracts(atAnyOf: organisation.ancestry.ids + [national], supplierID: nil)
        return SupplierContractRules.supplier(of: product.code, at: organisation.ancestry, nationalID: national, on: gate.clock.today,
                                              among: contracts)
    }

    /// Closes a project at stage 5, once every milestone is achieved.
    public func close(code: String, expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        let project = try await gate.project(code: code, for: .recordMilestones, as: user).0.project
        let expected = try Self.expect(expectedVersion, project)
        if let refusal = ProjectLifecycleRules.closeRefusal(project) { throw ServiceError(.conflict, refusal) }
        var closed = project
        closed.state = .closed
        closed.stateOn = gate.clock.today
        return try await save(closed, expected: expected, action: "close project", as: user)
    }

    /// Cancels a live project with a reason. A project on an agreed DIP is cancelled only
    /// through an approved Change Control Note that names it (`ccn` is its id).
    public func cancel(code: String, reason: String, ccn: Int64?, expectedVersion: Int?, as user: ActingUser) async throws -> ImplementationProject {
        let project = try await gate.project(code: code, for: .manageOrganisations, as: user).0.project
        let expected = try Self.expect(expectedVersion, project)
        guard project.isLive else { throw ServiceError(.conflict, "\(project.code) is already \(project.state.title.lowercased()).") }
        var errors: [FieldError] = []
        let reason = reason.trimmedWhitespace
        if reason.isEmpty || reason.count > 2000 { errors.append(FieldError(field: "reason", message: "Say why the project is cancelled (at most 2,000 characters).")) }
        if try await store.isInAgreedDIP(projectID: project.id) {
            if let ccn, try await store.changeApproved(ccnID: ccn, naming: project.id) {} else {
                errors.append(FieldError(field: "ccn", message: "\(project.code) is on an agreed DIP, so it is cancelled only through an approved Change Control Note that names it. Give that note's number."))
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        var cancelled = project
        cancelled.state = .cancelled
        cancelled.stateOn = gate.clock.today
        cancelled.stateReason = reason
        return try await save(cancelled, expected: expected, action: "cancel project", as: user)
    }

    func save(_ project: ImplementationProject, expected: Int, action: String, as user: ActingUser) async throws -> ImplementationProject {
        let audit = gate.auditRecord(action, entityType: "project", entityID: project.id, before: "{\"state\":\"live\"}",
                                     after: Self.stateJSON(project), as: user)
        do {
            return try await store.setProjectState(project, expectedVersion: expected, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError.stale("\(project.code) was changed by someone else since you opened it. Reload it and try again.")
        }
    }

    static func stateJSON(_ p: ImplementationProject) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let value = ["state": p.state.rawValue, "on": p.stateOn?.iso ?? "", "reason": p.stateReason ?? ""]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    static func expect(_ version: Int?, _ project: ImplementationProject) throws -> Int {
        guard let version else { throw ServiceError.versionRequired("Say which version of \(project.code) you are changing (If-Match, or reload the page).") }
        guard version == project.version else { throw ServiceError.stale("\(project.code) was changed by someone else since you opened it. Reload it and try again.") }
        return version
    }
}
