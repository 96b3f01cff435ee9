import WaymarkCore
import WaymarkService

/// Setting up a cluster's DIPs (issue 13): create a draft for an LSP and a year, and import a
/// draft's lines from CSV (checked first, or added at once, all or nothing).
struct DIPSetupPage {
    var cluster: Organisation
    var drafts: [(dip: DetailedImplementationPlan, supplierName: String)]
    var csrfToken: String
    var form = FormState()
    var problems: [ImportProblem] = []
    var result: String? = nil

    func render() -> HTML {
        let base = "/organisations/\(urlEncoded(cluster.code))"
        let options: [HTML] = drafts.map { "<option value=\"\($0.dip.id)\">DIP \($0.dip.id): \($0.supplierName), \($0.dip.year.label)</option>" }
        return Layout(title: "Set up DIPs: \(cluster.name)", breadcrumbs: [(cluster.name, Paths.organisation(cluster))]).render("""
            <h1>Set up Detailed Implementation Plans</h1>
            <p class="kind">\(cluster.name) · \(cluster.code)</p>
            \(result.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)
            \(OrganisationImportPage.problemList(problems))
            <section><h2>Create a DIP</h2>
            <p>A draft DIP for a Local Service Provider contracted to this cluster, for one financial year (April to March).</p>
            <form class="stacked" method="post" action="\(base)/dip-setup/create" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            \(form.field("create", "supplier", "LSP code"))
            \(form.field("create", "year", "Financial year", hint: "For example 2027/28."))
            <p><button type="submit">Create DIP</button></p>
            </form></section>
            \(drafts.isEmpty ? HTML("<p>No draft DIPs to import lines into.</p>") : HTML("""
            <section><h2>Import lines into a draft DIP</h2>
            <p>A CSV with the columns <code>product</code>, <code>site</code>, <code>implementation</code> (new-service, replacement or upgrade), \
            <code>due date</code>, and optionally <code>due milestone</code>. Each line is linked to the live project of its product at its site. \
            The LSP must be contracted for the product there on the due date. The import is all or nothing.</p>
            <form class="stacked" method="post" action="\(base)/dip-setup/import" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <label for="import-dip">DIP</label><select id="import-dip" name="dip">\(options)</select>
            <label for="import-file">CSV file</label><input id="import-file" name="file" type="file" accept=".csv,text/csv">
            <div class="checkbox"><input id="import-check" name="check" type="checkbox" value="1"><label for="import-check">Only check the file</label></div>
            <p><button type="submit">Import lines</button></p>
            </form></section>
            """))
            """)
    }
}
