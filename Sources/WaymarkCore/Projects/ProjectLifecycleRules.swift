/// When a project may be created, closed or cancelled (issue 13, guide §4.2.3, §4.4.1.6).
/// Field errors are keyed by the form's names: `baseline.<milestone>` for each baseline.
public enum ProjectLifecycleRules {
    /// Projects sit at a site or a trust that is open.
    public static let levels: Set<OrganisationKind> = [.trust, .site]

    /// The release a new project of `productCode` takes, or why it cannot start yet: every
    /// earlier release must have gone live, closed or been cancelled.
    public static func nextRelease(after releases: [ImplementationProject]) -> Result<Int, ValidationFailure> {
        let open = releases.filter { $0.isLive && $0.milestone(.goLiveCompleted)?.isAchieved != true }
        if let blocking = open.first {
            return .failure(ValidationFailure([FieldError(field: "product", message:
                "\(blocking.code) has not gone live yet; a later release of the product starts after it goes live, closes or is cancelled.")]))
        }
        return .success((releases.map(\.release).max() ?? 0) + 1)
    }

    /// Every problem with a new project's place and baselines.
    public static func check(organisation: Organisation, product: Product?, productCode: String, type: ProjectType,
                             baselines: [MilestoneKind: Day]) -> [FieldError] {
        var errors: [FieldError] = []
        if !levels.contains(organisation.kind) {
            errors.append(FieldError(field: "organisation", message: "Projects sit at a trust or a site, not a \(organisation.kind.title)."))
        }
        if organisation.isClosed { errors.append(FieldError(field: "organisation", message: "\(organisation.code) has closed.")) }
        if product == nil { errors.append(FieldError(field: "product", message: "'\(productCode.prefix(12))' is not a product in the catalogue.")) }
        var previous: (MilestoneKind, Day)?
        for kind in type.mandatoryMilestones {
            guard let day = baselines[kind] else {
                errors.append(FieldError(field: MilestoneRules.field("baseline", kind), message: "Give a baseline for \(kind.title)."))
                continue
            }
            if let (before, beforeDay) = previous, day < beforeDay {
                errors.append(FieldError(field: MilestoneRules.field("baseline", kind), message: "\(kind.title) cannot be before \(before.title)."))
            }
            previous = (kind, day)
        }
        for kind in baselines.keys where !type.mandatoryMilestones.contains(kind) {
            errors.append(FieldError(field: MilestoneRules.field("baseline", kind), message: "An \(type.rawValue.uppercased()) project has no \(kind.title) milestone."))
        }
        return errors
    }

    /// Why a project cannot close, or nil: it must be live and have every milestone achieved.
    public static func closeRefusal(_ project: ImplementationProject) -> String? {
        guard project.isLive else { return "\(project.code) is already \(project.state.title.lowercased())." }
        guard project.isComplete else {
            let open = project.milestones.first { !$0.isAchieved }.map(\.kind.title) ?? "a milestone"
            return "\(project.code) closes at stage 5, once every milestone is achieved; \(open) is not."
        }
        return nil
    }
}
