/// What a supplier's plan says about the project's mandated NSI milestones (DOMAIN.md §4):
/// each one the project carries must appear in the plan, no later than its baseline, in order.
public struct PlanFinding: Hashable, Sendable {
    public enum Kind: String, Sendable { case missing, laterThanBaseline = "later than baseline", outOfOrder = "out of order" }
    public var kind: Kind
    public var milestone: MilestoneKind
    public var message: String
}

public enum PlanChecks {
    /// `finishes` holds each task's scheduled finish (for milestones, their date).
    public static func nsiDiff(project: ImplementationProject, plan: ProjectPlan, finishes: [Int: Day],
                               calendar: WorkingCalendar) -> [PlanFinding] {
        var findings: [PlanFinding] = []
        var previous: (kind: MilestoneKind, date: Day)?
        for milestone in project.milestones {
            let kind = milestone.kind
            guard let task = plan.tasks.first(where: { $0.nsiMilestone == kind }), let date = finishes[task.id] else {
                findings.append(PlanFinding(kind: .missing, milestone: kind,
                                            message: "The plan has no task mapped to \(kind.title), which \(project.type.title) projects must report."))
                continue
            }
            if let baseline = milestone.baseline, date > baseline {
                let late = calendar.workingDays(from: baseline, to: date)
                findings.append(PlanFinding(kind: .laterThanBaseline, milestone: kind,
                                            message: "\(kind.title) is planned for \(date.iso), \(late) working days after its baseline \(baseline.iso) (task \(task.id) \(task.name))."))
            }
            if let previous, date < previous.date {
                findings.append(PlanFinding(kind: .outOfOrder, milestone: kind,
                                            message: "\(kind.title) (\(date.iso)) is planned before \(previous.kind.title) (\(previous.date.iso)); the milestones must be achieved in order."))
            }
            previous = (kind, date)
        }
        return findings
    }
}
