import WaymarkCore

/// The "record a lesson" form: small on the project page, and shown again with the entries and
/// errors when a save is refused. Stage and product start as the project's own.
struct LessonForm {
    static let fieldNames: Set<String> = ["stage", "area", "product", "title", "whatHappened", "recommendation", "tags"]

    var project: ImplementationProject
    var csrfToken: String
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    func render() -> HTML {
        let stage = entered["stage"] ?? String(project.stage.rawValue)
        let product = entered["product"] ?? project.productCode
        let stages: [HTML] = NSIStage.allCases.map { s in
            "<option value=\"\(s.rawValue)\"\(String(s.rawValue) == stage ? HTML(" selected") : .empty)>\(s.title)</option>"
        }
        let areas: [HTML] = [HTML("<option value=\"\">Choose…</option>")] + AreaOfResponsibility.allCases.map { a in
            "<option value=\"\(a.rawValue)\"\(entered["area"] == a.rawValue ? HTML(" selected") : .empty)>\(a.title)</option>"
        }
        let products: [HTML] = ProductCatalogue.all.map { p in
            "<option value=\"\(p.code)\"\(p.code == product.uppercased() ? HTML(" selected") : .empty)>\(p.code) – \(p.name)</option>"
        }
        return """
            <form class="stacked lesson-form" method="post" action="\(Paths.project(project.code))/lessons" novalidate>
              <input type="hidden" name="csrf" value="\(csrfToken)">
              \(field("stage", "Stage it concerns", "<select id=\"lesson-stage\" name=\"stage\"\(invalid("stage"))>\(stages)</select>"))
              \(field("area", "Area of responsibility", "<select id=\"lesson-area\" name=\"area\"\(invalid("area"))>\(areas)</select>"))
              \(field("product", "Product affected", "<select id=\"lesson-product\" name=\"product\"\(invalid("product"))>\(products)</select>"))
              \(field("title", "Title", "<input id=\"lesson-title\" name=\"title\" type=\"text\" maxlength=\"\(LessonRules.maximumTitle)\" value=\"\(entered["title"] ?? "")\"\(invalid("title"))>"))
              \(field("whatHappened", "What happened", "<textarea id=\"lesson-whatHappened\" name=\"whatHappened\" rows=\"4\" cols=\"60\"\(invalid("whatHappened"))>\(entered["whatHappened"] ?? "")</textarea>"))
              \(field("recommendation", "Recommendation for other projects", "<textarea id=\"lesson-recommendation\" name=\"recommendation\" rows=\"3\" cols=\"60\"\(invalid("recommendation"))>\(entered["recommendation"] ?? "")</textarea>"))
              \(field("tags", "Tags (separated by commas)", "<input id=\"lesson-tags\" name=\"tags\" type=\"text\" maxlength=\"300\" value=\"\(entered["tags"] ?? "")\" placeholder=\"smartcards, lead time\"\(invalid("tags"))>"))
              <p><button type="submit">Record lesson</button></p>
            </form>
            """
    }

    /// A labelled control with its errors, linked for screen readers.
    private func field(_ name: String, _ label: String, _ control: HTML) -> HTML {
        let messages = errors.filter { $0.field == name }.map(\.message)
        guard !messages.isEmpty else { return "<label for=\"lesson-\(name)\">\(label)</label>\(control)" }
        return """
            <div class="field-error"><label for="lesson-\(name)">\(label)</label>\(control)\
            <span class="error-message" id="lesson-\(name)-error">\(messages.joined(separator: " "))</span></div>
            """
    }

    private func invalid(_ name: String) -> HTML {
        errors.contains { $0.field == name } ? " aria-invalid=\"true\" aria-describedby=\"lesson-\(name)-error\"" : .empty
    }

    /// The error summary above a refused form; errors about fields it has link to them.
    func summary() -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items: [HTML] = errors.map { error in
            Self.fieldNames.contains(error.field) ? "<li><a href=\"#lesson-\(error.field)\">\(error.message)</a></li>" : "<li>\(error.message)</li>"
        }
        return "<div class=\"notice error\" role=\"alert\"><h2>The lesson was not recorded</h2><ul>\(items)</ul></div>"
    }
}

/// The form shown again, with its errors, after a refused save (status 422).
struct LessonFormPage {
    var project: ImplementationProject
    var form: LessonForm

    func render() -> HTML {
        let title = "Record a lesson from \(project.code)"
        return Layout(title: title, breadcrumbs: [("Project \(project.code)", Paths.project(project.code))]).render("""
            <h1>\(title)</h1>
            <p class="kind">Lessons are shared with every project in the programme (§4.6.3).</p>
            \(form.summary())
            \(form.render())
            """)
    }
}
