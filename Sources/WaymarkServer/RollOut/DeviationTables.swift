import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The deviation report as tables, for a template's page (every project) and a project's page
/// (its own row of each): moved baselines, plan tasks, dropped documents, catalogue versions.
struct DeviationTables {
    var report: RollOutDeviations
    /// The project page leaves out the project column.
    var showProject = true
    /// Rows shown per table; the counts above say how many there are.
    var limit = 500

    var summary: HTML {
        let plans = report.withoutPlan > 0 ? " \(report.withoutPlan) have no plan yet to compare with the skeleton." : ""
        return """
            <p>\(report.moved.count) baseline\(report.moved.count == 1 ? " has" : "s have") moved, \(report.plans.count) plan\(report.plans.count == 1 ? "" : "s") \
            differ from the skeleton, \(report.documents.count) mandatory document\(report.documents.count == 1 ? " was" : "s were") made obsolete, and \
            \(report.catalogue.count) \(report.catalogue.count == 1 ? "project is" : "projects are") on another catalogue version.\(plans)</p>
            """
    }

    func render() -> HTML {
        HTML([
            table("Moved baselines", ["Milestone", "Template", "Now", "Moved by"], report.moved.map { m in
                (m.projectCode, ["\(m.milestone.title)", "\(m.expected.iso)", "\(m.baseline?.iso ?? "none")",
                                 m.ccnID.map { HTML("<a href=\"/changes/\($0)\">CCN \($0)</a>") } ?? "no approved CCN"])
            }),
            table("Plan tasks against the skeleton", ["Added", "Removed"], report.plans.map { p in
                (p.projectCode, ["\(p.added.isEmpty ? "none" : p.added.joined(separator: "; "))",
                                 "\(p.removed.isEmpty ? "none" : p.removed.joined(separator: "; "))"])
            }),
            table("Mandatory documents made obsolete", ["Document"], report.documents.map { d in (d.projectCode, ["\(d.productCode)"]) }),
            table("Another catalogue version", ["Template's", "Project's"], report.catalogue.map { c in
                (c.projectCode, ["\(c.expected)", "\(c.actual)"])
            }),
        ])
    }

    func table(_ caption: String, _ headings: [String], _ rows: [(project: String, cells: [HTML])]) -> HTML {
        guard !rows.isEmpty else { return .empty }
        let head: [HTML] = (showProject ? ["Project"] + headings : headings).map { "<th scope=\"col\">\($0)</th>" }
        let body: [HTML] = rows.prefix(limit).map { row in
            let project: HTML = showProject ? "<td><a href=\"/projects/\(urlEncoded(row.project))\">\(row.project)</a></td>" : .empty
            return "<tr>\(project)\(row.cells.map { cell -> HTML in "<td>\(cell)</td>" })</tr>"
        }
        let shown = rows.count > limit ? " (the first \(limit) of \(rows.count))" : ""
        return """
            <div class="table-wrap"><table><caption>\(caption)\(shown)</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>
            """
    }
}
