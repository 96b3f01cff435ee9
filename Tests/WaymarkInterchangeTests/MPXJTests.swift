import Foundation
import Testing
import WaymarkBenchmarks
import WaymarkCore
@testable import WaymarkInterchange

/// MPXJ, the library behind most tools that read project files, must read Waymark's MS Project
/// XML and XER as Waymark meant them, and its own schedulers (its Microsoft Project one for XML,
/// its Primavera one for XER) must put every task where Waymark's does.
///
/// Runs where Java and the mpxj Python package are installed (scripts/test installs it), and
/// always under CI, where their absence fails the test rather than skipping it.
@Suite struct MPXJTests {
    struct Case {
        var name: String
        var plan: ProjectPlan
        var format: PlanFormat
    }

    @Test(.enabled(if: MPXJ.enabled, Comment(rawValue: MPXJ.missing)))
    func mpxjReadsAndSchedulesWaymarkFilesAlike() throws {
        try #require(MPXJ.hasJava && MPXJ.hasPackages, Comment(rawValue: MPXJ.missing))
        // Every link type, leads and lags, milestones, MSO/SNET/FNLT and summaries.
        var sample = Sample.plan
        sample.dependencies = Sample.localLinks // the other project's file is not there to link to
        // A 200-task programme whose FNLT task cannot finish in time. P6 and Waymark keep the
        // links and report the constraint broken; MS Project (and MPXJ's Microsoft scheduler)
        // instead honour the constraint and move the task back. That is a real difference, so
        // the MS Project XML copy has the date moved to when the task can finish.
        let programme = InterchangeBenchmark.plan(tasks: 200)
        let late = try Scheduler.schedule(programme)
        #expect(late.violations.count == 1)
        var met = programme
        for violation in late.violations {
            let index = try #require(met.tasks.firstIndex { $0.id == violation.taskID })
            met.tasks[index].constraint?.date = try #require(late[taskID: violation.taskID]).earlyFinish
        }
        let cases = [Case(name: "sample", plan: sample, format: .mspdi), Case(name: "sample", plan: sample, format: .xer),
                     Case(name: "programme", plan: programme, format: .xer), Case(name: "programme", plan: met, format: .mspdi)]

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("waymark-mpxj-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL] = []
        for item in cases {
            let schedule = try Scheduler.schedule(item.plan)
            let dates = Dictionary(uniqueKeysWithValues: schedule.tasks.map { ($0.id, TaskDates(start: $0.earlyStart, finish: $0.earlyFinish)) })
            let file = folder.appendingPathComponent("\(item.name).\(item.format.fileExtension)")
            try PlanWriter.write(item.plan, format: item.format, taskDates: dates).write(to: file)
            files.append(file)
        }
        let output = try MPXJ.check(files)
        try #require(output.files.count == cases.count)
        for (item, file) in zip(cases, output.files) {
            try compare(file, item)
        }
    }

    func compare(_ file: MPXJ.File, _ item: Case) throws {
        let at = "\(item.name).\(item.format.fileExtension)"
        #expect(file.error == nil, "\(at): \(file.error ?? "")")
        #expect(file.scheduler == (item.format == .mspdi ? "MicrosoftScheduler" : "PrimaveraScheduler"), "\(at)")
        let plan = item.plan
        // XER files hold the project as a WBS node, which MPXJ reads as one more summary.
        let theirs = (file.tasks ?? []).filter { !($0.summary && $0.name == plan.projectCode) }
        #expect(theirs.map(\.uniqueId).sorted() == plan.tasks.map(\.id).sorted(), "\(at): task ids")
        let schedule = try Scheduler.schedule(plan)
        let calendar = plan.calendar.working
        for task in plan.tasks {
            guard let their = theirs.first(where: { $0.uniqueId == task.id }),
                  let scheduled = schedule[taskID: task.id] else { continue }
            let label = "\(at) task \(task.id) '\(task.name)'"
            #expect(their.name == task.name, "\(label)")
            #expect(their.summary == task.isSummary, "\(label)")
            #expect(their.milestone == task.isMilestone, "\(label)")
            if !task.isSummary { #expect(their.durationDays == Double(task.duration), "\(label): duration") }
            let constraintMatches = constraintNames(task.constraint?.kind).contains(their.constraint)
            #expect(constraintMatches, "\(label): \(their.constraint ?? "no constraint")")
            #expect(their.constraintDate.map { String($0.prefix(10)) } == task.constraint?.date.iso, "\(label): constraint date")
            let links = plan.dependencies.filter { $0.successorID == task.id }.map {
                MPXJ.Link(predecessor: $0.predecessor.taskID, type: $0.kind.rawValue, lagDays: Double($0.lag))
            }
            #expect(Set(their.predecessors) == Set(links), "\(label): links")

            // MPXJ's schedule, moment for moment (see WorkingMoment for why not date for date).
            let start = WorkingMoment.start(of: scheduled.earlyStart, calendar)
            #expect(WorkingMoment.mpxj(their.earlyStartTime, calendar) == start,
                    "\(label): MPXJ early start \(their.earlyStartTime ?? "none"), Waymark \(scheduled.earlyStart)")
            let finish = finishesAtDayStart(task, scheduled, plan, schedule)
                ? WorkingMoment.start(of: scheduled.earlyFinish, calendar) : WorkingMoment.end(of: scheduled.earlyFinish, calendar)
            #expect(WorkingMoment.mpxj(their.earlyFinishTime, calendar) == finish,
                    "\(label): MPXJ early finish \(their.earlyFinishTime ?? "none"), Waymark \(scheduled.earlyFinish)")
        }
    }

    /// A milestone, or a summary whose last work is a milestone, finishes at the start of its
    /// finish day; other work at the end of it.
    func finishesAtDayStart(_ task: PlanTask, _ scheduled: ScheduledTask, _ plan: ProjectPlan, _ schedule: Schedule) -> Bool {
        if task.isMilestone { return true }
        guard task.isSummary else { return false }
        return !plan.tasks.contains { child in
            child.wbs.hasPrefix(task.wbs + ".") && !child.isSummary && !child.isMilestone
                && schedule[taskID: child.id]?.earlyFinish == scheduled.earlyFinish
        }
    }

    /// MPXJ's names for a constraint, as read from MS Project XML or XER.
    func constraintNames(_ kind: ConstraintKind?) -> [String?] {
        switch kind {
        case nil: [nil, "AS_SOON_AS_POSSIBLE"]
        case .mustStartOn?: ["MUST_START_ON", "START_ON"]
        case .startNoEarlierThan?: ["START_NO_EARLIER_THAN"]
        case .finishNoLaterThan?: ["FINISH_NO_LATER_THAN"]
        }
    }
}
