/// The forecast and actual dates a project manager records for one milestone.
public struct MilestoneDates: Hashable, Sendable {
    public var forecast: Day?
    public var actual: Day?
    public init(forecast: Day?, actual: Day?) {
        self.forecast = forecast
        self.actual = actual
    }
}

public enum MilestoneRules {
    public static func field(_ part: String, _ kind: MilestoneKind) -> String { "\(part).\(kind.rawValue)" }

    /// Applies recorded dates to a project, or reports every rule they break:
    /// - a project carries only its type's milestones (ESP never has the LSP-only ones);
    /// - an actual date cannot be after `today`;
    /// - milestones are achieved in order: each needs every earlier one achieved, on or before it.
    /// Versions of changed milestones go up by one; the project's version is the store's business.
    public static func apply(_ changes: [MilestoneKind: MilestoneDates], to project: ImplementationProject,
                             today: Day) throws(ValidationFailure) -> ImplementationProject {
        var errors: [FieldError] = []
        let carried = Set(project.milestones.map(\.kind))
        for kind in changes.keys.sorted() where !carried.contains(kind) {
            errors.append(FieldError(
                field: field("milestone", kind),
                message: "\(project.type.title) projects do not carry the \(kind.title) milestone."))
        }
        var updated = project
        for index in updated.milestones.indices {
            let kind = updated.milestones[index].kind
            guard let change = changes[kind] else { continue }
            if let actual = change.actual, actual > today {
                errors.append(FieldError(
                    field: field("actual", kind),
                    message: "\(kind.title): an actual date cannot be in the future (today is \(today.iso))."))
            }
            if updated.milestones[index].forecast != change.forecast || updated.milestones[index].actual != change.actual {
                updated.milestones[index].forecast = change.forecast
                updated.milestones[index].actual = change.actual
                updated.milestones[index].version += 1
            }
        }
        errors += orderErrors(in: updated.milestones)
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return updated
    }

    static func orderErrors(in milestones: [Milestone]) -> [FieldError] {
        var errors: [FieldError] = []
        var previous: Milestone?
        for milestone in milestones {
            defer { previous = milestone }
            guard let actual = milestone.actual, let before = previous else { continue }
            if let earlier = milestones.first(where: { $0.kind < milestone.kind && $0.actual == nil }) {
                errors.append(FieldError(
                    field: field("actual", milestone.kind),
                    message: "\(milestone.kind.title) cannot be achieved before \(earlier.kind.title): milestones are completed in order."))
            } else if let beforeActual = before.actual, actual < beforeActual {
                errors.append(FieldError(
                    field: field("actual", milestone.kind),
                    message: "\(milestone.kind.title) (\(actual.iso)) cannot be achieved before \(before.kind.title) (\(beforeActual.iso))."))
            }
        }
        return errors
    }
}
