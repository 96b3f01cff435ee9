import Foundation
import WaymarkCore
import WaymarkStorage

/// The project's clinical hazard log (DOMAIN.md §11; today's DCB0160) and the Clinical Safety
/// Officer's sign-off of the safety case for Go Live.
public struct HazardService: Sendable {
    /// Access checks, scoped lookups and audit records.
    public let gate: AccessGate
    let store: any DocumentRepository & OrganisationRepository & ProjectRepository & AuditRepository
    public init(programme: ProgrammeService) {
        gate = programme.gate
        store = programme.store
    }

    public struct HazardLogView: Sendable {
        public var project: ImplementationProject
        public var hazards: [Hazard]
        public var signOff: SafetyCaseSignOff?
        /// The sign-off covers the log as it stands now.
        public var signOffCurrent: Bool
        public var canRecord: Bool
        public var canSign: Bool
        public var blocking: [Hazard] { hazards.filter(\.blocksGoLive) }
    }

    public func hazardLog(projectCode: String, as user: ActingUser) async throws -> HazardLogView {
        let project = try await gate.project(code: projectCode, for: .viewRecords, as: user).0.project
        let hazards = try await store.hazards(projectID: project.id)
        let signOff = try await store.latestSafetySignOff(projectID: project.id)
        return HazardLogView(project: project, hazards: hazards, signOff: signOff,
                             signOffCurrent: signOff?.logHash == GateService.logHash(hazards),
                             canRecord: user.permits(.recordHazards), canSign: user.permits(.signSafetyCase))
    }

    /// A hazard as entered; ratings that could not be read are `inputErrors`.
    public struct Draft: Sendable {
        public var title: String
        public var cause: String
        public var effect: String
        public var harm: String
        public var initialSeverity: HazardSeverity?
        public var initialLikelihood: HazardLikelihood?
        public var controls: [HazardControl]
        public var residualSeverity: HazardSeverity?
        public var residualLikelihood: HazardLikelihood?
        public var status: HazardStatus
        public var inputErrors: [FieldError]

        public init(title: String, cause: String, effect: String, harm: String, initialSeverity: HazardSeverity?,
                    initialLikelihood: HazardLikelihood?, controls: [HazardControl], residualSeverity: HazardSeverity?,
                    residualLikelihood: HazardLikelihood?, status: HazardStatus = .open, inputErrors: [FieldError] = []) {
            self.title = title
            self.cause = cause
            self.effect = effect
            self.harm = harm
            self.initialSeverity = initialSeverity
            self.initialLikelihood = initialLikelihood
            self.controls = controls
            self.residualSeverity = residualSeverity
            self.residualLikelihood = residualLikelihood
            self.status = status
            self.inputErrors = inputErrors
        }
    }

    /// Raises a hazard (`id` nil) or updates one still at `expectedVersion`; every problem at once.
    public func save(projectCode: String, id: Int64?, expectedVersion: Int?, draft: Draft, as user: ActingUser) async throws -> Hazard {
        let project = try await gate.project(code: projectCode, for: .recordHazards, as: user).0.project
        var errors = draft.inputErrors
        func need<T>(_ value: T?, _ field: String, _ what: String) -> T? {
            if value == nil, !errors.contains(where: { $0.field == field }) { errors.append(FieldError(field: field, message: "Choose the \(what).")) }
            return value
        }
        let initialSeverity = need(draft.initialSeverity, "initialSeverity", "initial severity")
        let initialLikelihood = need(draft.initialLikelihood, "initialLikelihood", "initial likelihood")
        // The residual rating defaults to the initial one until controls are recorded.
        let residualSeverity = draft.residualSeverity ?? initialSeverity
        let residualLikelihood = draft.residualLikelihood ?? initialLikelihood
        var existing: Hazard?
        if let id {
            guard let found = try await store.hazard(id: id, scope: .national), found.owner.projectID == project.id else {
                throw ServiceError(.notFound, "\(project.code) has no hazard \(Hazard.reference(id: id)).")
            }
            existing = found
        }
        guard let initialSeverity, let initialLikelihood, let residualSeverity, let residualLikelihood, errors.isEmpty else {
            // Every problem at once: the text fields and controls are checked even when a rating is missing.
            let probe = Hazard(id: id ?? 0, owner: .project(project), title: draft.title, cause: draft.cause, effect: draft.effect,
                               harm: draft.harm, initialSeverity: .minor, initialLikelihood: .veryLow, controls: draft.controls,
                               residualSeverity: .minor, residualLikelihood: .veryLow, status: draft.status)
            throw ValidationFailure(errors + Hazard.validate(probe).filter { error in !errors.contains { $0.field == error.field } })
        }
        var hazard = Hazard(id: id ?? 0, owner: .project(project), title: draft.title.trimmedWhitespace, cause: draft.cause.trimmedWhitespace,
                            effect: draft.effect.trimmedWhitespace, harm: draft.harm.trimmedWhitespace, initialSeverity: initialSeverity,
                            initialLikelihood: initialLikelihood, controls: draft.controls, residualSeverity: residualSeverity,
                            residualLikelihood: residualLikelihood, status: draft.status, version: existing?.version ?? 1)
        errors += Hazard.validate(hazard)
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        if let existing, expectedVersion != existing.version {
            throw ServiceError(.staleVersion, "\(existing.reference) was changed by someone else since you opened it (version \(expectedVersion.map(String.init) ?? "none"), now \(existing.version)). Reload it and try again.")
        }
        let audit = gate.auditRecord(existing == nil ? "raise hazard" : "update hazard", entityType: "hazard", entityID: hazard.id,
                                     before: existing.map(Self.snapshot), after: Self.snapshot(hazard), as: user)
        do {
            hazard = try await store.saveHazard(hazard, expectedVersion: existing?.version, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError(.staleVersion, "\(hazard.reference) was changed by someone else while you saved it. Reload it and try again.")
        }
        return hazard
    }

    /// The Clinical Safety Officer signs the safety case, covering the log as it stands.
    public func signSafetyCase(projectCode: String, statement: String, as user: ActingUser) async throws -> SafetyCaseSignOff {
        let project = try await gate.project(code: projectCode, for: .signSafetyCase, as: user).0.project
        let text = statement.trimmedWhitespace
        guard text.count >= 10 else {
            throw ValidationFailure([FieldError(field: "statement", message: "State, in at least 10 characters, why the residual clinical risk is acceptable for Go Live.")])
        }
        let hazards = try await store.hazards(projectID: project.id)
        let signOff = SafetyCaseSignOff(projectID: project.id, signedBy: user.name, signedAt: gate.clock.timestamp,
                                        logHash: GateService.logHash(hazards), statement: text)
        return try await store.recordSafetySignOff(signOff, audit: gate.auditRecord(
            "sign clinical safety case", entityType: "project", entityID: project.id,
            after: LessonService.encoded(["logHash": signOff.logHash, "hazards": hazards.map(\.reference).joined(separator: ","),
                                          "statement": text]),
            at: signOff.signedAt, as: user))
    }

    static func snapshot(_ h: Hazard) -> String {
        LessonService.encoded(["title": h.title, "initial": String(h.initialRating.value), "residual": String(h.residualRating.value),
                               "status": h.status.rawValue, "controls": String(h.controls.count)])
    }
}
