/// Critical path scheduling of a `ProjectPlan` (no I/O).
///
/// Conventions (as in MS Project):
/// - Time is counted in working days of the plan's calendar. Working day 0 is the first working
///   day on or after `plan.start`; no task starts before it.
/// - A task of duration d ≥ 1 that starts on working day s works days s…s+d−1: its start date is
///   day s and its finish date is day s+d−1. A milestone (d = 0) starts and finishes on day s.
/// - Relations, with lag L in working days (negative is a lead), where a task's finish point is
///   its start plus its duration:
///   FS: successor start ≥ predecessor finish + L;   SS: successor start ≥ predecessor start + L;
///   FF: successor finish ≥ predecessor finish + L;  SF: successor finish ≥ predecessor start + L.
/// - Constraints: start no earlier than (SNET) raises the early start to the first working day on
///   or after its date; must start on (MSO) fixes both early and late start there, but if the
///   dependencies force a later start that later start is kept and a violation reported; finish no
///   later than (FNLT) caps the late finish, and an early finish after its date is reported as a
///   violation (the task and its drivers get negative total float). Nothing is broken silently.
///
/// Summary tasks group their WBS descendants (wbs "1.2" is the parent of "1.2.x"); their dates
/// span those descendants. A dependency *from* a summary may be FS or FF (it waits for all of the
/// summary's work to finish); a dependency *onto* a summary may be FS or SS (it holds back all of
/// the summary's work). Those are exactly equivalent to the same dependency on every descendant.
/// SS/SF from a summary and FF/SF onto one would tie a successor to the earliest or latest of
/// several tasks, which a critical path cannot express, so they are rejected with
/// `SchedulingError.summaryDependency`. SNET and FNLT on a summary apply to all its work; MSO on a
/// summary holds all its work back to the date and is violated when the work starts later.
///
/// Durations, lags, dates and the resulting schedule must stay within 1,000,000 working days of
/// the plan start (`SchedulingError.outOfRange`), so bad data cannot overflow or exhaust memory.
public enum Scheduler {
    /// Schedules `plan`. `external` gives the dates of other projects' tasks that this plan's
    /// dependencies name; they act as lower bounds on their successors. A reference whose
    /// project code is this plan's own is treated as a task of this plan.
    public static func schedule(_ plan: ProjectPlan,
                                external: [TaskReference: ExternalTaskDates] = [:]) throws(SchedulingError) -> Schedule {
        var line = WorkingDayLine(calendar: plan.calendar.working, origin: plan.start)
        var network = try CPMNetwork(plan: plan, external: external, line: &line)
        try network.forwardPass()
        try network.backwardPass()
        return network.schedule(plan, line: &line)
    }
}

/// The dates of a task in another project, as that project last scheduled it.
public struct ExternalTaskDates: Hashable, Sendable, Codable {
    public var start: Day
    /// The last day worked; for a milestone, its date.
    public var finish: Day
    /// A milestone finishes at the start of its day, so an FS successor may start the same day.
    public var isMilestone: Bool

    public init(start: Day, finish: Day, isMilestone: Bool = false) {
        self.start = start
        self.finish = finish
        self.isMilestone = isMilestone
    }
}

/// One task's scheduled dates.
public struct ScheduledTask: Hashable, Sendable {
    public let id: Int
    public let isSummary: Bool
    public let isMilestone: Bool
    public let earlyStart: Day
    public let earlyFinish: Day
    public let lateStart: Day
    public let lateFinish: Day
    /// Working days the task can slip without moving the project finish or breaking a constraint;
    /// negative only when a constraint is violated. A summary has its descendants' least.
    public let totalFloat: Int
    /// Working days the task can slip without delaying any successor's early start (never more
    /// than the total float, nor less than 0). A summary has its descendants' least.
    public let freeFloat: Int

    /// On the critical path: no total float (a summary is critical when any of its work is).
    public var isCritical: Bool { totalFloat <= 0 }
}

/// The result of `Scheduler.schedule`.
public struct Schedule: Sendable {
    public let projectCode: String
    /// Working day 0: the first working day on or after the plan's start.
    public let start: Day
    /// The latest finish date of any task (the start when the plan has no tasks).
    public let finish: Day
    /// Aligned with `plan.tasks`.
    public let tasks: [ScheduledTask]
    /// Task ids of one chain of critical work, first to last: it starts at a task that nothing
    /// critical drives and follows driving dependencies to a task that ends at the project finish.
    /// Summary tasks are not listed (a dependency on a summary is driven by its work).
    public let criticalPath: [Int]
    /// Constraints the dependencies make impossible, in plan order.
    public let violations: [ConstraintViolation]

    let positions: TaskIndex

    /// The scheduled task with this id, if the plan has one.
    public subscript(taskID id: Int) -> ScheduledTask? {
        positions.position(of: id).map { tasks[$0] }
    }

    /// This schedule's dates as another plan's `external` argument sees them.
    public func externalDates() -> [TaskReference: ExternalTaskDates] {
        var result: [TaskReference: ExternalTaskDates] = [:]
        result.reserveCapacity(tasks.count)
        for task in tasks {
            result[TaskReference(projectCode: projectCode, taskID: task.id)] =
                ExternalTaskDates(start: task.earlyStart, finish: task.earlyFinish, isMilestone: task.isMilestone)
        }
        return result
    }
}

/// A constraint the schedule cannot honour, and what happens instead.
public struct ConstraintViolation: Hashable, Sendable, CustomStringConvertible {
    public enum Problem: Hashable, Sendable {
        /// Must start on: the dependencies (or the task's own work, for a summary) start it
        /// `workingDays` working days after the date.
        case startsLate(scheduledStart: Day, workingDays: Int)
        /// Must start on a date before the plan starts.
        case beforePlanStart(scheduledStart: Day)
        /// Finish no later than: the early finish falls `workingDays` working days after the date.
        case finishesLate(scheduledFinish: Day, workingDays: Int)
    }

    public let taskID: Int
    public let constraint: TaskConstraint
    public let problem: Problem
    /// A sentence naming the task, the constraint and what the schedule does instead.
    public let message: String

    public var description: String { message }
}

public enum SchedulingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Two tasks share this id.
    case duplicateTaskID(Int)
    case negativeDuration(taskID: Int, duration: Int)
    /// The dependency names a task id (predecessor or successor) that is not in this plan.
    case unknownTask(Int, dependency: Dependency)
    /// The dependency's predecessor is another project's task and `external` has no dates for it.
    case missingExternalDates(TaskReference, successorID: Int)
    /// SS or SF from a summary task, or FF or SF onto one (see `Scheduler`).
    case summaryDependency(Dependency)
    /// Task ids that form a dependency loop, in loop order: each depends on the one before and
    /// the first on the last. A summary stands for its work (a task depending on its own summary
    /// is a loop).
    case cycle([Int])
    /// The task's duration, a lag into it, a date it depends on, or its dates in the schedule
    /// lie more than 1,000,000 working days (about 3,900 years) from the plan start.
    case outOfRange(taskID: Int)

    public var description: String {
        switch self {
        case .duplicateTaskID(let id):
            return "Two tasks have the id \(id); task ids must be unique within a plan."
        case .negativeDuration(let id, let duration):
            return "Task \(id) has a negative duration (\(duration) working days)."
        case .unknownTask(let id, let dependency):
            return "The dependency \(Self.describe(dependency)) names task \(id), which is not in this plan."
        case .missingExternalDates(let reference, let successor):
            return "Task \(successor) depends on task \(reference.taskID) of project \(reference.projectCode ?? "?"), "
                + "but no dates were given for it."
        case .summaryDependency(let dependency):
            return "The dependency \(Self.describe(dependency)) links a summary task by its "
                + (dependency.kind == .startToStart || dependency.kind == .startToFinish ? "start" : "finish")
                + "; only FS or FF from a summary and FS or SS onto one can be scheduled. "
                + "Link the summary's first or last task instead."
        case .outOfRange(let id):
            return "Task \(id) has a duration, lag or date more than 1,000,000 working days from the plan start, "
                + "or its dependencies put it there."
        case .cycle(let ids):
            let loop = (ids + ids.prefix(1)).map(String.init).joined(separator: " → ")
            return "Tasks \(loop) form a dependency loop, so none of them can be scheduled."
        }
    }

    static func describe(_ dependency: Dependency) -> String {
        let predecessor = dependency.predecessor
        let from = predecessor.projectCode.map { "\($0):\(predecessor.taskID)" } ?? String(predecessor.taskID)
        let lag = dependency.lag == 0 ? "" : (dependency.lag > 0 ? "+\(dependency.lag)" : String(dependency.lag))
        return "\(from) → \(dependency.successorID) (\(dependency.kind.rawValue)\(lag))"
    }
}
