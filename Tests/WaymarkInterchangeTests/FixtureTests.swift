import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

/// Hand-written supplier plans, as MS Project and P6 would export them.
@Suite struct FixtureTests {
    @Test func supplierPACSPlanFromMSProject() throws {
        let imported = try PlanReader.read(Sample.fixture("supplier-pacs-plan", "xml"), format: .mspdi, projectCode: "RX1-PACS")
        let plan = imported.plan
        #expect(plan.projectCode == "RX1-PACS")
        #expect(plan.start == Sample.day("2026-01-05"))
        #expect(plan.tasks.count == 19) // the project summary task (UID 0) is not a task
        #expect(plan.tasks.filter(\.isSummary).map(\.id) == [1, 6, 10, 15])
        #expect(plan.tasks.map(\.wbs).prefix(3) == ["1", "1.1", "1.2"])

        let byID = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, $0) })
        #expect(byID[2]?.constraint == TaskConstraint(.mustStartOn, Sample.day("2026-01-05")))
        #expect(byID[7]?.constraint == TaskConstraint(.startNoEarlierThan, Sample.day("2026-02-16")))
        #expect(byID[17]?.constraint == TaskConstraint(.finishNoLaterThan, Sample.day("2026-06-30")))
        #expect(byID[16]?.constraint == nil) // Must Finish On is not supported
        #expect(byID[11]?.duration == 2)     // 12 hours, rounded up
        #expect(byID[4]?.duration == 5)

        let nsi = plan.tasks.compactMap { task in task.nsiMilestone.map { ($0, task.id) } }
        #expect(nsi.map(\.0) == MilestoneKind.allCases)
        #expect(nsi.map(\.1) == [2, 5, 9, 14, 17, 19])

        #expect(plan.dependencies.contains(Sample.link(7, 8, .startToStart, 2)))
        #expect(plan.dependencies.contains(Sample.link(8, 9, .finishToFinish)))
        #expect(plan.dependencies.contains(Sample.link(12, 13, .finishToStart, -2)))
        #expect(plan.dependencies.contains(Sample.link(18, 19, .finishToStart, 10)))
        #expect(plan.dependencies.count == 15)

        // The calendar's own closures carry over; its Christmas days are bank holidays or weekends anyway.
        #expect(plan.calendar.name == "Standard")
        #expect(plan.calendar.extraHolidays == [Sample.day("2026-03-20"), Sample.day("2026-12-24")])
        #expect(imported.taskDates[16] == TaskDates(start: Sample.day("2026-04-03"), finish: Sample.day("2026-04-06")))
        #expect(imported.baselines.count == 1)
        #expect(imported.baselines.first?.tasks[17]?.start == Sample.day("2026-03-30"))

        let report = imported.report.map(\.description).joined(separator: "\n")
        for expected in ["rounded up to 2 working days", "Must Finish On is not supported", "costs are not imported",
                         "work (effort) is not imported", "1 resource not imported", "1 resource assignment not imported",
                         "works 3 English bank holidays (2026-04-03, 2026-04-06, 2026-05-04)"] {
            #expect(report.contains(expected), "report lacks '\(expected)':\n\(report)")
        }
        #expect(imported.report.first { $0.message.contains("rounded up") }?.line != nil)
    }

    @Test func supplierCRSPlanFromP6() throws {
        let imported = try PlanReader.read(Sample.fixture("supplier-crs-plan", "xer"), format: .xer, projectCode: "RX2-CRS")
        let plan = imported.plan
        #expect(plan.start == Sample.day("2026-02-02"))
        #expect(plan.calendar.name == "Trust 7.5 hour day")
        #expect(plan.calendar.extraHolidays == [Sample.day("2026-03-13")])
        // WBS nodes become summaries; activities precede sub-WBS nodes, which keep seq_num order.
        let outline = plan.tasks.map { "\($0.wbs) \($0.name)" }
        #expect(outline == [
            "1 Initiation", "1.1 Initiation Commenced", "1.2 Project start-up workshop", "1.3 Agree PID and governance",
            "1.4 Initiation Completed", "2 Local design", "2.1 Current-state process mapping", "2.2 Clinical safety case (DCB0160)",
            "2.3 Local Design Completed", "3 Build and test", "3.1 Configure build environment", "3.2 Data migration trial loads",
            "3.3 Integration testing with PAS", "3.4 Preparation for Go-Live Completed", "3.5 Training", "3.5.1 Train the trainers",
            "3.5.2 End-user training", "4 Go-live", "4.1 Go-live cutover", "4.2 Go-Live Completed", "4.3 Hypercare",
            "4.4 Implementation Completed",
        ])
        let byID = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, $0) })
        #expect(byID[9003]?.isSummary == true)
        #expect(byID[70003]?.duration == 10)   // 75 hours at 7.5 a day
        #expect(byID[70008]?.duration == 2)    // 48 hours on its 24-hour calendar
        #expect(byID[70012]?.duration == 13)   // 93.75 hours: 12.5 days, rounded up
        #expect(byID[70001]?.constraint == TaskConstraint(.mustStartOn, Sample.day("2026-02-02")))
        #expect(byID[70005]?.constraint == TaskConstraint(.startNoEarlierThan, Sample.day("2026-03-02")))
        #expect(byID[70010]?.constraint == TaskConstraint(.finishNoLaterThan, Sample.day("2026-07-31")))
        #expect(byID[70014]?.constraint == nil)
        #expect(plan.tasks.compactMap(\.nsiMilestone) == MilestoneKind.allCases)
        #expect(byID[70015]?.nsiMilestone == .goLiveCompleted)
        #expect(plan.dependencies.contains(Sample.link(70005, 70006, .startToStart, 5)))
        #expect(plan.dependencies.contains(Sample.link(70013, 70014, .finishToStart, -1)))
        #expect(plan.dependencies.contains(Sample.link(70006, 70007, .finishToFinish)))
        #expect(plan.dependencies.count == 18)
        #expect(imported.taskDates[70009] == TaskDates(start: Sample.day("2026-03-25"), finish: Sample.day("2026-04-23")))
        #expect(imported.baselines.isEmpty)

        let report = imported.report.map(\.description).joined(separator: "\n")
        for expected in ["P6 baselines are separate projects", "own calendar '24x7 supplier data centre'", "rounded up to 13",
                         "CS_ALAP is not supported", "level-of-effort", "resources are not imported (2 rows)", "resource assignments are not imported (2 rows)"] {
            #expect(report.contains(expected), "report lacks '\(expected)':\n\(report)")
        }
        #expect(!report.contains("bank holidays"), "the trust calendar keeps the bank holidays")
    }
}
