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
        do {
            return .ok(.init(body: .json(DocumentMapping.gates(try await gates.gateView(projectCode: input.path.code, as: user)))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    func decideGate(_ input: Operations.decideGate.Input) async throws -> Operations.decideGate.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"stage\": …} as JSON.") }
        do {
            guard let stage = NSIStage(rawValue: body.stage) else {
                // Scope and permission first, as for every write; then the bad stage.
                _ = try await gates.gateView(projectCode: input.path.code, as: user)
                _ = try await service.gate.authorise(.decideGates, as: user)
                throw ValidationFailure([FieldError(field: "stage", message: "stage must be between 0 and 5, not \(body.stage).")])
            }
            let decision = try await gates.decide(projectCode: input.path.code, stage: stage, override: body.override ?? false,
                                                  reason: body.reason, as: user)
            return .created(.init(body: .json(DocumentMapping.decision(decision))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let error as ServiceError where error.kind == .conflict {
            return .conflict(APIMapping.problem(status: 409, title: "Gate refused", detail: error.message))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(Self.invalid(failure))
        }
    }

    func getGateRollUp(_ input: Operations.getGateRollUp.Input) async throws -> Operations.getGateRollUp.Output {
        do {
            let (organisation, rollUp) = try await gates.rollUp(organisationCode: input.path.code, as: user)
            return .ok(.init(body: .json(DocumentMapping.rollUp(organisation, rollUp))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    func getHazardLog(_ input: Operations.getHazardLog.Input) async throws -> Operations.getHazardLog.Output {
        do {
            return .ok(.init(body: .json(DocumentMapping.hazardLog(try await hazards.hazardLog(projectCode: input.path.code, as: user)))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        }
    }

    func raiseHazard(_ input: Operations.raiseHazard.Input) async throws -> Operations.raiseHazard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the hazard as JSON.") }
        do {
            let hazard = try await hazards.save(projectCode: input.path.code, id: nil, expectedVersion: nil, draft: DocumentMapping.draft(body), as: user)
            return .created(.init(headers: .init(ETag: Self.etag(hazard.version)), body: .json(DocumentMapping.hazard(hazard))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(APIMapping.problem(status: 422, title: "Hazard not saved", detail: failure.summary, errors: failure.errors))
        }
    }

    func updateHazard(_ input: Operations.updateHazard.Input) async throws -> Operations.updateHazard.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the hazard as JSON.") }
        let code = input.path.code
        do {
            _ = try await hazards.hazardLog(projectCode: code, as: user)
            _ = try await service.gate.authorise(.recordHazards, as: user)
            let ifMatch = input.headers.If_hyphen_Match
            guard let version = Self.version(fromETag: ifMatch) else {
                return .badRequest(APIMapping.problem(status: 400, title: "Bad If-Match", detail: "If-Match must be the hazard's ETag, e.g. \"1\"."))
            }
            let hazard = try await hazards.save(projectCode: code, id: input.path.id, expectedVersion: version, draft: DocumentMapping.draft(body), as: user)
            return .ok(.init(headers: .init(ETag: Self.etag(hazard.version)), body: .json(DocumentMapping.hazard(hazard))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let error as ServiceError where error.kind == .conflict {
            // The hazard's only conflict is a stale version.
            return .preconditionFailed(APIMapping.problem(status: 412, title: "Precondition failed", detail: error.message))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(APIMapping.problem(status: 422, title: "Hazard not saved", detail: failure.summary, errors: failure.errors))
        }
    }

    func signSafetyCase(_ input: Operations.signSafetyCase.Input) async throws -> Operations.signSafetyCase.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"statement\": \"…\"} as JSON.") }
        do {
            let signOff = try await hazards.signSafetyCase(projectCode: input.path.code, statement: body.statement, as: user)
            // Read back, so `current` is false if the log changed in between.
            let log = try await hazards.hazardLog(projectCode: input.path.code, as: user)
            return .created(.init(body: .json(DocumentMapping.signOff(signOff, current: log.signOff?.id == signOff.id && log.signOffCurrent))))
        } catch let error as ServiceError where error.kind == .notFound {
            return .notFound(Self.notFound(error))
        } catch let failure as ValidationFailure {
            return .unprocessableContent(Self.invalid(failure))
        }
    }
}
