import Foundation
import WaymarkCore
import WaymarkStorage

/// Moving the projects on an older version of a template to its latest (issue 13). A baseline
/// still where the old version put it moves to where the new one puts it; a baseline that had
/// departed from the template (moved by a CCN) keeps its date, and stays a deviation. Achieved
/// milestones are history and never move. The diff is shown first; applying it is one batch.
extension RollOutService {
    public struct BaselineMove: Sendable, Hashable {
        public var projectCode: String
        public var milestone: MilestoneKind
        public var from: Day
        public var to: Day
    }

    public struct UpgradePreview: Sendable {
        public var template: RollOutTemplate
        public var projects: Int
        public var moves: [BaselineMove]
        /// Baselines that had departed from the old version and keep their dates.
        public var keptDeviations: [BaselineMove]
        public var fingerprint: String
        public var applied: Bool
    }

    public func upgradePreview(templateCode: String, as user: ActingUser) async throws -> UpgradePreview {
        try await upgradePlan(templateCode: templateCode, as: user).preview
    }

    public func upgrade(templateCode: String, expectedFingerprint: String?, as user: ActingUser) async throws -> UpgradePreview {
        var (preview, projects) = try await upgradePlan(templateCode: templateCode, as: user)
        if let expectedFingerprint, expectedFingerprint != preview.fingerprint {
            throw ServiceError(.conflict, "The projects changed since the preview. Preview the new version again.")
        }
        guard !projects.isEmpty else { return preview }
        let audit = gate.auditRecord("upgrade to roll-out template version", entityType: "rollout_template", entityID: preview.template.id,
                                     after: "{\"template\":\"\(preview.template.code)\",\"version\":\(preview.template.version),\"projects\":\(projects.count),\"moves\":\(preview.moves.count)}",
                                     as: user)
        do {
            try await store.upgradeProjects(projects, to: preview.template, audit: audit)
        } catch let error as StorageError where error.code == .conflict {
            throw ServiceError.stale("A project changed while its template was being upgraded. Preview the new version again.")
        }
        preview.applied = true
        return preview
    }

    func upgradePlan(templateCode: String, as user: ActingUser) async throws
        -> (preview: UpgradePreview, projects: [(project: ImplementationProject, expected: [MilestoneKind: Day])]) {
        try await organisations.requireNational(as: user)
        let template = try await template(code: templateCode, as: user)
        var moves: [BaselineMove] = []
        var kept: [BaselineMove] = []
        var projects: [(project: ImplementationProject, expected: [MilestoneKind: Day])] = []
        for behind in try await store.projectsBehind(template) {
            guard var project = try await store.project(code: behind.code, scope: .national)?.project else { continue }
            let expected = template.baselines(from: behind.waveStart, calendar: calendar)
            for index in project.milestones.indices {
                let m = project.milestones[index]
                guard let old = behind.expected[m.kind], let new = expected[m.kind], m.actual == nil else { continue }
                if m.baseline != old {
                    if let baseline = m.baseline { kept.append(BaselineMove(projectCode: project.code, milestone: m.kind, from: baseline, to: new)) }
                } else if new != old {
                    moves.append(BaselineMove(projectCode: project.code, milestone: m.kind, from: old, to: new))
                    // A forecast still on the old baseline was never re-planned, so it follows.
                    if m.forecast == old { project.milestones[index].forecast = new }
                    project.milestones[index].baseline = new
                    project.milestones[index].version += 1
                }
            }
            projects.append((project, expected))
        }
        let fingerprint = OrganisationService.digest("\(template.id)|" + projects.map { "\($0.project.code)@\($0.project.version)" }.joined(separator: ","))
        return (UpgradePreview(template: template, projects: projects.count, moves: moves, keptDeviations: kept, fingerprint: fingerprint,
                               applied: false), projects)
    }
}
