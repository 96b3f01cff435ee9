import Foundation
import WaymarkCore
import WaymarkStorage

/// The demo's readiness (issue 14): the demo trust's CRS projects answer the Organisational
/// Readiness Assessment (signed off) and two baseline surveys, and one finding each becomes a
/// risk in the project register; the first gets an Operational Readiness Report and a Go Live
/// Checklist under way. All through
/// the same services as the pages.
public enum DemoReadiness {
    public static func run(programme: ProgrammeService) async throws -> String {
        guard let projects = try await DemoDataQuality.crsProjects(in: programme.store, limit: 3)?.1 else { return "" }
        let surveys = SurveyService(programme: programme)
        let user = ActingUser.commandLine(origin: "demo seed")
        let due = programme.clock.today.adding(days: 28).iso
        for (index, project) in projects.enumerated() {
            let ready = index == 0 ? "ready" : "partly-ready"
            _ = try await surveys.save(projectCode: project.code, kind: SurveyKind.organisationalReadiness.rawValue, SurveyInput(answers: [
                "ora.staff.count": .init(count: String(400 + 150 * index)),
                "ora.staff.release": .init(rating: ready, finding: index == 0 ? "" : "Ward staff can be released only two at a time."),
                "ora.systems.inventory": .init(rating: "ready"),
                "ora.systems.contracts": .init(rating: "partly-ready", finding: "The PAS contract ends three months after the planned go-live.",
                                               actions: [(text: "Agree a short extension with the PAS supplier", owner: "Head of Procurement", due: due)]),
                "ora.resources.team": .init(rating: "ready"),
                "ora.resources.funding": .init(rating: ready),
                "ora.resources.approvals": .init(rating: "ready"),
                "ora.sites.surveyed": .init(rating: "ready"),
            ]), expectedVersion: nil, as: user)
            if index == 0 {
                _ = try await surveys.signOff(projectCode: project.code, kind: SurveyKind.organisationalReadiness.rawValue, expectedVersion: 1, as: user)
            }
            _ = try await surveys.save(projectCode: project.code, kind: SurveyKind.infrastructure.rawValue, SurveyInput(answers: [
                "infra.n3": .init(rating: "not-ready", finding: "The N3 link is 2 Mb/s; the CRS needs 8."),
                "infra.lan": .init(rating: "partly-ready", finding: "Two wards have no network points."),
                "infra.power": .init(rating: "ready"),
            ]), expectedVersion: nil, as: user)
            _ = try await surveys.raise(projectCode: project.code, kind: SurveyKind.infrastructure.rawValue, questionID: "infra.n3", as: .risk, as: user)
            _ = try await surveys.save(projectCode: project.code, kind: SurveyKind.staff.rawValue, SurveyInput(answers: [
                "staff.users": .init(count: String(380 + 150 * index)),
                "staff.tna": .init(rating: index == 2 ? "not-ready" : "partly-ready", finding: "Nursing roles are done; medical roles are not."),
                "staff.basic-skills": .init(rating: "ready"),
            ]), expectedVersion: nil, as: user)
        }
        // The first project's Operational Readiness Report, read from all of the above, for the Board to sign.
        if let first = projects.first {
            _ = try await ReadinessReportService(programme: programme).generate(projectCode: first.code, as: user)
            // Its technical Go Live Checklist, under way: two items with evidence, one signed off.
            let checklists = GoLiveChecklistService(programme: programme)
            var list = try await checklists.start(projectCode: first.code, template: "technical", as: user)
            for (item, evidence) in [("technical.network", "N3 link test report, all 14 wards"), ("technical.devices", "Device install log, 212 of 212 PCs")] {
                list = try await checklists.update(projectCode: first.code, template: "technical", item: item, owner: "IM&T infrastructure manager",
                                                   evidence: evidence, expectedVersion: list.version, as: user)
            }
            _ = try await checklists.signOff(projectCode: first.code, template: "technical", item: "technical.network", expectedVersion: list.version, as: user)
        }
        return projects.isEmpty ? "" : "Answered the readiness assessment and two baseline surveys for \(projects.count) CRS projects, raising one risk from each, and generated an Operational Readiness Report and started a Go Live Checklist for \(projects[0].code)."
    }
}
