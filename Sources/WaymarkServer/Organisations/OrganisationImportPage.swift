import WaymarkCore
import WaymarkService

/// Importing organisations from an ODS-style CSV (issue 13): choose a file to preview; the
/// preview lists what would be added, changed, moved and closed; applying asks for the same file
/// again with the preview's fingerprint, so what is applied is exactly what was shown.
struct OrganisationImportPage {
    var csrfToken: String
    var preview: OrganisationService.ImportPreview? = nil
    var applied: OrganisationService.ImportPreview? = nil
    var problems: [ImportProblem] = []
    var error: String? = nil

    func render() -> HTML {
        Layout(title: "Import organisations", breadcrumbs: [("National", "/")]).render("""
            <h1>Import organisations</h1>
            <p>Import the hierarchy from a CSV in the layout of NHS Organisation Data Service extracts. Columns: \
            <code>code</code>, <code>name</code>, <code>parent code</code>, <code>level</code> (cluster, sha, lhc, trust or site), \
            and optionally <code>type</code> (such as GP practice), <code>postcode</code>, <code>open date</code> and <code>close date</code> (YYYY-MM-DD or YYYYMMDD). \
            The import is all or nothing, and importing the same file twice changes nothing.</p>
            \(error.map { HTML("<div class=\"notice error\" role=\"alert\"><p>\($0)</p></div>") } ?? .empty)
            \(problemList())
            \(applied.map(appliedNotice) ?? .empty)
            \(preview.map(previewSection) ?? .empty)
            \(preview == nil ? chooseForm() : .empty)
            """)
    }

    func chooseForm() -> HTML {
        """
        <section><h2>Choose a file to preview</h2>
        <form class="stacked" method="post" action="/organisations/import" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(csrfToken)">
        <label for="import-file">CSV file</label><input id="import-file" name="file" type="file" accept=".csv,text/csv">
        <p><button type="submit">Preview import</button></p>
        </form></section>
        """
    }

    func problemList() -> HTML { Self.problemList(problems) }

    /// An import's rejected rows, by line (organisations and users alike).
    static func problemList(_ problems: [ImportProblem]) -> HTML {
        guard !problems.isEmpty else { return .empty }
        let items: [HTML] = problems.prefix(500).map { "<li>Line \($0.line): \($0.message)</li>" }
        return """
            <div class="notice error" role="alert"><h2>Nothing was imported: \(problems.count) problem\(problems.count == 1 ? "" : "s")</h2>
            <ul>\(items)</ul>\(problems.count > 500 ? HTML("<p>The first 500 are listed.</p>") : .empty)</div>
            """
    }

    func counts(_ plan: OrganisationImport.Plan) -> HTML {
        """
        <ul class="counts"><li>\(plan.additions.count) to add</li><li>\(plan.changes.count) to change, \
        of which \(plan.moves.count) move and \(plan.closures.count) close</li><li>\(plan.unchanged) unchanged</li></ul>
        """
    }

    func appliedNotice(_ applied: OrganisationService.ImportPreview) -> HTML {
        let plan = applied.plan
        return """
            <div class="notice success" role="status"><h2>\(plan.isEmpty ? "Nothing to import" : "Imported")</h2>
            <p>\(plan.additions.count) added, \(plan.changes.count) changed (\(plan.moves.count) moved, \(plan.closures.count) closed), \
            \(plan.unchanged) unchanged.</p></div>
            """
    }

    func previewSection(_ preview: OrganisationService.ImportPreview) -> HTML {
        let plan = preview.plan
        let added: [HTML] = plan.additions.prefix(200).map { "<tr><td>\($0.code)</td><td>\($0.name)</td><td>\($0.kind.title)</td><td>\($0.parentCode ?? "")</td></tr>" }
        let changed: [HTML] = plan.changes.prefix(200).map { change in
            var what: [String] = []
            if change.row.name != change.before.name { what.append("renamed from \(change.before.name)") }
            if let parent = change.newParentCode { what.append("moves under \(parent)") }
            if change.closes { what.append("closes on \(change.row.closedOn?.iso ?? "")") }
            if what.isEmpty { what.append("details change") }
            return "<tr><td>\(change.before.code)</td><td>\(change.row.name)</td><td>\(what.joined(separator: "; "))</td></tr>"
        }
        let addedTable: HTML = added.isEmpty ? .empty : """
            <h3>To add</h3><div class="table-scroll" role="region" aria-label="Organisations to add" tabindex="0"><table>
            <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Level</th><th scope="col">Parent</th></tr></thead>
            <tbody>\(added)</tbody></table></div>
            """
        let changedTable: HTML = changed.isEmpty ? .empty : """
            <h3>To change</h3><div class="table-scroll" role="region" aria-label="Organisations to change" tabindex="0"><table>
            <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Change</th></tr></thead>
            <tbody>\(changed)</tbody></table></div>
            """
        let apply: HTML = plan.isEmpty ? "<p>The file matches Waymark: there is nothing to import.</p>" : """
            <section><h2>Apply this import</h2>
            <p>Choose the same file again. Waymark checks that it still does exactly what is shown above before it writes anything.</p>
            <form class="stacked" method="post" action="/organisations/import" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="fingerprint" value="\(preview.fingerprint)">
            <label for="apply-file">The same CSV file</label><input id="apply-file" name="file" type="file" accept=".csv,text/csv">
            <p><button type="submit">Apply import</button></p>
            </form></section>
            """
        return """
            <section><h2>Preview</h2>\(counts(plan))
            \(addedTable)\(changedTable)
            \(plan.additions.count > 200 || plan.changes.count > 200 ? HTML("<p>The first 200 of each are listed.</p>") : .empty)
            </section>
            \(apply)
            <p><a href="/organisations/import">Choose another file</a></p>
            """
    }
}
