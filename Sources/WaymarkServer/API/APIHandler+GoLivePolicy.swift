import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// The Go Live policy over the API (issue 14, part 5): read it, set it (the National Programme
/// Office), a project's view of it, and the Project Board's override.
extension APIHandler {
    var goLivePolicies: GoLivePolicyService { GoLivePolicyService(programme: service) }

    func getGoLivePolicy(_ input: Operations.getGoLivePolicy.Input) async throws -> Operations.getGoLivePolicy.Output {
        let view = try await goLivePolicies.policies(as: user)
        return .ok(.init(body: .json(.init(national: Self.policy(view.national), clusters: view.clusters.map {
            .init(code: $0.cluster.code, name: $0.cluster.name, policy: Self.policy($0.policy), own: $0.own)
        }))))
    }

    func setGoLivePolicy(_ input: Operations.setGoLivePolicy.Input) async throws -> Operations.setGoLivePolicy.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the policy as JSON.") }
        let now = try await goLivePolicies.setPolicy(organisationCode: input.path.code, GoLivePolicy(rawValue: body.policy.rawValue), as: user)
        return .ok(.init(body: .json(.init(policy: Self.policy(now)))))
    }

    func getProjectGoLivePolicy(_ input: Operations.getProjectGoLivePolicy.Input) async throws -> Operations.getProjectGoLivePolicy.Output {
        let project = try await goLivePolicies.gate.project(code: input.path.code, as: user).0.project
        let gaps = GoLivePolicyRules.gaps(recording: .goLiveCompleted, try await goLivePolicies.evidence(for: project))
        return .ok(.init(body: .json(.init(policy: Self.policy(try await goLivePolicies.policy(for: project)), goLiveGaps: gaps,
                                           overrides: try await goLivePolicies.overrides(projectID: project.id).map(Self.override)))))
    }

    func overrideGoLivePolicy(_ input: Operations.overrideGoLivePolicy.Input) async throws -> Operations.overrideGoLivePolicy.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the reason as JSON.") }
        guard let milestone = MilestoneKind(rawValue: input.path.milestone.rawValue) else { throw ServiceError(.notFound, "No such milestone.") }
        let override = try await goLivePolicies.override(projectCode: input.path.code, milestone: milestone, reason: body.reason, as: user)
        return .created(.init(body: .json(Self.override(override))))
    }

    static func policy(_ p: GoLivePolicy) -> Components.Schemas.GoLivePolicy { p == .warn ? .warn : .require }

    static func override(_ o: MilestoneOverride) -> Components.Schemas.MilestoneOverride {
        .init(milestone: o.milestone.rawValue, reason: o.reason, decidedBy: o.decidedBy, decidedAt: o.decidedAt, gaps: o.gaps)
    }
}
