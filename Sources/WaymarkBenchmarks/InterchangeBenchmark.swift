import WaymarkCore
import WaymarkInterchange

/// Plans for timing the readers and writers: an implementation programme cut into phases of
/// twenty tasks under a summary, chained finish-to-start with some overlaps, leads, constraints,
/// and the six NSI milestones at the ends of the first six phases.
public enum InterchangeBenchmark {
    public static func plan(tasks count: Int) -> ProjectPlan {
        let start = Day(iso: "2026-01-05")!
        let calendar = PlanCalendar(extraHolidays: [Day(iso: "2026-07-03")!], extraWorkingDays: [Day(iso: "2026-10-10")!])
        var tasks: [PlanTask] = []
        var dependencies: [Dependency] = []
        tasks.reserveCapacity(count)
        var previousLeaf: Int?
        var phase = 0
        var position = 0
        while tasks.count < count {
            let id = tasks.count + 1
            if tasks.count % 21 == 0 {
                phase += 1
                position = 0
                tasks.append(PlanTask(id: id, wbs: "\(phase)", name: "Phase \(phase)", duration: 0, isSummary: true))
                continue
            }
            position += 1
            let endOfPhase = position == 20 || tasks.count + 1 == count
            let milestone = endOfPhase && phase <= MilestoneKind.allCases.count
            var task = PlanTask(id: id, wbs: "\(phase).\(position)", name: "Phase \(phase) activity \(position)",
                                duration: milestone ? 0 : 1 + (id * 7) % 15)
            if milestone {
                let kind = MilestoneKind.allCases[phase - 1]
                task.name = kind.title
                task.nsiMilestone = kind
            }
            if position == 1 && phase % 5 == 0 {
                task.constraint = TaskConstraint(.startNoEarlierThan, start.adding(days: phase * 30))
            }
            if position == 10 && phase % 7 == 0 {
                task.constraint = TaskConstraint(.finishNoLaterThan, start.adding(days: phase * 40))
            }
            tasks.append(task)
            if let previous = previousLeaf {
                let kinds: [DependencyKind] = [.finishToStart, .finishToStart, .startToStart, .finishToFinish, .finishToStart]
                let kind = kinds[id % kinds.count]
                let lag = kind == .startToStart ? 2 : (id % 11 == 0 ? -1 : 0)
                dependencies.append(Dependency(predecessor: TaskReference(taskID: previous), successorID: id, kind: kind, lag: lag))
            }
            if position > 3 && id % 6 == 0 {
                dependencies.append(Dependency(predecessor: TaskReference(taskID: id - 3), successorID: id, kind: .finishToStart, lag: 1))
            }
            previousLeaf = id
        }
        return ProjectPlan(projectCode: "BENCH-PACS", start: start, tasks: tasks, dependencies: dependencies, calendar: calendar)
    }

    /// Plausible dates for a benchmark plan (tasks back to back; not a schedule).
    public static func dates(for plan: ProjectPlan) -> [Int: TaskDates] {
        let working = plan.calendar.working
        var dates: [Int: TaskDates] = [:]
        var day = plan.start
        for task in plan.tasks where !task.isSummary {
            let finish = working.adding(workingDays: max(0, task.duration - 1), to: day)
            dates[task.id] = TaskDates(start: day, finish: finish)
            day = task.duration == 0 ? day : working.adding(workingDays: 1, to: finish)
        }
        return dates
    }
}
