import Testing
import WaymarkBenchmarks
import WaymarkCore

/// Small plans for the scheduling tests. November 2026 has no bank holidays: Monday 2 November
/// is working day 0, Friday 6th is day 4, Monday 9th day 5, Friday 13th day 9, Monday 16th day 10.
enum SchedulingFixture {
    static func task(_ id: Int, _ duration: Int, wbs: String? = nil, summary: Bool = false,
                     _ constraint: TaskConstraint? = nil) -> PlanTask {
        PlanTask(id: id, wbs: wbs ?? String(id), name: "Task \(id)", duration: duration, isSummary: summary,
                 constraint: constraint)
    }

    static func link(_ from: Int, _ to: Int, _ kind: DependencyKind = .finishToStart, lag: Int = 0) -> Dependency {
        Dependency(predecessor: TaskReference(taskID: from), successorID: to, kind: kind, lag: lag)
    }

    static func plan(_ tasks: [PlanTask], _ dependencies: [Dependency] = [], start: String = "2026-11-02",
                     calendar: PlanCalendar = PlanCalendar(), code: String = "TEST") -> ProjectPlan {
        ProjectPlan(projectCode: code, start: day(start), tasks: tasks, dependencies: dependencies, calendar: calendar)
    }

    /// The error scheduling `plan` throws, or nil (recording an issue) if it schedules.
    static func error(_ plan: ProjectPlan, external: [TaskReference: ExternalTaskDates] = [:],
                      sourceLocation: SourceLocation = #_sourceLocation) -> SchedulingError? {
        do throws(SchedulingError) {
            _ = try Scheduler.schedule(plan, external: external)
            Issue.record("expected the plan to be rejected", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("Scheduling")
struct SchedulingTests {
    typealias F = SchedulingFixture

    static func dates(_ schedule: Schedule, _ id: Int) -> String {
        guard let task = schedule[taskID: id] else { return "missing" }
        return "\(task.earlyStart.iso)..\(task.earlyFinish.iso)"
    }

    // MARK: Relation kinds

    /// X (5 days) runs Mon 2-Fri 6 Nov; A (5 days) follows it, Mon 9-Fri 13 (start 5, finish
    /// point 10); B (2 days) hangs off A by `kind` and `lag`.
    @Test(arguments: [
        (DependencyKind.finishToStart, 0, "2026-11-16..2026-11-17"),  // start ≥ 10
        (.finishToStart, 2, "2026-11-18..2026-11-19"),                // start ≥ 12
        (.finishToStart, -3, "2026-11-11..2026-11-12"),               // start ≥ 7: a lead overlaps A
        (.startToStart, 0, "2026-11-09..2026-11-10"),                 // start ≥ 5
        (.startToStart, 3, "2026-11-12..2026-11-13"),                 // start ≥ 8
        (.startToStart, -2, "2026-11-05..2026-11-06"),                // start ≥ 3: before A starts
        (.startToStart, -9, "2026-11-02..2026-11-03"),                // start ≥ -4: held at the plan start
        (.finishToFinish, 0, "2026-11-12..2026-11-13"),               // finish point ≥ 10, so start 8
        (.finishToFinish, 2, "2026-11-16..2026-11-17"),               // finish point ≥ 12
        (.finishToFinish, -4, "2026-11-06..2026-11-09"),              // finish point ≥ 6: over the weekend
        (.startToFinish, 0, "2026-11-05..2026-11-06"),                // finish point ≥ 5, so start 3
        (.startToFinish, 4, "2026-11-11..2026-11-12"),                // finish point ≥ 9
        (.startToFinish, -1, "2026-11-04..2026-11-05"),               // finish point ≥ 4
    ])
    func relationKindsAndLags(kind: DependencyKind, lag: Int, expected: String) throws {
        let plan = F.plan([F.task(1, 5), F.task(2, 5), F.task(3, 2)],
                          [F.link(1, 2), F.link(2, 3, kind, lag: lag)])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 1) == "2026-11-02..2026-11-06")
        #expect(Self.dates(schedule, 2) == "2026-11-09..2026-11-13")
        #expect(Self.dates(schedule, 3) == expected)
        #expect(schedule.violations.isEmpty)
    }

    @Test func floatsOnAChainAndABranch() throws {
        // X → A → B in series, and C (2 days) starts with A but nothing waits for it.
        let plan = F.plan([F.task(1, 5), F.task(2, 5), F.task(3, 2), F.task(4, 2)],
                          [F.link(1, 2), F.link(2, 3), F.link(2, 4, .startToStart)])
        let schedule = try Scheduler.schedule(plan)
        #expect(schedule.finish == day("2026-11-17"))
        #expect(schedule.criticalPath == [1, 2, 3])
        for id in [1, 2, 3] {
            #expect(schedule[taskID: id]?.totalFloat == 0)
            #expect(schedule[taskID: id]?.isCritical == true)
        }
        // C runs Mon 9-Tue 10 (finish point 7) and may finish as late as the project (12).
        let c = try #require(schedule[taskID: 4])
        #expect((c.earlyStart, c.earlyFinish) == (day("2026-11-09"), day("2026-11-10")))
        #expect((c.lateStart, c.lateFinish) == (day("2026-11-16"), day("2026-11-17")))
        #expect(c.totalFloat == 5)
        #expect(c.freeFloat == 5)
        #expect(!c.isCritical)
        #expect(schedule.tasks.map(\.id) == [1, 2, 3, 4], "plan order is kept")
    }

    @Test func freeFloatIsTheSlackBeforeTheFirstSuccessorMoves() throws {
        // A (2) and B (4) both feed C (1); A can slip 2 days before C moves, and C is last.
        let plan = F.plan([F.task(1, 2), F.task(2, 4), F.task(3, 1), F.task(4, 9)],
                          [F.link(1, 3), F.link(2, 3)])
        let schedule = try Scheduler.schedule(plan)
        // D (9 days) sets the finish at point 9; C finishes at 5, so everything before it has 4 more.
        #expect(schedule[taskID: 1]?.freeFloat == 2)
        #expect(schedule[taskID: 1]?.totalFloat == 6)
        #expect(schedule[taskID: 2]?.freeFloat == 0)
        #expect(schedule[taskID: 2]?.totalFloat == 4)
        #expect(schedule[taskID: 3]?.freeFloat == 4)
        #expect(schedule.criticalPath == [4])
    }

    // MARK: Calendar

    @Test func christmasHolidaysAndWeekendsAreSkipped() throws {
        // From Mon 21 Dec 2026: X works 21-23; A starts Thu 24, then Fri 25 (Christmas), the
        // weekend and Mon 28 (the Boxing Day substitute) are skipped; B then meets New Year's Day.
        let plan = F.plan([F.task(1, 3), F.task(2, 3), F.task(3, 2)], [F.link(1, 2), F.link(2, 3)],
                          start: "2026-12-21")
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 1) == "2026-12-21..2026-12-23")
        #expect(Self.dates(schedule, 2) == "2026-12-24..2026-12-30")
        #expect(Self.dates(schedule, 3) == "2026-12-31..2027-01-04")
        #expect(schedule.finish == day("2027-01-04"))
    }

    @Test func aPlanStartingAtTheWeekendStartsOnMonday() throws {
        let schedule = try Scheduler.schedule(F.plan([F.task(1, 1)], start: "2026-11-28"))
        #expect(schedule.start == day("2026-11-30"))
        #expect(Self.dates(schedule, 1) == "2026-11-30..2026-11-30")
    }

    @Test func organisationExceptionsChangeTheWorkingDays() throws {
        // Six days from Mon 23 Nov end on Mon 30 normally; working Saturday 28th ends them then,
        // and a holiday on Wednesday 25th pushes them to Tuesday 1 December.
        let sixDays = [F.task(1, 6)]
        let plain = try Scheduler.schedule(F.plan(sixDays, start: "2026-11-23"))
        #expect(Self.dates(plain, 1) == "2026-11-23..2026-11-30")
        let saturday = try Scheduler.schedule(F.plan(sixDays, start: "2026-11-23",
                                                     calendar: PlanCalendar(extraWorkingDays: [day("2026-11-28")])))
        #expect(Self.dates(saturday, 1) == "2026-11-23..2026-11-28")
        let closed = try Scheduler.schedule(F.plan(sixDays, start: "2026-11-23",
                                                   calendar: PlanCalendar(extraHolidays: [day("2026-11-25")])))
        #expect(Self.dates(closed, 1) == "2026-11-23..2026-12-01")
    }

    // MARK: Milestones

    @Test func milestonesTakeTheDateOfTheirStart() throws {
        // A works Mon 2-Wed 4; milestone M follows it on Thu 5, and B starts the same day.
        // K has no links: it sits at the plan start and may move as late as the finish point.
        let plan = F.plan([F.task(1, 3), F.task(2, 0), F.task(3, 2), F.task(4, 0)],
                          [F.link(1, 2), F.link(2, 3)])
        let schedule = try Scheduler.schedule(plan)
        let m = try #require(schedule[taskID: 2])
        #expect(m.isMilestone)
        #expect((m.earlyStart, m.earlyFinish) == (day("2026-11-05"), day("2026-11-05")))
        #expect(m.totalFloat == 0)
        #expect(Self.dates(schedule, 3) == "2026-11-05..2026-11-06")
        #expect(schedule.criticalPath == [1, 2, 3])
        let k = try #require(schedule[taskID: 4])
        #expect((k.earlyStart, k.earlyFinish) == (day("2026-11-02"), day("2026-11-02")))
        #expect(k.totalFloat == 5)
        #expect(k.lateStart == day("2026-11-09"))
        #expect(schedule.finish == day("2026-11-06"))
    }

    // MARK: Constraints

    @Test func startNoEarlierThanHoldsATaskBack() throws {
        let plan = F.plan([
            F.task(1, 2, TaskConstraint(.startNoEarlierThan, day("2026-11-11"))),
            F.task(2, 2, TaskConstraint(.startNoEarlierThan, day("2026-11-14"))),  // a Saturday
            F.task(3, 2, TaskConstraint(.startNoEarlierThan, day("2026-10-01"))),  // before the plan starts
            F.task(4, 5),
            F.task(5, 1, TaskConstraint(.startNoEarlierThan, day("2026-11-03"))),  // the dependency is later
        ], [F.link(4, 5)])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 1) == "2026-11-11..2026-11-12")
        #expect(Self.dates(schedule, 2) == "2026-11-16..2026-11-17")
        #expect(Self.dates(schedule, 3) == "2026-11-02..2026-11-03")
        #expect(Self.dates(schedule, 5) == "2026-11-09..2026-11-09")
        #expect(schedule.violations.isEmpty)
        #expect(schedule.criticalPath == [2], "the SNET task finishes last and nothing drives it")
    }

    @Test func mustStartOnFixesTheStartAndRemovesTheFloat() throws {
        // A must start Wed 11th; X feeds it and finishes Tue 3rd; B (10 days) sets the finish.
        let plan = F.plan([F.task(1, 2), F.task(2, 2, TaskConstraint(.mustStartOn, day("2026-11-11"))), F.task(3, 10)],
                          [F.link(1, 2)])
        let schedule = try Scheduler.schedule(plan)
        let a = try #require(schedule[taskID: 2])
        #expect((a.earlyStart, a.earlyFinish) == (day("2026-11-11"), day("2026-11-12")))
        #expect(a.lateStart == day("2026-11-11"))
        #expect(a.totalFloat == 0, "it must start on its date, so it cannot slip")
        #expect(a.isCritical)
        #expect(schedule[taskID: 1]?.totalFloat == 5, "X may finish as late as A's fixed start")
        #expect(schedule.violations.isEmpty)
    }

    @Test func anImpossibleMustStartOnIsReportedNotBroken() throws {
        // X takes Mon 2-Fri 6, so A cannot start on Wed 4th: it keeps Mon 9th, 3 working days late.
        let plan = F.plan([F.task(1, 5), F.task(2, 2, TaskConstraint(.mustStartOn, day("2026-11-04")))],
                          [F.link(1, 2)])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 2) == "2026-11-09..2026-11-10")
        #expect(schedule.violations.count == 1)
        let violation = try #require(schedule.violations.first)
        #expect(violation.taskID == 2)
        #expect(violation.constraint == TaskConstraint(.mustStartOn, day("2026-11-04")))
        #expect(violation.problem == .startsLate(scheduledStart: day("2026-11-09"), workingDays: 3))
        #expect(violation.message.contains("Task 2"))
        #expect(violation.message.contains("2026-11-04") && violation.message.contains("2026-11-09"))
        // The constraint still caps the late start, so the chain shows the slippage as negative float.
        #expect(schedule[taskID: 2]?.totalFloat == -3)
        #expect(schedule[taskID: 1]?.totalFloat == -3)
        #expect(schedule[taskID: 1]?.lateStart == day("2026-10-28"), "3 working days before Mon 2 Nov")
    }

    @Test func aMustStartOnBeforeThePlanIsAViolation() throws {
        let plan = F.plan([F.task(1, 2, TaskConstraint(.mustStartOn, day("2026-10-20")))])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 1) == "2026-11-02..2026-11-03")
        #expect(schedule.violations.map(\.problem) == [.beforePlanStart(scheduledStart: day("2026-11-02"))])
        #expect(schedule[taskID: 1]!.totalFloat < 0)
    }

    @Test func finishNoLaterThanCutsTheFloat() throws {
        // A (3 days) must finish by Fri 6th; B (10 days) sets the finish. Without the constraint
        // A could slip 7 days, with it 2 (its late finish is the constraint date).
        let constrained = F.plan([F.task(1, 3, TaskConstraint(.finishNoLaterThan, day("2026-11-06"))), F.task(2, 10)])
        let schedule = try Scheduler.schedule(constrained)
        let a = try #require(schedule[taskID: 1])
        #expect(a.totalFloat == 2)
        #expect(a.lateFinish == day("2026-11-06"))
        #expect(a.freeFloat == 2, "free float never exceeds total float")
        #expect(schedule.violations.isEmpty)
        let free = try Scheduler.schedule(F.plan([F.task(1, 3), F.task(2, 10)]))
        #expect(free[taskID: 1]?.totalFloat == 7)
    }

    @Test func anImpossibleFinishNoLaterThanIsReported() throws {
        // A follows X and finishes Wed 11th, 3 working days after its Fri 6th limit.
        let plan = F.plan([F.task(1, 5), F.task(2, 3, TaskConstraint(.finishNoLaterThan, day("2026-11-06")))],
                          [F.link(1, 2)])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 2) == "2026-11-09..2026-11-11")
        #expect(schedule.violations.map(\.problem) == [.finishesLate(scheduledFinish: day("2026-11-11"), workingDays: 3)])
        #expect(schedule.violations.first?.taskID == 2)
        #expect(schedule[taskID: 2]?.totalFloat == -3)
        #expect(schedule[taskID: 1]?.totalFloat == -3)
        #expect(schedule[taskID: 2]?.lateFinish == day("2026-11-06"))
    }

    @Test func aMilestoneMeetsItsFinishDateOnTheDay() throws {
        // M follows X, so it falls on Mon 9th: a limit of Mon 9th is met, Fri 6th is missed by a day.
        func schedule(limit: String) throws -> Schedule {
            try Scheduler.schedule(F.plan([F.task(1, 5), F.task(2, 0, TaskConstraint(.finishNoLaterThan, day(limit)))],
                                          [F.link(1, 2)]))
        }
        let met = try schedule(limit: "2026-11-09")
        #expect(met.violations.isEmpty)
        #expect(met[taskID: 2]?.totalFloat == 0)
        let missed = try schedule(limit: "2026-11-06")
        #expect(missed.violations.map(\.problem) == [.finishesLate(scheduledFinish: day("2026-11-09"), workingDays: 1)])
        #expect(missed[taskID: 2]?.totalFloat == -1)
    }

    // MARK: Summaries

    /// Design (10) holds A and B; Build (20) holds sub-summary 21 (holding C) and D.
    static let wbsTasks = [
        F.task(10, 0, wbs: "1", summary: true),
        F.task(11, 3, wbs: "1.1"),
        F.task(12, 2, wbs: "1.2"),
        F.task(20, 0, wbs: "2", summary: true),
        F.task(21, 0, wbs: "2.1", summary: true),
        F.task(22, 4, wbs: "2.1.1"),
        F.task(23, 1, wbs: "2.2"),
    ]

    @Test func summariesSpanTheirWork() throws {
        let schedule = try Scheduler.schedule(F.plan(Self.wbsTasks, [F.link(11, 12), F.link(12, 22)]))
        // A Mon 2-Wed 4, B Thu 5-Fri 6, C Mon 9-Thu 12, D on Mon 2 with 8 days' float.
        let design = try #require(schedule[taskID: 10])
        #expect(design.isSummary && !design.isMilestone)
        #expect(Self.dates(schedule, 10) == "2026-11-02..2026-11-06")
        #expect(Self.dates(schedule, 21) == "2026-11-09..2026-11-12")
        #expect(Self.dates(schedule, 20) == "2026-11-02..2026-11-12")
        #expect(schedule[taskID: 23]?.totalFloat == 8)
        #expect(schedule[taskID: 20]?.totalFloat == 0, "a summary has its work's least float")
        #expect(schedule[taskID: 20]?.lateFinish == day("2026-11-12"))
        #expect(schedule.criticalPath == [11, 12, 22])
    }

    @Test func aDependencyBetweenSummariesHoldsBackAllTheirWork() throws {
        // Build waits for all of Design: C and D start Mon 9th.
        let schedule = try Scheduler.schedule(F.plan(Self.wbsTasks, [F.link(11, 12), F.link(10, 20)]))
        #expect(Self.dates(schedule, 22) == "2026-11-09..2026-11-12")
        #expect(Self.dates(schedule, 23) == "2026-11-09..2026-11-09")
        #expect(Self.dates(schedule, 20) == "2026-11-09..2026-11-12")
        #expect(schedule[taskID: 23]?.totalFloat == 3)
        #expect(schedule.criticalPath == [11, 12, 22], "the path runs through the summary link to C")
        #expect(schedule.finish == day("2026-11-12"))
    }

    @Test func summaryLinksMatchTheSameLinksOnEveryTask() throws {
        // FF from Design and SS onto Build, with lags, against the links spelt out task by task.
        let viaSummaries = [F.link(11, 12), F.link(10, 23, .finishToFinish, lag: 2), F.link(11, 20, .startToStart, lag: 1)]
        let spelledOut = [F.link(11, 12), F.link(11, 23, .finishToFinish, lag: 2), F.link(12, 23, .finishToFinish, lag: 2),
                          F.link(11, 22, .startToStart, lag: 1), F.link(11, 23, .startToStart, lag: 1)]
        let a = try Scheduler.schedule(F.plan(Self.wbsTasks, viaSummaries))
        let b = try Scheduler.schedule(F.plan(Self.wbsTasks, spelledOut))
        #expect(a.tasks == b.tasks)
        #expect(Self.dates(a, 23) == "2026-11-10..2026-11-10", "D finishes 2 days after B (point 5 + 2)")
    }

    @Test func summaryConstraintsApplyToTheirWork() throws {
        let tasks = Self.wbsTasks.map { task -> PlanTask in
            var task = task
            if task.id == 20 { task.constraint = TaskConstraint(.startNoEarlierThan, day("2026-11-16")) }
            if task.id == 10 { task.constraint = TaskConstraint(.finishNoLaterThan, day("2026-11-05")) }
            return task
        }
        let schedule = try Scheduler.schedule(F.plan(tasks, [F.link(11, 12)]))
        #expect(Self.dates(schedule, 22) == "2026-11-16..2026-11-19")
        #expect(Self.dates(schedule, 23) == "2026-11-16..2026-11-16")
        // Design's work finishes Fri 6th, a day after its limit: reported on the summary.
        #expect(schedule.violations.map(\.taskID) == [10])
        #expect(schedule.violations.first?.problem == .finishesLate(scheduledFinish: day("2026-11-06"), workingDays: 1))
        #expect(schedule[taskID: 12]?.totalFloat == -1)
    }

    @Test func summaryLinksByTheWrongEndAreRejected() {
        let fromStart = F.link(10, 23, .startToStart)
        #expect(F.error(F.plan(Self.wbsTasks, [fromStart])) == .summaryDependency(fromStart))
        let ontoFinish = F.link(11, 20, .finishToFinish)
        #expect(F.error(F.plan(Self.wbsTasks, [ontoFinish])) == .summaryDependency(ontoFinish))
        let message = SchedulingError.summaryDependency(fromStart).description
        #expect(message.contains("10") && message.contains("23") && message.contains("SS"))
    }

    @Test func aTaskWaitingForItsOwnSummaryIsALoop() {
        #expect(F.error(F.plan(Self.wbsTasks, [F.link(10, 12)])) == .cycle([10, 12]))
    }

    @Test func aLoopThroughASummaryNamesTheSummaryOnce() {
        // D waits for Design, and Design waits for D: the loop is Design → D, not its tasks.
        #expect(F.error(F.plan(Self.wbsTasks, [F.link(10, 23), F.link(23, 10)])) == .cycle([10, 23]))
        // Through two summaries: Design → Build (containing 21 and D) → Design.
        #expect(F.error(F.plan(Self.wbsTasks, [F.link(10, 20), F.link(20, 10)])) == .cycle([10, 20]))
    }

    // MARK: Errors

    @Test func aThreeTaskLoopIsReportedWithExactlyThoseTasks() {
        // 4 feeds the loop and 5 hangs off it; neither is part of it.
        let plan = F.plan((1...5).map { F.task($0, 2) },
                          [F.link(4, 1), F.link(1, 2), F.link(2, 3, .startToStart), F.link(3, 1, .finishToFinish), F.link(3, 5)])
        let error = F.error(plan)
        #expect(error == .cycle([1, 2, 3]))
        #expect(error?.description.contains("1 → 2 → 3 → 1") == true)
    }

    @Test func loopsAreReportedInLoopOrder() {
        let plan = F.plan([F.task(5, 1), F.task(7, 1), F.task(9, 1), F.task(11, 1)],
                          [F.link(11, 5), F.link(5, 9), F.link(9, 7), F.link(7, 5)])
        #expect(F.error(plan) == .cycle([5, 9, 7]))
        #expect(F.error(F.plan([F.task(1, 1), F.task(2, 1)], [F.link(1, 2), F.link(2, 2)])) == .cycle([2]))
    }

    @Test func unknownTasksAreNamed() {
        let fromNowhere = F.link(99, 1)
        #expect(F.error(F.plan([F.task(1, 1)], [fromNowhere])) == .unknownTask(99, dependency: fromNowhere))
        let toNowhere = F.link(1, 77)
        #expect(F.error(F.plan([F.task(1, 1)], [toNowhere])) == .unknownTask(77, dependency: toNowhere))
        #expect(SchedulingError.unknownTask(99, dependency: fromNowhere).description.contains("task 99"))
    }

    @Test func negativeDurationsAndDuplicateIDsAreRejected() {
        #expect(F.error(F.plan([F.task(1, 2), F.task(2, -1)])) == .negativeDuration(taskID: 2, duration: -1))
        #expect(F.error(F.plan([F.task(1, 2), F.task(2, 1), F.task(1, 3)])) == .duplicateTaskID(1))
        // Ids far apart take the dictionary path.
        #expect(F.error(F.plan([F.task(5, 2), F.task(1_000_000_000, 1), F.task(5, 3)])) == .duplicateTaskID(5))
    }

    @Test func absurdDurationsLagsAndDatesAreRejectedNotOverflowed() {
        #expect(F.error(F.plan([F.task(1, 2), F.task(2, 2_000_000)])) == .outOfRange(taskID: 2))
        #expect(F.error(F.plan([F.task(1, 2), F.task(2, 1)], [F.link(1, 2, lag: .min)])) == .outOfRange(taskID: 2))
        let farFuture = TaskConstraint(.startNoEarlierThan, day("9000-01-01"))
        #expect(F.error(F.plan([F.task(1, 2), F.task(2, 1, farFuture)])) == .outOfRange(taskID: 2))
        #expect(F.error(F.plan([F.task(7, 1, TaskConstraint(.mustStartOn, Day(ordinal: .min)))])) == .outOfRange(taskID: 7))
        // Each duration is allowed, but the chain runs past the horizon at task 3.
        let chain = F.plan([F.task(1, 400_000), F.task(2, 400_000), F.task(3, 400_000)], [F.link(1, 2), F.link(2, 3)])
        #expect(F.error(chain) == .outOfRange(taskID: 3))
    }

    @Test func farButReachableDatesSchedule() throws {
        // A finish-no-later-than in 1900 is far in the past but within reach: a violation, not an error.
        let plan = F.plan([F.task(1, 2, TaskConstraint(.finishNoLaterThan, day("1900-01-01")))])
        let schedule = try Scheduler.schedule(plan)
        #expect(schedule.violations.count == 1)
        #expect(schedule[taskID: 1]?.lateFinish == day("1900-01-01"))
    }

    @Test func sparseIDsSchedule() throws {
        let plan = F.plan([F.task(-4, 2), F.task(1_000_000_000, 3)], [F.link(-4, 1_000_000_000)])
        let schedule = try Scheduler.schedule(plan)
        #expect(Self.dates(schedule, 1_000_000_000) == "2026-11-04..2026-11-06")
        #expect(schedule.criticalPath == [-4, 1_000_000_000])
        #expect(schedule[taskID: 3] == nil)
    }

    @Test func anEmptyPlanFinishesWhereItStarts() throws {
        let schedule = try Scheduler.schedule(F.plan([], start: "2026-11-01"))
        #expect(schedule.tasks.isEmpty && schedule.criticalPath.isEmpty && schedule.violations.isEmpty)
        #expect(schedule.finish == day("2026-11-02"))
    }

    // MARK: Benchmark network

    @Test func theBenchmarkNetworkIsDeterministicAndSchedulable() throws {
        let plan = SchedulingBenchmark.network(tasks: 3_000, dependencies: 4_500, seed: 7)
        #expect(plan == SchedulingBenchmark.network(tasks: 3_000, dependencies: 4_500, seed: 7))
        #expect(plan != SchedulingBenchmark.network(tasks: 3_000, dependencies: 4_500, seed: 8))
        #expect(plan.tasks.count == 3_000 && plan.dependencies.count == 4_500)
        #expect(Set(DependencyKind.allCases) == Set(plan.dependencies.map(\.kind)), "all four kinds")
        #expect(plan.dependencies.contains { $0.lag < 0 } && plan.dependencies.contains { $0.lag > 0 })
        #expect(plan.tasks.contains { $0.isSummary } && plan.tasks.contains { $0.isMilestone })
        #expect(Set(plan.tasks.compactMap(\.constraint?.kind)).count == 3, "SNET, MSO and FNLT")
        let schedule = try Scheduler.schedule(plan)
        #expect(!schedule.criticalPath.isEmpty)
        #expect(SchedulingBenchmark.network(tasks: 0, dependencies: 10, seed: 1).tasks.isEmpty)
        #expect(SchedulingBenchmark.network(tasks: 2, dependencies: 10, seed: 1).dependencies.isEmpty, "one layer, nothing to link")
    }

    @Test func theBaselineIsTheFinishToStartLongestPath() throws {
        // With every link FS and no lag, constraints or summary links, the scheduler must find
        // the same project length as the baseline's plain pass.
        var plan = SchedulingBenchmark.network(tasks: 2_000, dependencies: 3_000, seed: 3)
        let original = try #require(SchedulingBenchmark.baselinePass(plan))
        for i in plan.tasks.indices { plan.tasks[i].constraint = nil }
        for i in plan.dependencies.indices {
            plan.dependencies[i].kind = .finishToStart
            plan.dependencies[i].lag = 0
        }
        let baseline = try #require(SchedulingBenchmark.baselinePass(plan))
        #expect(baseline == original, "the baseline ignores kinds, lags and constraints")
        let schedule = try Scheduler.schedule(plan)
        let calendar = plan.calendar.working
        let lastDay = schedule.tasks.filter { !$0.isMilestone }.map(\.earlyFinish).max()!
        #expect(calendar.workingDays(from: schedule.start, to: lastDay) + 1 == baseline.finish)
        #expect(schedule.tasks.filter { !$0.isSummary && $0.isCritical }.count == baseline.criticalTasks)
        // A loop makes the baseline give up rather than answer.
        plan.dependencies.append(SchedulingFixture.link(plan.dependencies[0].successorID, plan.dependencies[0].predecessor.taskID))
        #expect(SchedulingBenchmark.baselinePass(plan) == nil)
    }

    // MARK: Other projects

    @Test func anotherProjectsTaskHoldsBackItsSuccessor() throws {
        let theirs = TaskReference(projectCode: "RXY-PACS", taskID: 7)
        let plan = F.plan([F.task(1, 2), F.task(2, 1)],
                          [Dependency(predecessor: theirs, successorID: 1), F.link(1, 2)])
        // Their task finishes Fri 13th, so ours starts Mon 16th.
        let external = [theirs: ExternalTaskDates(start: day("2026-11-09"), finish: day("2026-11-13"))]
        let schedule = try Scheduler.schedule(plan, external: external)
        #expect(Self.dates(schedule, 1) == "2026-11-16..2026-11-17")
        #expect(schedule.criticalPath == [1, 2])
        #expect(F.error(plan) == .missingExternalDates(theirs, successorID: 1))
        // A milestone of theirs on Wed 11th lets ours start that day; SS +1 from their start, Tue 10th.
        let milestone = [theirs: ExternalTaskDates(start: day("2026-11-11"), finish: day("2026-11-11"), isMilestone: true)]
        #expect(Self.dates(try Scheduler.schedule(plan, external: milestone), 1) == "2026-11-11..2026-11-12")
        let ss = F.plan([F.task(1, 2)], [Dependency(predecessor: theirs, successorID: 1, kind: .startToStart, lag: 1)])
        #expect(Self.dates(try Scheduler.schedule(ss, external: external), 1) == "2026-11-10..2026-11-11")
    }

    @Test func oneProjectsScheduleFeedsAnother() throws {
        let pacs = F.plan([F.task(1, 5), F.task(2, 0)], [F.link(1, 2)], code: "PACS")
        let pacsSchedule = try Scheduler.schedule(pacs)
        let ris = F.plan([F.task(1, 3), F.task(2, 2)],
                         [Dependency(predecessor: TaskReference(projectCode: "PACS", taskID: 2), successorID: 1),
                          Dependency(predecessor: TaskReference(projectCode: "RIS", taskID: 1), successorID: 2)],
                         code: "RIS")
        let schedule = try Scheduler.schedule(ris, external: pacsSchedule.externalDates())
        // The PACS milestone falls on Mon 9th; RIS's own code names its own task 1.
        #expect(Self.dates(schedule, 1) == "2026-11-09..2026-11-11")
        #expect(Self.dates(schedule, 2) == "2026-11-12..2026-11-13")
    }
}
