/// Turning a scheduled `CPMNetwork` back into dates, summaries, violations and the critical path.
extension CPMNetwork {
    /// A summary's dates, gathered from its work (indices; a finish index is the last day worked).
    private struct Span {
        var start = Int.max, finish = Int.min, lateStart = Int.max, lateFinish = Int.min
        var totalFloat = Int.max, freeFloat = Int.max

        mutating func add(_ other: Span) {
            start = min(start, other.start)
            finish = max(finish, other.finish)
            lateStart = min(lateStart, other.lateStart)
            lateFinish = max(lateFinish, other.lateFinish)
            totalFloat = min(totalFloat, other.totalFloat)
            freeFloat = min(freeFloat, other.freeFloat)
        }

        var isEmpty: Bool { start == .max }
    }

    /// The dates of task or summary `i` in index space. An empty summary is a milestone at its
    /// start gate. Free float never exceeds total float (nor falls below 0).
    private func span(_ i: Int, summarySpans: [Span]) -> Span {
        if isGate[i] {
            let rolled = summarySpans[Int(finishGate[i]) - taskCount]
            if !rolled.isEmpty { return rolled }
        }
        let last = max(duration[i], 1) - 1
        let start = earlyStart[i], late = lateStart[i]
        let total = late - start
        return Span(start: start, finish: start + last, lateStart: late, lateFinish: late + last,
                    totalFloat: total, freeFloat: min(freeFloat[i], max(total, 0)))
    }

    func schedule(_ plan: ProjectPlan, line: inout WorkingDayLine) -> Schedule {
        let n = taskCount

        // Each summary spans its work: tasks fold into their parent, then summaries into theirs,
        // deepest first.
        var summarySpans = [Span](repeating: Span(), count: nodeCount - n)
        if !summaries.isEmpty {
            for i in 0..<n where !isGate[i] && parent[i] >= 0 {
                summarySpans[Int(finishGate[Int(parent[i])]) - n].add(span(i, summarySpans: []))
            }
            for s in summaries.reversed() where parent[s] >= 0 {
                let own = summarySpans[Int(finishGate[s]) - n]
                if !own.isEmpty { summarySpans[Int(finishGate[Int(parent[s])]) - n].add(own) }
            }
        }

        // Dates for every index the results use, as one flat table of day ordinals.
        var lowest = 0
        for v in 0..<n where lateStart[v] < lowest { lowest = lateStart[v] }
        let highest = max(projectFinish, 0)
        line.cover(lowest...highest)
        let ordinals = (lowest...highest).map { line.day(at: $0).ordinal }

        var latestFinish = Int.min
        let scheduled = [ScheduledTask](unsafeUninitializedCapacity: n) { buffer, count in
            ordinals.withUnsafeBufferPointer { ordinals in
                func day(_ index: Int) -> Day { Day(ordinal: ordinals[index - lowest]) }
                for i in 0..<n {
                    let dates = isGate[i] ? span(i, summarySpans: summarySpans) : span(i, summarySpans: [])
                    if dates.finish > latestFinish { latestFinish = dates.finish }
                    (buffer.baseAddress! + i).initialize(to: ScheduledTask(
                        id: taskIDs[i], isSummary: isGate[i], isMilestone: !isGate[i] && duration[i] == 0,
                        earlyStart: day(dates.start), earlyFinish: day(dates.finish),
                        lateStart: day(dates.lateStart), lateFinish: day(dates.lateFinish),
                        totalFloat: dates.totalFloat, freeFloat: dates.freeFloat))
                }
            }
            count = n
        }

        var violations: [ConstraintViolation] = []
        for (i, index) in constrained {
            let task = plan.tasks[i]
            guard let constraint = task.constraint else { continue }
            let dates = span(i, summarySpans: summarySpans)
            let result = scheduled[i]
            let problem: ConstraintViolation.Problem
            if constraint.kind == .mustStartOn {
                if index < 0 {
                    problem = .beforePlanStart(scheduledStart: result.earlyStart)
                } else if dates.start > index {
                    problem = .startsLate(scheduledStart: result.earlyStart, workingDays: dates.start - index)
                } else { continue }
            } else {
                // The last day worked must come before the finish point that ends on the date.
                guard dates.finish > index - 1 else { continue }
                problem = .finishesLate(scheduledFinish: result.earlyFinish, workingDays: dates.finish - (index - 1))
            }
            violations.append(ConstraintViolation(
                taskID: task.id, constraint: constraint, problem: problem,
                message: Self.message(task, constraint, problem, planStart: plan.start)))
        }

        return Schedule(projectCode: plan.projectCode, start: line.day(at: 0),
                        finish: n == 0 ? line.day(at: 0) : line.day(at: latestFinish),
                        tasks: scheduled, criticalPath: criticalPath(), violations: violations,
                        positions: positions)
    }

    /// Back from the task that finishes last (least float first), along each task's driver.
    private func criticalPath() -> [Int] {
        var end = -1, endFinish = Int.min, endFloat = Int.max
        for i in 0..<taskCount where !isGate[i] {
            let finish = earlyStart[i] + duration[i]
            let float = lateStart[i] - earlyStart[i]
            if finish > endFinish || (finish == endFinish && float < endFloat) {
                (end, endFinish, endFloat) = (i, finish, float)
            }
        }
        guard end >= 0 else { return [] }
        var path = [taskIDs[end]]
        var v = Int(driver[end])
        while v >= 0 {
            if v < taskCount && !isGate[v] { path.append(taskIDs[v]) }
            v = Int(driver[v])
        }
        return path.reversed()
    }

    private static func message(_ task: PlanTask, _ constraint: TaskConstraint, _ problem: ConstraintViolation.Problem,
                                planStart: Day) -> String {
        let name = "Task \(task.id) '\(task.name)'"
        func days(_ count: Int) -> String { count == 1 ? "1 working day" : "\(count) working days" }
        switch problem {
        case .startsLate(let start, let late):
            let cause = task.isSummary ? "its work cannot start until" : "its dependencies push it to"
            return "\(name) must start on \(constraint.date) but \(cause) \(start), \(days(late)) late."
        case .beforePlanStart(let start):
            return "\(name) must start on \(constraint.date), before the plan starts on \(planStart); "
                + "it is scheduled to start on \(start)."
        case .finishesLate(let finish, let late):
            return "\(name) must finish no later than \(constraint.date) but cannot finish until \(finish), \(days(late)) late."
        }
    }
}
