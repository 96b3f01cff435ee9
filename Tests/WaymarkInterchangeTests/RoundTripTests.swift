import Foundation
import Testing
import WaymarkBenchmarks
import WaymarkCore
@testable import WaymarkInterchange

/// Write, read back, compare: what a format can hold must survive unchanged.
@Suite struct RoundTripTests {
    @Test func mspdiKeepsEverything() throws {
        let data = PlanWriter.write(Sample.plan, format: .mspdi, taskDates: Sample.dates, baselines: Sample.baselines)
        let back = try PlanReader.read(data, format: .mspdi, projectCode: "RX1-PACS")
        #expect(Sample.normalized(back.plan) == Sample.normalized(Sample.plan))
        #expect(back.taskDates == Sample.dates)
        #expect(back.baselines == Sample.baselines)
        // Nothing was lost but the baselines' names, which MS Project does not hold.
        #expect(back.report.map(\.subject) == ["baselines"])
    }

    @Test func xerKeepsWhatP6Holds() throws {
        // P6 holds no cross-project links without the other project, and no baselines in the same project.
        var plan = Sample.plan
        plan.dependencies = Sample.localLinks
        let data = PlanWriter.write(plan, format: .xer, taskDates: Sample.dates, baselines: Sample.baselines)
        let back = try PlanReader.read(data, format: .xer, projectCode: "RX1-PACS")
        #expect(Sample.normalized(back.plan) == Sample.normalized(plan))
        #expect(back.taskDates == Sample.dates)
        #expect(back.baselines.isEmpty)
        #expect(back.report.isEmpty, "\(back.report)")
    }

    @Test func csvKeepsTasksLinksAndDates() throws {
        var plan = Sample.plan
        plan.calendar = PlanCalendar()
        let data = PlanWriter.write(plan, format: .csv, taskDates: Sample.dates)
        let back = try PlanReader.read(data, format: .csv, projectCode: "RX1-PACS")
        #expect(Sample.normalized(back.plan) == Sample.normalized(plan))
        #expect(back.taskDates == Sample.dates)
    }

    @Test(arguments: PlanFormat.allCases)
    func tenThousandTasks(format: PlanFormat) throws {
        let plan = InterchangeBenchmark.plan(tasks: 10_000)
        let dates = InterchangeBenchmark.dates(for: plan)
        #expect(plan.tasks.count == 10_000)
        #expect(Set(plan.tasks.compactMap(\.nsiMilestone)).count == MilestoneKind.allCases.count)
        let back = try PlanReader.read(PlanWriter.write(plan, format: format, taskDates: dates), format: format, projectCode: plan.projectCode)
        var expected = plan
        if format == .csv { expected.calendar = PlanCalendar() }
        #expect(Sample.difference(back.plan, expected) == nil)
        #expect(back.taskDates == dates, "\(back.taskDates.count) dates read of \(dates.count)")
    }

    @Test(arguments: PlanFormat.allCases)
    func emptyPlan(format: PlanFormat) throws {
        let plan = ProjectPlan(projectCode: "RX1-PACS", start: Sample.day("2026-01-05"))
        let back = try PlanReader.read(PlanWriter.write(plan, format: format), format: format, projectCode: "RX1-PACS")
        #expect(back.plan == plan)
    }

    @Test func omissionsSayWhatEachFormatLeavesOut() {
        let xer = PlanWriter.omissions(Sample.plan, format: .xer, baselines: Sample.baselines)
        #expect(xer.contains { $0.message.contains("2 baselines not written") })
        #expect(xer.contains { $0.message.contains("project RX1-RIS") })
        let csv = PlanWriter.omissions(Sample.plan, format: .csv, baselines: Sample.baselines)
        #expect(csv.map(\.subject) == ["calendar", "baselines"])
        #expect(PlanWriter.omissions(Sample.plan, format: .mspdi).isEmpty)
    }

    @Test func xerDropsLinksItCannotHold() throws {
        var plan = Sample.plan
        plan.dependencies.append(Sample.link(1, 6)) // summary to summary: WBS nodes cannot be linked
        let back = try PlanReader.read(PlanWriter.write(plan, format: .xer), format: .xer, projectCode: "RX1-PACS")
        #expect(Sample.normalized(back.plan).dependencies == Sample.normalized(ProjectPlan(
            projectCode: "", start: plan.start, dependencies: Sample.localLinks)).dependencies)
        #expect(PlanWriter.omissions(plan, format: .xer).contains { $0.subject == "task 6" })
    }
}
