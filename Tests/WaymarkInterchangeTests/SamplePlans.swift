import Foundation
import Testing
import WaymarkCore
@testable import WaymarkInterchange

/// A supplier's PACS deployment plan using every feature the formats share.
enum Sample {
    static func day(_ iso: String) -> Day { Day(iso: iso)! }

    static let calendar = PlanCalendar(
        name: "RX1 Trust calendar",
        extraHolidays: [day("2026-03-20"), day("2026-07-03")],            // Fridays: trust closure days
        extraWorkingDays: [day("2026-05-04"), day("2026-06-13")])         // a bank holiday and a Saturday worked

    static let tasks: [PlanTask] = [
        PlanTask(id: 1, wbs: "1", name: "Initiation", duration: 0, isSummary: true),
        PlanTask(id: 2, wbs: "1.1", name: "Project kick-off & PID \"draft\"", duration: 1),
        PlanTask(id: 3, wbs: "1.2", name: "Initiation Commenced", duration: 0,
                 constraint: TaskConstraint(.mustStartOn, day("2026-01-05")), nsiMilestone: .initiationCommenced),
        PlanTask(id: 4, wbs: "1.3", name: "Agree project initiation document", duration: 10),
        PlanTask(id: 5, wbs: "1.4", name: "Initiation Completed", duration: 0, nsiMilestone: .initiationCompleted),
        PlanTask(id: 6, wbs: "2", name: "Local design", duration: 0, isSummary: true),
        PlanTask(id: 7, wbs: "2.1", name: "Local design workshops, radiology", duration: 15,
                 constraint: TaskConstraint(.startNoEarlierThan, day("2026-02-02"))),
        PlanTask(id: 8, wbs: "2.2", name: "Local Design Completed", duration: 0, nsiMilestone: .localDesignCompleted),
        PlanTask(id: 9, wbs: "3", name: "Build and test", duration: 0, isSummary: true),
        PlanTask(id: 10, wbs: "3.1", name: "Build PACS servers <site A>", duration: 20),
        PlanTask(id: 11, wbs: "3.2", name: "=Interface testing (RIS-PACS)", duration: 10),
        PlanTask(id: 12, wbs: "3.3", name: "User training", duration: 8,
                 constraint: TaskConstraint(.finishNoLaterThan, day("2026-06-30"))),
        PlanTask(id: 13, wbs: "3.4", name: "Preparation for Go-Live Completed", duration: 0, nsiMilestone: .preparationForGoLiveCompleted),
        PlanTask(id: 14, wbs: "4", name: "Go-live", duration: 0, isSummary: true),
        PlanTask(id: 15, wbs: "4.1", name: "Cutover weekend", duration: 2),
        PlanTask(id: 16, wbs: "4.2", name: "Go-Live Completed", duration: 0, nsiMilestone: .goLiveCompleted),
        PlanTask(id: 17, wbs: "4.3", name: "Implementation Completed", duration: 0, nsiMilestone: .implementationCompleted),
    ]

    static func link(_ from: Int, _ to: Int, _ kind: DependencyKind = .finishToStart, _ lag: Int = 0, project: String? = nil) -> Dependency {
        Dependency(predecessor: TaskReference(projectCode: project, taskID: from), successorID: to, kind: kind, lag: lag)
    }

    static let localLinks: [Dependency] = [
        link(3, 2, .startToStart), link(2, 4, .finishToStart, 2), link(4, 5), link(5, 7, .finishToStart, -1),
        link(7, 8, .finishToFinish), link(8, 10), link(10, 11, .startToStart, 5), link(11, 12, .finishToFinish, -2),
        link(12, 13), link(13, 15, .startToFinish, 1), link(11, 15, .finishToStart, 3), link(15, 16), link(16, 17, .finishToStart, 20),
    ]

    /// The RIS go-live in the trust's other project gates cutover.
    static let crossProjectLink = link(40, 15, .finishToStart, -2, project: "RX1-RIS")

    static let plan = ProjectPlan(projectCode: "RX1-PACS", start: day("2026-01-05"), tasks: tasks,
                                  dependencies: localLinks + [crossProjectLink], calendar: calendar)

    static let dates: [Int: TaskDates] = {
        var dates: [Int: TaskDates] = [:]
        let working = calendar.working
        var cursor = day("2026-01-05")
        for task in tasks where !task.isSummary {
            let finish = working.adding(workingDays: max(0, task.duration - 1), to: cursor)
            dates[task.id] = TaskDates(start: cursor, finish: finish)
            if task.duration > 0 { cursor = working.adding(workingDays: 1, to: finish) }
        }
        for summary in tasks where summary.isSummary {
            let children = tasks.filter { !$0.isSummary && $0.wbs.hasPrefix(summary.wbs + ".") }.compactMap { dates[$0.id] }
            dates[summary.id] = TaskDates(start: children.map(\.start).min()!, finish: children.map(\.finish).max()!)
        }
        return dates
    }()

    /// MS Project names baselines itself and keeps no save time, so these use its names.
    static let baselines: [PlanBaseline] = [
        PlanBaseline(name: "Baseline", savedAt: "", tasks: dates.mapValues { BaselineDates(start: $0.start, finish: $0.finish, duration: 0) }
            .reduce(into: [:]) { result, entry in
                let task = tasks.first { $0.id == entry.key }!
                result[entry.key] = BaselineDates(start: entry.value.start, finish: entry.value.finish, duration: task.duration)
            }),
        PlanBaseline(name: "Baseline 1", savedAt: "", tasks: [
            10: BaselineDates(start: day("2026-03-02"), finish: day("2026-03-27"), duration: 20),
            16: BaselineDates(start: day("2026-06-19"), finish: day("2026-06-19"), duration: 0),
        ]),
    ]

    /// Plans compare equal whatever order their links were listed in.
    static func normalized(_ plan: ProjectPlan) -> ProjectPlan {
        var plan = plan
        plan.dependencies.sort { a, b in
            (a.successorID, a.predecessor.taskID, a.kind.rawValue, a.lag, a.predecessor.projectCode ?? "")
                < (b.successorID, b.predecessor.taskID, b.kind.rawValue, b.lag, b.predecessor.projectCode ?? "")
        }
        return plan
    }

    /// The first way two plans differ, briefly (big plans print too much to compare whole).
    static func difference(_ a: ProjectPlan, _ b: ProjectPlan) -> String? {
        let a = normalized(a), b = normalized(b)
        if a.projectCode != b.projectCode || a.start != b.start { return "header: \(a.projectCode) \(a.start) vs \(b.projectCode) \(b.start)" }
        if a.calendar != b.calendar { return "calendar: \(a.calendar) vs \(b.calendar)" }
        if a.tasks.count != b.tasks.count { return "\(a.tasks.count) tasks vs \(b.tasks.count)" }
        if let i = a.tasks.indices.first(where: { a.tasks[$0] != b.tasks[$0] }) { return "task \(i): \(a.tasks[i]) vs \(b.tasks[i])" }
        if a.dependencies.count != b.dependencies.count { return "\(a.dependencies.count) links vs \(b.dependencies.count)" }
        if let i = a.dependencies.indices.first(where: { a.dependencies[$0] != b.dependencies[$0] }) {
            return "link \(i): \(a.dependencies[i]) vs \(b.dependencies[i])"
        }
        return nil
    }

    static func fixture(_ name: String, _ ext: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}
