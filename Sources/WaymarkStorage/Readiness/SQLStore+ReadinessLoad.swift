import Foundation
import WaymarkCore

/// Generated readiness records as seed rows (national scale), with each ORR hashed as the
/// service would have stored it.
extension SQLStore {
    static func readinessLoadTables(_ records: ReadinessRecords) -> [LoadTable] {
        var tables: [LoadTable] = []
        tables.append(("survey_response", ["id", "project_id", "kind", "catalogue_version", "version", "updated_by", "updated_at",
                                           "signed_off_version", "signed_off_by", "signed_off_at", "overall"], records.surveys.map { r in
            [.integer(r.id), .integer(r.projectID), .text(r.kind.rawValue), .integer(Int64(r.catalogueVersion)), .integer(Int64(r.version)),
             .text(r.updatedBy), .text(r.updatedAt), SQLValue(r.signedOffVersion.map(Int64.init)), SQLValue(r.signedOffBy), SQLValue(r.signedOffAt),
             SQLValue(r.overall?.rawValue)]
        }))
        tables.append(("survey_answer", ["response_id", "question_id", "rating", "count", "finding"], records.surveys.flatMap { r in
            r.answers.map { a in [.integer(r.id), .text(a.questionID), SQLValue(a.rating?.rawValue), SQLValue(a.count.map(Int64.init)), .text(a.finding)] }
        }))
        tables.append(("survey_action", ["response_id", "question_id", "position", "text", "owner", "due"], records.surveys.flatMap { r in
            r.answers.flatMap { a in
                a.actions.enumerated().map { i, x in
                    [.integer(r.id), .text(a.questionID), .integer(Int64(i)), .text(x.text), .text(x.owner), .integer(Int64(x.due.ordinal))]
                }
            }
        }))
        tables.append(("data_quality_check", checkColumns.components, records.dataQuality.map { c in
            [.integer(c.id), .integer(c.projectID), .integer(Int64(c.checkedOn.ordinal)), .text(c.checkedAt), .text(c.checkedBy),
             .text(c.counts.source.rawValue), .integer(Int64(c.counts.records)), .integer(Int64(c.counts.valid)), .integer(Int64(c.counts.invalid)),
             .integer(Int64(c.counts.missing)), .integer(Int64(c.counts.duplicates)), .integer(Int64(c.counts.malformedRows))]
        }))
        tables.append(("go_live_checklist", ["id", "project_id", "template", "template_version", "version", "started_by", "started_at"],
                       records.checklists.map { c in
            [.integer(c.id), .integer(c.projectID), .text(c.templateCode), .integer(Int64(c.templateVersion)), .integer(Int64(c.version)),
             .text(c.startedBy), .text(c.startedAt)]
        }))
        tables.append(("go_live_checklist_item", ["checklist_id", "item_id", "owner", "evidence", "signed_by", "signed_at"], records.checklists.flatMap { c in
            c.items.map { i in [.integer(c.id), .text(i.itemID), .text(i.owner), .text(i.evidence), SQLValue(i.signedBy), SQLValue(i.signedAt)] }
        }))
        tables.append(("readiness_report", ["id", "project_id", "number", "snapshot", "hash", "signed_by", "signed_at"], records.reports.map { r in
            let (text, hash) = ReadinessSnapshot(projectCode: r.inputs.projectCode, generatedBy: r.generatedBy, generatedAt: r.generatedAt,
                                                 inputs: r.inputs).encoded()
            return [.integer(r.id), .integer(r.projectID), .integer(Int64(r.number)), .text(text), .text(hash), SQLValue(r.signedBy), SQLValue(r.signedAt)]
        }))
        return tables
    }
}
