/// Change control's rules, pure so the web form, the API and the seed share them.
public enum ChangeRules {
    public static let maximumTitle = 200
    public static let maximumText = 4000
    public static let maximumName = 120
    public static let maximumAffected = 200

    /// The states a note may move to from `state`. Approval, rejection and deferral are only
    /// ever reached through a board decision (`decide`), never a plain transition.
    public static func next(from state: ChangeState) -> [ChangeState] {
        switch state {
        case .raised: [.underAssessment]
        case .underAssessment: [.atBoard]
        case .atBoard: [.approved, .rejected, .deferred]
        case .deferred: [.atBoard, .underAssessment]
        case .approved: [.implemented]
        case .rejected, .implemented: []
        }
    }

    /// Where a manual transition may go (decisions excluded).
    public static func transitions(from state: ChangeState) -> [ChangeState] {
        next(from: state).filter { !$0.isDecision }
    }

    /// Why `note` cannot move to `target` by a transition, or nil when it can.
    public static func transitionRefusal(_ note: ChangeControlNote, to target: ChangeState) -> String? {
        if target.isDecision {
            return "\(target.title) is a Change Review Board decision: record it from a board meeting while \(note.reference) is at the board."
        }
        if let refusal = moveRefusal(note, to: target) { return refusal }
        if target == .atBoard, !note.missingAssessments.isEmpty {
            return "\(note.reference) cannot go to the Change Review Board until every discipline has assessed it: missing "
                + list(note.missingAssessments.map { $0.title.lowercased() }) + "."
        }
        return nil
    }

    /// Why the board cannot decide `note` now, or nil when it can.
    public static func decisionRefusal(_ note: ChangeControlNote) -> String? {
        note.state == .atBoard ? nil
            : "\(note.reference) is \(note.state.title.lowercased()), not at the Change Review Board, so the board cannot decide it now."
    }

    static func moveRefusal(_ note: ChangeControlNote, to target: ChangeState) -> String? {
        let allowed = next(from: note.state)
        guard !allowed.contains(target) else { return nil }
        let options = transitions(from: note.state)
        let onward = allowed.isEmpty ? "it can move no further"
            : options.isEmpty ? "only a board decision (\(list(allowed.map { $0.title.lowercased() }, joiner: "or"))) can move it"
            : "it can move only to " + list(options.map { $0.title.lowercased() }, joiner: "or")
        return "\(note.reference) is \(note.state.title.lowercased()): it cannot move to \(target.title.lowercased()); \(onward)."
    }

    static func list(_ items: [String], joiner: String = "and") -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        default: items.dropLast().joined(separator: ", ") + " \(joiner) " + items.last!
        }
    }

    /// Every problem with a note as entered; empty when it can be saved.
    public static func validate(_ note: ChangeControlNote) -> [FieldError] {
        var errors: [FieldError] = []
        func check(_ field: String, _ ok: Bool, _ message: String) {
            if !ok { errors.append(FieldError(field: field, message: message)) }
        }
        check("title", !note.title.isBlank, "Give the change a title.")
        check("title", note.title.count <= maximumTitle, "Keep the title to \(maximumTitle) characters.")
        check("description", !note.description.isBlank, "Describe the change.")
        check("reason", !note.reason.isBlank, "Say why the change is needed.")
        let i = note.impact
        // Keys are the form's field names; messages name the field in words, as the API has them under impact.
        for (field, label, text) in [("description", "the description", note.description), ("reason", "the reason", note.reason),
                                     ("impactRisk", "the impact on risk", i.risk), ("impactIssues", "the impact on issues", i.issues),
                                     ("impactFunctionality", "the impact on functionality", i.functionality),
                                     ("impactCost", "the impact on cost", i.cost), ("impactTime", "the impact on time", i.time)] {
            check(field, text.count <= maximumText, "Keep \(label) to \(maximumText) characters.")
        }
        if let pounds = i.costPounds {
            check("costPounds", (0...10_000_000_000).contains(pounds), "The cost must be a whole number of pounds from 0 to 10,000,000,000.")
        }
        if let days = i.timeWorkingDays {
            check("timeWorkingDays", (-2000...2000).contains(days), "The time impact must be between -2,000 and 2,000 working days.")
        }
        check("raisedBy", !note.raisedBy.isBlank && note.raisedBy.count <= maximumName, "Name who raised the change.")
        check("projects", note.projects.count + note.milestones.count + note.dipLines.count <= maximumAffected,
              "A note names at most \(maximumAffected) affected items; split a larger change.")
        var seen = Set<String>()
        for milestone in note.milestones {
            let key = "\(milestone.projectID)/\(milestone.kind.rawValue)"
            check("milestones", seen.insert(key).inserted,
                  "\(milestone.projectCode) \(milestone.kind.title) is listed twice; give one proposed baseline.")
        }
        for assessment in note.assessments {
            errors += validate(assessment)
        }
        return errors
    }

    public static func validate(_ assessment: ChangeAssessment) -> [FieldError] {
        var errors: [FieldError] = []
        if assessment.assessor.isBlank || assessment.assessor.count > maximumName {
            errors.append(FieldError(field: "assessor", message: "Name the \(assessment.discipline.title.lowercased()) assessor (up to \(maximumName) characters)."))
        }
        if assessment.recommendation.isBlank || assessment.recommendation.count > maximumText {
            errors.append(FieldError(field: "recommendation",
                                     message: "Give the \(assessment.discipline.title.lowercased()) assessment and recommendation (up to \(maximumText) characters)."))
        }
        return errors
    }

    /// `project` with the note's proposed baselines applied, and the changes to keep, or nil
    /// when nothing moves. Changed milestones' versions go up by one, as other edits do.
    public static func rebaseline(_ project: ImplementationProject, by note: ChangeControlNote,
                                  on day: Day) -> (project: ImplementationProject, changes: [BaselineChange])? {
        var updated = project
        var changes: [BaselineChange] = []
        for proposal in note.milestones where proposal.projectID == project.id {
            guard let index = updated.milestones.firstIndex(where: { $0.kind == proposal.kind }),
                  updated.milestones[index].baseline != proposal.proposedBaseline else { continue }
            changes.append(BaselineChange(projectID: project.id, kind: proposal.kind, from: updated.milestones[index].baseline,
                                          to: proposal.proposedBaseline, ccnID: note.id, ccnReference: note.reference, changedOn: day))
            updated.milestones[index].baseline = proposal.proposedBaseline
            updated.milestones[index].version += 1
        }
        return changes.isEmpty ? nil : (updated, changes)
    }
}
