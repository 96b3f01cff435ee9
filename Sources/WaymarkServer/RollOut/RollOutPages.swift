import WaymarkCore
import WaymarkStorage
import WaymarkService

/// Roll-outs (issue 13): the templates, a form that previews a roll-out in waves, and the
/// preview itself, whose "Create" button sends the same choices back with the fingerprint.
struct RollOutPage {
    var templates: [RollOutTemplate]
    var csrfToken: String
    var canRollOut: Bool
    var canSaveTemplates: Bool
    var form = FormState()
    var notice: String? = nil

    func render() -> HTML {
        let latest = Dictionary(templates.map { ($0.code, $0) }, uniquingKeysWith: { a, b in a.version >= b.version ? a : b })
        let rows: [HTML] = latest.values.sorted { $0.code < $1.code }.map { t in
            """
            <tr><td><a href="/rollout/\(urlEncoded(t.code))">\(t.code)</a></td><td>\(t.name)</td><td>\(t.productCode)</td>\
            <td>\(t.type.rawValue.uppercased())</td><td>\(t.version)</td></tr>
            """
        }
        let table: HTML = rows.isEmpty ? "<p>No templates yet.</p>" : """
            <div class="table-wrap"><table><caption>Roll-out templates (latest versions)</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Product</th><th scope="col">Type</th><th scope="col">Version</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
        return Layout(title: "Roll-outs", breadcrumbs: []).render("""
            <h1>Roll-outs</h1>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)
            <p>A template names a product, its project type, and each milestone's baseline in working days from the wave start. Rolling it out creates a project at every chosen site, in waves, in one batch.</p>
            \(table)
            \(canRollOut && !latest.isEmpty ? rollOutForm(Array(latest.keys).sorted()) : .empty)
            \(canSaveTemplates ? templateForm() : .empty)
            """)
    }

    func rollOutForm(_ codes: [String]) -> HTML {
        let chosen = form.value("rollout", "template", codes.first)
        let options: [HTML] = codes.map { "<option value=\"\($0)\"\($0 == chosen ? HTML(" selected") : .empty)>\($0)</option>" }
        return """
            <section><h2>Roll out</h2>
            <form class="stacked" method="post" action="/rollout/preview" enctype="multipart/form-data" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <label for="rollout-template">Template</label><select id="rollout-template" name="template">\(options)</select>
            <fieldset><legend>Which sites: by filter</legend>
            \(form.field("rollout", "within", "Within (organisation code)", hint: "Every site below it that has no live project of the product yet."))
            \(form.field("rollout", "subtype", "Only sites of this type", hint: "For example GP practice. Leave empty for every site."))
            </fieldset>
            <fieldset><legend>Or by list</legend>
            \(form.field("rollout", "sites", "Site codes", type: "textarea", hint: "One code per line. A list replaces the filter."))
            <label for="rollout-sitesFile">Or upload a list</label><span class="hint">A CSV whose first column is the site code, such as an ODS extract, or one code per line.</span>
            <input id="rollout-sitesFile" name="sitesFile" type="file" accept=".csv,.txt,text/csv,text/plain">
            </fieldset>
            \(form.field("rollout", "waves", "Waves", hint: "START:SITES-PER-WEEK, separated by commas, for example 2027-01-04:50, 2027-04-05:200."))
            <p><button type="submit">Preview</button></p>
            </form></section>
            """
    }

    func templateForm() -> HTML {
        let offsets: [HTML] = MilestoneKind.allCases.map { kind in
            form.field("template", MilestoneRules.field("offset", kind), "\(kind.title) (working days from the wave start)")
        }
        return """
            <section><h2>Save a template or its next version</h2>
            <form class="stacked" method="post" action="/rollout/templates" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            \(form.field("template", "code", "Code", hint: "The same code saves the next version."))
            \(form.field("template", "name", "Name"))
            \(form.field("template", "product", "Product code", hint: "For example CRS."))
            \(form.field("template", "type", "Type (lsp or esp)", hint: "Leave empty for the product's usual type."))
            \(offsets)
            \(form.field("template", "documents", "Mandatory NSI documents", hint: "Codes separated by spaces, for example PID PROJECT-BRIEF."))
            \(form.field("template", "planTasks", "Plan skeleton (optional)", type: "textarea", hint: "One task name per line, in order. Each project's plan is compared with it."))
            <p><button type="submit">Save template</button></p>
            </form></section>
            """
    }
}

/// What a roll-out will create, wave by wave; "Create" sends the same choices and the fingerprint.
struct RollOutPreviewPage {
    var preview: RollOutService.Preview
    var fields: [String: String]
    var csrfToken: String

    func render() -> HTML {
        let t = preview.template
        let waves: [HTML] = preview.waves.map { w in "<tr><td>\(w.wave)</td><td>\(w.sites)</td><td>\(w.first.iso)</td><td>\(w.last.iso)</td></tr>" }
        let sample: [HTML] = preview.projects.prefix(50).map { p in "<tr><td>\(p.projectCode)</td><td>\(p.wave)</td><td>\(p.start.iso)</td></tr>" }
        let hidden: [HTML] = ["template", "within", "subtype", "sites", "waves"].map { name in
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(fields[name] ?? "")\">"
        }
        return Layout(title: "Roll-out preview", breadcrumbs: [("Roll-outs", "/rollout")]).render("""
            <h1>\(preview.applied ? "Rolled out" : "Preview"): \(t.code) version \(t.version)</h1>
            <p>\(preview.applied ? "Created" : "This creates") \(preview.projects.count) \(t.productCode) project\(preview.projects.count == 1 ? "" : "s") (\(t.type.rawValue.uppercased())), each with its milestone baselines, supplier and NSI catalogue version \(t.catalogueVersion), in one batch.</p>
            <div class="table-wrap"><table><caption>Waves</caption>
            <thead><tr><th scope="col">Wave</th><th scope="col">Sites</th><th scope="col">First start</th><th scope="col">Last start</th></tr></thead>
            <tbody>\(waves)</tbody></table></div>
            <div class="table-wrap"><table><caption>The first \(min(50, preview.projects.count)) projects</caption>
            <thead><tr><th scope="col">Project</th><th scope="col">Wave</th><th scope="col">Wave start</th></tr></thead>
            <tbody>\(sample)</tbody></table></div>
            \(preview.applied ? HTML("<p><a href=\"/rollout/\(urlEncoded(t.code))\">See the template's deviation report</a></p>") : HTML("""
            <form method="post" action="/rollout/apply"><input type="hidden" name="csrf" value="\(csrfToken)">\(hidden)
            <input type="hidden" name="fingerprint" value="\(preview.fingerprint)">
            <p><button type="submit">Create \(preview.projects.count) projects</button></p></form>
            """))
            """)
    }
}

/// One template: its versions and its deviation report.
struct RollOutTemplatePage {
    var template: RollOutTemplate
    var versions: [RollOutTemplate]
    var report: RollOutDeviations
    var csrfToken = ""
    var canUpgrade = false
    var upgraded = false

    func render() -> HTML {
        let t = template
        let offsets: [HTML] = t.type.mandatoryMilestones.map { k in "<tr><td>\(k.title)</td><td>\(t.offsets[k].map(String.init) ?? "–")</td></tr>" }
        return Layout(title: "Template \(t.code)", breadcrumbs: [("Roll-outs", "/rollout")]).render("""
            <h1>\(t.name)</h1>
            <p class="kind">Template \(t.code) · version \(t.version) of \(versions.count) · \(t.productCode) · \(t.type.rawValue.uppercased())</p>
            \(upgraded ? HTML("<div class=\"notice success\" role=\"status\"><p>Projects moved to version \(t.version).</p></div>") : .empty)
            \(canUpgrade ? HTML("""
            <form method="post" action="/rollout/\(urlEncoded(t.code))/upgrade"><input type="hidden" name="csrf" value="\(csrfToken)">
            <input type="hidden" name="fingerprint" value=""><p><button type="submit">Preview moving projects on older versions to version \(t.version)</button></p></form>
            """) : .empty)
            <div class="table-wrap"><table><caption>Baselines, in working days from the wave start</caption>
            <thead><tr><th scope="col">Milestone</th><th scope="col">Working days</th></tr></thead><tbody>\(offsets)</tbody></table></div>
            <p>NSI catalogue version \(t.catalogueVersion). Mandatory documents: \(t.documents.isEmpty ? "none named" : t.documents.joined(separator: ", ")).</p>
            <h2>Deviations</h2>
            <p>\(report.projects) projects you can see came from this template.\(t.planTasks.isEmpty ? "" : " Its plan skeleton: \(t.planTasks.joined(separator: "; ")).")</p>
            \(DeviationTables(report: report).summary)
            \(DeviationTables(report: report).render())
            """)
    }
}

/// The diff of moving projects to a template's latest version; "Apply" sends its fingerprint.
struct RollOutUpgradePage {
    var preview: RollOutService.UpgradePreview
    var csrfToken: String

    func render() -> HTML {
        let t = preview.template
        func rows(_ moves: [RollOutService.BaselineMove]) -> [HTML] {
            moves.prefix(200).map { m in "<tr><td>\(m.projectCode)</td><td>\(m.milestone.title)</td><td>\(m.from.iso)</td><td>\(m.to.iso)</td></tr>" }
        }
        let head: HTML = "<thead><tr><th scope=\"col\">Project</th><th scope=\"col\">Milestone</th><th scope=\"col\">Baseline now</th><th scope=\"col\">Version \(t.version)</th></tr></thead>"
        return Layout(title: "Move projects to \(t.code) version \(t.version)", breadcrumbs: [("Roll-outs", "/rollout"), (t.code, "/rollout/\(urlEncoded(t.code))")]).render("""
            <h1>Move projects to \(t.code) version \(t.version)</h1>
            <p>\(preview.projects) project\(preview.projects == 1 ? " is" : "s are") on an older version. \(preview.moves.count) baseline\(preview.moves.count == 1 ? "" : "s") move to this version's dates; \
            \(preview.keptDeviations.count) that had departed from the template keep their dates. Achieved milestones never move.</p>
            \(preview.moves.isEmpty ? HTML.empty : HTML("<div class=\"table-wrap\"><table><caption>Baselines that move (the first 200)</caption>\(head)<tbody>\(rows(preview.moves))</tbody></table></div>"))
            \(preview.keptDeviations.isEmpty ? HTML.empty : HTML("<div class=\"table-wrap\"><table><caption>Deviations kept (the first 200)</caption>\(head)<tbody>\(rows(preview.keptDeviations))</tbody></table></div>"))
            \(preview.projects == 0 ? HTML.empty : HTML("""
            <form method="post" action="/rollout/\(urlEncoded(t.code))/upgrade"><input type="hidden" name="csrf" value="\(csrfToken)">
            <input type="hidden" name="fingerprint" value="\(preview.fingerprint)"><p><button type="submit">Move \(preview.projects) projects</button></p></form>
            """))
            """)
    }
}
