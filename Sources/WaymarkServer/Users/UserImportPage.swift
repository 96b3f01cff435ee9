import WaymarkCore
import WaymarkService

/// Importing users from CSV (issue 13): choose a file to preview; the preview lists who would
/// be added; applying asks for the same file again with the preview's fingerprint, as for
/// organisations, so the server keeps nothing between the two steps.
struct UserImportPage {
    var csrfToken: String
    var preview: UserAdministration.ImportPreview? = nil
    var applied: UserAdministration.ImportPreview? = nil
    var problems: [ImportProblem] = []
    var error: String? = nil

    func render() -> HTML {
        Layout(title: "Import users", breadcrumbs: [("Users", "/users")]).render("""
            <h1>Import users</h1>
            <p>Columns: <code>username</code>, <code>name</code>, <code>role</code> (for example trust-project-manager) and \
            <code>organisation</code> (its code). The import is all or nothing. Imported users have no password: issue each \
            a one-time link from their page.</p>
            \(error.map { HTML("<div class=\"notice error\" role=\"alert\"><p>\($0)</p></div>") } ?? .empty)
            \(OrganisationImportPage.problemList(problems))
            \(applied.map { HTML("<div class=\"notice success\" role=\"status\"><h2>Imported</h2><p>\($0.plan.additions.count) users added.</p></div>") } ?? .empty)
            \(preview.map(previewSection) ?? .empty)
            \(preview == nil ? upload(title: "Choose a file to preview", fingerprint: nil) : .empty)
            """)
    }

    func upload(title: String, fingerprint: String?) -> HTML {
        """
        <section><h2>\(title)</h2>
        <form class="stacked" method="post" action="/users/import" enctype="multipart/form-data">
        <input type="hidden" name="csrf" value="\(csrfToken)">\(fingerprint.map { HTML("<input type=\"hidden\" name=\"fingerprint\" value=\"\($0)\">") } ?? .empty)
        <label for="import-file">CSV file</label><input id="import-file" name="file" type="file" accept=".csv,text/csv">
        <p><button type="submit">\(fingerprint == nil ? "Preview import" : "Apply import")</button></p>
        </form></section>
        """
    }

    func previewSection(_ preview: UserAdministration.ImportPreview) -> HTML {
        let rows: [HTML] = preview.plan.additions.prefix(500).map {
            "<tr><td>\($0.username)</td><td>\($0.displayName)</td><td>\($0.role.title)</td><td>\($0.organisation.name) (\($0.organisation.code))</td></tr>"
        }
        return """
            <section><h2>Preview: \(preview.plan.additions.count) to add</h2>
            <div class="table-scroll" role="region" aria-label="Users to add" tabindex="0"><table>
            <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Organisation</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(preview.plan.additions.count > 500 ? HTML("<p>The first 500 are listed.</p>") : .empty)</section>
            <p>Choose the same file again. Waymark checks that it still does exactly what is shown above before it writes anything.</p>
            \(upload(title: "Apply this import", fingerprint: preview.fingerprint))
            <p><a href="/users/import">Choose another file</a></p>
            """
    }
}
