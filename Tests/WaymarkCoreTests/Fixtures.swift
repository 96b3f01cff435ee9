import Testing
import WaymarkCore

/// A day from a literal the test itself controls; a typo here is a bug in the test.
func day(_ iso: String) -> Day {
    guard let day = Day(iso: iso) else { preconditionFailure("bad fixture date \(iso)") }
    return day
}

/// The fixed "today" used throughout the Core tests.
let today = day("2026-11-24")

enum Fixture {
    static let site = Organisation(
        id: 42, code: "RXY01", name: "Test General Hospital", kind: .site, subtype: "hospital", parentID: 41,
        ancestry: Ancestry(clusterID: 2, shaID: 3, lhcID: 4, trustID: 41, siteID: 42))

    /// A project whose milestones have baselines (and forecasts) every 30 calendar days from `start`.
    static func project(_ type: ProjectType, product: String = "CRS", start: Day = day("2026-01-05"),
                        id: Int64 = 1) -> ImplementationProject {
        var baselines: [MilestoneKind: Day] = [:]
        for (position, kind) in type.mandatoryMilestones.enumerated() {
            baselines[kind] = start.adding(days: 30 * position)
        }
        return ImplementationProject.new(id: id, organisation: site, productCode: product, type: type,
                                         supplierID: 7, baselines: baselines)
    }

    /// `project` with the first `count` milestones achieved on their baselines.
    static func project(_ type: ProjectType, achieved count: Int, start: Day = day("2026-01-05")) -> ImplementationProject {
        var project = project(type, start: start)
        for index in project.milestones.indices.prefix(count) {
            project.milestones[index].actual = project.milestones[index].baseline
        }
        return project
    }

    static func milestone(_ kind: MilestoneKind = .goLiveCompleted, baseline: String?, forecast: String?,
                          actual: String? = nil) -> Milestone {
        Milestone(kind: kind, baseline: baseline.map(day), forecast: forecast.map(day), actual: actual.map(day))
    }
}

/// Applies `changes` and returns the validation failure, or nil (recording an issue) if they are accepted.
func validationFailure(_ changes: [MilestoneKind: MilestoneDates], to project: ImplementationProject,
                       today: Day = today, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationFailure? {
    do throws(ValidationFailure) {
        _ = try MilestoneRules.apply(changes, to: project, today: today)
        Issue.record("expected the changes to be rejected", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
