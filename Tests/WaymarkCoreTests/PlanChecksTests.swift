import Testing
import WaymarkCore

@Suite("Plan checks against NSI milestones")
struct PlanChecksTests {
    func project() -> ImplementationProject {
        var project = ImplementationProject(id: 1, code: "RX1-PACS", productCode: "PACS", type: .lsp, organisationID: 1,
                                            supplierID: nil, ancestry: Ancestry(),
                                            milestones: ProjectType.lsp.mandatoryMilestones.map { Milestone(kind: $0, baseline: nil, forecast: nil, actual: nil) })
        for index in project.milestones.indices {
            project.milestones[index].baseline = Day(iso: "2027-01-04")!.adding(days: 30 * index)
        }
        return project
    }

    @Test func aPlanThatCoversEveryMilestoneOnTimeAndInOrderHasNoFindings() {
        let project = project()
        let tasks = project.milestones.enumerated().map { PlanTask(id: $0 + 1, wbs: "\($0 + 1)", name: $1.kind.title, duration: 0, nsiMilestone: $1.kind) }
        let finishes = Dictionary(uniqueKeysWithValues: zip(tasks.map(\.id), project.milestones.map { $0.baseline! }))
        let plan = ProjectPlan(projectCode: project.code, start: Day(iso: "2027-01-01")!, tasks: tasks)
        #expect(PlanChecks.nsiDiff(project: project, plan: plan, finishes: finishes, calendar: .england).isEmpty)
    }

    @Test func missingLateAndOutOfOrderMilestonesAreReported() {
        let project = project()
        let kinds = project.milestones.map(\.kind)
        // Leave out the last milestone, put the second late, and the fourth before the third.
        let tasks = kinds.dropLast().enumerated().map { PlanTask(id: $0 + 1, wbs: "\($0 + 1)", name: $1.title, duration: 0, nsiMilestone: $1) }
        var finishes = Dictionary(uniqueKeysWithValues: zip(tasks.map(\.id), project.milestones.map { $0.baseline! }))
        finishes[2] = project.milestones[1].baseline!.adding(days: 7)
        finishes[4] = project.milestones[2].baseline!.adding(days: -1)
        let plan = ProjectPlan(projectCode: project.code, start: Day(iso: "2027-01-01")!, tasks: tasks)
        let findings = PlanChecks.nsiDiff(project: project, plan: plan, finishes: finishes, calendar: .england)
        #expect(findings.map(\.kind) == [.laterThanBaseline, .outOfOrder, .missing])
        #expect(findings.map(\.milestone) == [kinds[1], kinds[3], kinds[5]])
        #expect(findings[0].message.contains("5 working days after"))
    }
}
