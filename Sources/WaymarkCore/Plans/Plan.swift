/// A project plan (DOMAIN.md §9): tasks in a work breakdown structure with durations in working
/// days, dependencies (possibly on other projects' tasks), constraints, and a calendar.
public struct ProjectPlan: Hashable, Sendable {
    public var projectCode: String
    /// The earliest day any task may start.
    public var start: Day
    public var tasks: [PlanTask]
    public var dependencies: [Dependency]
    public var calendar: PlanCalendar

    public init(projectCode: String, start: Day, tasks: [PlanTask] = [], dependencies: [Dependency] = [],
                calendar: PlanCalendar = PlanCalendar()) {
        self.projectCode = projectCode
        self.start = start
        self.tasks = tasks
        self.dependencies = dependencies
        self.calendar = calendar
    }
}

/// One task. A duration of 0 makes it a milestone; a summary task only groups its WBS children
/// and is not scheduled itself (its dates span theirs).
public struct PlanTask: Hashable, Sendable, Codable {
    /// Unique within the plan (MS Project's UID, Primavera's task id).
    public var id: Int
    /// Outline position, e.g. "1.2.3".
    public var wbs: String
    public var name: String
    /// Working days, never negative.
    public var duration: Int
    public var isSummary: Bool
    public var constraint: TaskConstraint?
    /// The NSI reporting milestone this task stands for, if any.
    public var nsiMilestone: MilestoneKind?

    public init(id: Int, wbs: String, name: String, duration: Int, isSummary: Bool = false,
                constraint: TaskConstraint? = nil, nsiMilestone: MilestoneKind? = nil) {
        self.id = id
        self.wbs = wbs
        self.name = name
        self.duration = duration
        self.isSummary = isSummary
        self.constraint = constraint
        self.nsiMilestone = nsiMilestone
    }

    public var isMilestone: Bool { duration == 0 && !isSummary }
}

public enum ConstraintKind: String, CaseIterable, Sendable, Codable {
    case startNoEarlierThan = "SNET"
    case finishNoLaterThan = "FNLT"
    case mustStartOn = "MSO"

    public var title: String {
        switch self {
        case .startNoEarlierThan: "Start no earlier than"
        case .finishNoLaterThan: "Finish no later than"
        case .mustStartOn: "Must start on"
        }
    }
}

public struct TaskConstraint: Hashable, Sendable, Codable {
    public var kind: ConstraintKind
    public var date: Day
    public init(_ kind: ConstraintKind, _ date: Day) {
        self.kind = kind
        self.date = date
    }
}

public enum DependencyKind: String, CaseIterable, Sendable, Codable {
    case finishToStart = "FS"
    case startToStart = "SS"
    case finishToFinish = "FF"
    case startToFinish = "SF"
}

/// A task in this plan (`projectCode` nil) or in another project's plan.
public struct TaskReference: Hashable, Sendable, Codable {
    public var projectCode: String?
    public var taskID: Int
    public init(projectCode: String? = nil, taskID: Int) {
        self.projectCode = projectCode
        self.taskID = taskID
    }
}

public struct Dependency: Hashable, Sendable, Codable {
    public var predecessor: TaskReference
    public var successorID: Int
    public var kind: DependencyKind
    /// Working days; negative is a lead.
    public var lag: Int

    public init(predecessor: TaskReference, successorID: Int, kind: DependencyKind = .finishToStart, lag: Int = 0) {
        self.predecessor = predecessor
        self.successorID = successorID
        self.kind = kind
        self.lag = lag
    }
}

/// A plan's calendar: English bank holidays by default, with the organisation's exceptions.
public struct PlanCalendar: Hashable, Sendable, Codable {
    public var name: String
    public var extraHolidays: Set<Day>
    public var extraWorkingDays: Set<Day>

    public init(name: String = "England and Wales", extraHolidays: Set<Day> = [], extraWorkingDays: Set<Day> = []) {
        self.name = name
        self.extraHolidays = extraHolidays
        self.extraWorkingDays = extraWorkingDays
    }

    public var working: WorkingCalendar { WorkingCalendar.england.with(holidays: extraHolidays, workingDays: extraWorkingDays) }
}

/// A saved copy of a plan's dates, for variance.
public struct PlanBaseline: Hashable, Sendable {
    public var name: String
    /// When it was saved (ISO timestamp).
    public var savedAt: String
    public var tasks: [Int: BaselineDates]

    public init(name: String, savedAt: String, tasks: [Int: BaselineDates]) {
        self.name = name
        self.savedAt = savedAt
        self.tasks = tasks
    }
}

public struct BaselineDates: Hashable, Sendable, Codable {
    public var start: Day
    public var finish: Day
    public var duration: Int
    public init(start: Day, finish: Day, duration: Int) {
        self.start = start
        self.finish = finish
        self.duration = duration
    }
}
