import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Change control values to and from the generated API schema types.
enum ChangeControlMapping {
    static func summary(_ note: ChangeControlNote) -> Components.Schemas.ChangeNoteSummary {
        .init(id: note.id, reference: note.reference, cluster: note.clusterCode, _type: .init(rawValue: note.type.rawValue) ?? .business,
              title: note.title, state: .init(rawValue: note.state.rawValue) ?? .raised, raisedOn: note.raisedOn.iso, raisedBy: note.raisedBy,
              version: note.version)
    }

    static func impact(_ i: ChangeImpact) -> Components.Schemas.ChangeImpact {
        .init(risk: i.risk, issues: i.issues, functionality: i.functionality, cost: i.cost, costPounds: i.costPounds, time: i.time,
              timeWorkingDays: i.timeWorkingDays)
    }

    static func note(_ view: ChangeControlService.NoteView) -> Components.Schemas.ChangeNote {
        let note = view.note
        return .init(
            id: note.id, reference: note.reference, cluster: note.clusterCode, _type: .init(rawValue: note.type.rawValue) ?? .business,
            title: note.title, description: note.description, reason: note.reason, impact: impact(note.impact),
            state: .init(rawValue: note.state.rawValue) ?? .raised, raisedOn: note.raisedOn.iso, raisedBy: note.raisedBy,
            projects: note.projects.map(\.code),
            milestones: note.milestones.map {
                .init(project: $0.projectCode, milestone: .init(rawValue: $0.kind.rawValue) ?? .go_hyphen_live_hyphen_completed,
                      proposedBaseline: $0.proposedBaseline.iso)
            },
            dipLines: note.dipLines.map { .init(dip: $0.dipID, line: $0.lineNumber, proposedDue: $0.proposedDue?.iso) },
            assessments: note.assessments.map {
                .init(discipline: .init(rawValue: $0.discipline.rawValue) ?? .quality, assessor: $0.assessor, recommendation: $0.recommendation,
                      recordedOn: $0.recordedOn.iso)
            },
            missingAssessments: note.missingAssessments.compactMap { .init(rawValue: $0.rawValue) },
            decisions: view.decisions.map {
                .init(outcome: .init(rawValue: $0.outcome.rawValue) ?? .deferred, meeting: $0.meetingID, reason: $0.reason, decidedBy: $0.decidedBy,
                      decidedOn: $0.decidedOn.iso)
            },
            nextStates: view.transitions.compactMap { .init(rawValue: $0.rawValue) }, version: note.version)
    }

    /// The request body as the service's input; dates that do not parse become field errors.
    static func input(_ body: Components.Schemas.ChangeNoteInput) -> ChangeNoteInput {
        var errors: [FieldError] = []
        func day(_ text: String?, _ field: String) -> Day? {
            guard let text else { return nil }
            guard let day = Day(iso: text) else {
                errors.append(FieldError(field: field, message: "\(field) must be a date (YYYY-MM-DD), not '\(text.prefix(40))'."))
                return nil
            }
            return day
        }
        let i = body.impact
        let milestones = (body.milestones ?? []).compactMap { proposal -> ChangeNoteInput.MilestoneProposal? in
            guard let kind = MilestoneKind(rawValue: proposal.milestone.rawValue),
                  let baseline = day(proposal.proposedBaseline, "milestones.proposedBaseline") else { return nil }
            return .init(projectCode: proposal.project, kind: kind, baseline: baseline)
        }
        let lines = (body.dipLines ?? []).map { ChangeNoteInput.DIPLineReference(dipID: $0.dip, lineNumber: $0.line, proposedDue: day($0.proposedDue, "dipLines.proposedDue")) }
        return ChangeNoteInput(
            type: ChangeType(rawValue: body._type.rawValue), title: body.title, description: body.description, reason: body.reason,
            impact: ChangeImpact(risk: i?.risk ?? "", issues: i?.issues ?? "", functionality: i?.functionality ?? "", cost: i?.cost ?? "",
                                 costPounds: i?.costPounds, time: i?.time ?? "", timeWorkingDays: i?.timeWorkingDays),
            projectCodes: body.projects ?? [], milestones: milestones, dipLines: lines, clusterCode: body.cluster, errors: errors)
    }

    static func baselineChange(_ change: BaselineChange) -> Components.Schemas.BaselineChange {
        .init(milestone: .init(rawValue: change.kind.rawValue) ?? .go_hyphen_live_hyphen_completed, from: change.from?.iso, to: change.to.iso,
              ccn: change.ccnReference, ccnId: change.ccnID, changedOn: change.changedOn.iso)
    }

    static func performance(_ view: ChangeControlService.PerformanceView) -> Components.Schemas.DIPPerformance {
        let p = view.performance
        return .init(organisation: view.organisation.code, year: p.year.label, due: p.totalDue, delivered: p.totalDelivered, late: p.totalLate,
                     atRisk: p.totalAtRisk, months: p.months.map { month in
            .init(month: String(month.start.iso.prefix(7)), due: month.due, delivered: month.delivered, late: month.late, atRisk: month.atRisk,
                  cumulativeDue: month.cumulativeDue, cumulativeDelivered: month.cumulativeDelivered)
        })
    }

    static func line(_ line: DIPLine, status: ObligationStatus?) -> Components.Schemas.DIPLine {
        .init(number: line.number, product: line.productCode, organisation: line.organisationCode, organisationName: line.organisationName,
              implementation: .init(rawValue: line.implementation.rawValue) ?? .new_hyphen_service,
              dueMilestone: .init(rawValue: line.dueMilestone.rawValue) ?? .go_hyphen_live_hyphen_completed, due: line.dueDate.iso,
              projects: line.projects.map(\.code), status: status.flatMap { .init(rawValue: $0.rawValue) }, removed: line.removed,
              ccnId: line.ccnID, version: line.version)
    }

    static func dip(_ view: ChangeControlService.DIPView) -> Components.Schemas.DIP {
        let dip = view.dip
        return .init(id: dip.id, supplier: view.supplierName, cluster: view.clusterName, year: dip.year.label,
                     state: .init(rawValue: dip.state.rawValue) ?? .draft, agreedBy: dip.agreedBy, agreedOn: dip.agreedOn?.iso,
                     version: dip.version, lines: dip.lines.map { line($0, status: $0.removed ? nil : view.statuses[$0.id]) })
    }
}
