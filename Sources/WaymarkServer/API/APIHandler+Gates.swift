import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The stage gate and clinical hazard log operations (issue 5): the gate check and decisions,
/// the organisation roll-up, hazards and the safety-case sign-off.
extension APIHandler {
    var gates: GateService { GateService(programme: service) }
    var hazards: HazardService { HazardService(programme: service) }

    func getProjectGates(_ input: Operations.getProjectGates.Input) async throws -> Operations.getProjectGates.Output {
        .ok(.init(body: .json(DocumentMapping.gates(try await gates.gateView(projectCode: input.path.code, as: user)))))
    }

    func decideGate(_ input: Operations.decideGate.Input) async throws -> Operations.decideGate.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"stage\": …} as JSON.") }
        guard let stage = NSIStage(rawValue: body.stage) else {
            // Scope and permission first, as for every write; then the bad stage.
            _ = try await gates.gateView(projectCode: input.path.code, as: user)
            _ = try await service.gate.authorise(.decideGates, as: user)
            throw ValidationFailure([FieldError(field: "stage", message: "stage must be between 0 and 5, not \(body.stage).")])
        }
        let decision = try await gates.decide(projectCode: input.path.code, stage: stage, override: body.override ?? false,
                                              reason: body.reason, as: user)
        return .created(.init(body: .json(DocumentMapping.decision(decision))))
    }

    func getGateRollUp(_ input: Operations.getGateRollUp.Input) async throws -> Operations.getGateRollUp.Output {
        let (organisation, rollUp) = try await gates.rollUp(organisationCode: input.path.code, as: user)
        return .ok(.init(body: .json(DocumentMapping.rollUp(organisation, rollUp))))
    }

    func getHazardLog(_ input: Operations.getHazardLog.Input) async throws -> Operations.getHazardLog.Output {
        .ok(.init(body: .json(DocumentMapping.hazardLog(try await hazards.hazardLog(projectCode: input.path.code, as: user)))))
    }

    func raiseHazard(_ input: Operations.raiseHazard.Input) async throws -> Operations.raiseHazard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the hazard as JSON.") }
        let hazard = try await hazards.save(projectCode: input.path.code, id: nil, expectedVersion: nil, draft: DocumentMapping.draft(body), as: user)
        return .created(.init(headers: .init(ETag: Self.etag(hazard.version)), body: .json(DocumentMapping.hazard(hazard))))
    }

    func updateHazard(_ input: Operations.updateHazard.Input) async throws -> Operations.updateHazard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the hazard as JSON.") }
        let code = input.path.code
        _ = try await hazards.hazardLog(projectCode: code, as: user)
        _ = try await service.gate.authorise(.recordHazards, as: user)
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the hazard")
        let hazard = try await hazards.save(projectCode: code, id: input.path.id, expectedVersion: version, draft: DocumentMapping.draft(body), as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(hazard.version)), body: .json(DocumentMapping.hazard(hazard))))
    }

    func signSafetyCase(_ input: Operations.signSafetyCase.Input) async throws -> Operations.signSafetyCase.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"statement\": \"…\"} as JSON.") }
        let signOff = try await hazards.signSafetyCase(projectCode: input.path.code, statement: body.statement, as: user)
        // Read back, so `current` is false if the log changed in between.
        let log = try await hazards.hazardLog(projectCode: input.path.code, as: user)
        return .created(.init(body: .json(DocumentMapping.signOff(signOff, current: log.signOff?.id == signOff.id && log.signOffCurrent))))
    }
}
