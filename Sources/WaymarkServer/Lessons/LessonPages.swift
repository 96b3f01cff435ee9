import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The programme-wide search: words, stage, area, product and guidance filters, ranked results
/// with plain snippets, the count and paging.
struct LessonSearchPage {
    var search: LessonSearch
    var results: LessonResults

    func render() -> HTML {
        let stages: [HTML] = [HTML("<option value=\"\">Any stage</option>")] + NSIStage.allCases.map { s in
            "<option value=\"\(s.rawValue)\"\(search.stage == s ? HTML(" selected") : .empty)>\(s.title)</option>"
        }
        let areas: [HTML] = [HTML("<option value=\"\">Any area</option>")] + AreaOfResponsibility.allCases.map { a in
            "<option value=\"\(a.rawValue)\"\(search.area == a ? HTML(" selected") : .empty)>\(a.title)</option>"
        }
        let products: [HTML] = [HTML("<option value=\"\">All products</option>")] + ProductCatalogue.all.map { p in
            "<option value=\"\(p.code)\"\(search.productCode?.uppercased() == p.code ? HTML(" selected") : .empty)>\(p.code) – \(p.name)</option>"
        }
        let from = Int(search.after ?? 0)
        let count: HTML = results.hits.isEmpty
            ? "<p class=\"result-count\" role=\"status\">No lessons match\(search.words.isEmpty ? HTML.empty : HTML(" “\(search.words.joined(separator: " "))”")). Try fewer words or fewer filters.</p>"
            : "<p class=\"result-count\" role=\"status\">Showing \(from + 1)–\(from + results.hits.count) of \(results.total) lesson\(results.total == 1 ? "" : "s")\(search.words.isEmpty ? HTML(", most recent first") : HTML(", best match first")).</p>"
        let next: HTML = results.nextCursor.map { "<p><a class=\"button\" href=\"\(link(after: $0))\">Next page</a></p>" } ?? .empty
        let source: HTML = search.sourceProjectCode.map {
            HTML("<p class=\"hint\">Only lessons recorded by project <a href=\"\(Paths.project($0))\">\($0)</a>. <a href=\"/lessons\">Search all lessons</a></p>")
        } ?? .empty
        return Layout(title: "Lessons learned").render("""
            <h1>Lessons learned</h1>
            <p class="hint">What projects across the programme learned, stage by stage (§4.6.3). Programme guidance is lessons the National Programme Office has promoted.</p>
            <form class="filters-form" method="get" action="/lessons" role="search">
              <label>Words <input name="q" type="search" value="\(search.text)" maxlength="200" placeholder="e.g. smartcard lead time"></label>
              <label>Stage <select name="stage">\(stages)</select></label>
              <label>Area <select name="area">\(areas)</select></label>
              <label>Product <select name="product">\(products)</select></label>
              <label><span>Guidance only</span><input name="guidance" type="checkbox" value="1"\(search.guidanceOnly ? HTML(" checked") : .empty)></label>
              \(search.sourceProjectCode.map { HTML("<input type=\"hidden\" name=\"project\" value=\"\($0)\">") })
              <button type="submit">Search lessons</button>
            </form>
            \(source)
            \(count)
            <ol class="results lessons">\(results.hits.map(hit))</ol>
            \(next)
            """)
    }

    func hit(_ hit: LessonHit) -> HTML {
        let lesson = hit.lesson
        return """
            <li><h2 class="lesson-title"><a href="\(LessonController.path(lesson.id))">\(lesson.title)</a>\(guidanceBadge(lesson))</h2>
            <p class="kind">\(lessonFacts(lesson))</p>
            <p>\(hit.snippet)</p></li>
            """
    }

    func link(after cursor: Int64) -> String {
        var query: [String] = []
        if !search.text.isEmpty { query.append("q=\(urlEncoded(search.text))") }
        if let stage = search.stage { query.append("stage=\(stage.rawValue)") }
        if let area = search.area { query.append("area=\(area.rawValue)") }
        if let product = search.productCode { query.append("product=\(urlEncoded(product))") }
        if search.guidanceOnly { query.append("guidance=1") }
        if let project = search.sourceProjectCode { query.append("project=\(urlEncoded(project))") }
        return "/lessons?" + (query + ["after=\(cursor)"]).joined(separator: "&")
    }
}

func guidanceBadge(_ lesson: Lesson) -> HTML {
    lesson.isGuidance ? " <span class=\"done\">Programme guidance</span>" : .empty
}

/// "LL-000042 · 3 Prepare for Go Live · PACS · IT · project RXX01-PACS · 2026-10-01".
func lessonFacts(_ lesson: Lesson) -> HTML {
    "<span class=\"code\">\(lesson.reference)</span> · Stage \(lesson.stage.title) · \(lesson.productCode) · \(lesson.area.title) · from \(lesson.source.projectCode) · \(lesson.recordedOn.iso)"
}

/// One lesson in full, with promotion for the national office and its history.
struct LessonPage {
    var view: LessonService.LessonView
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let lesson = view.lesson
        let product = ProductCatalogue.product(code: lesson.productCode)?.name ?? lesson.productCode
        let source: HTML = view.sourceInScope
            ? "<a href=\"\(Paths.project(lesson.source.projectCode))\">\(lesson.source.projectCode)</a>" : "\(lesson.source.projectCode)"
        let guidance: HTML = lesson.promotion.map { p in
            "<div class=\"notice success\"><p><strong>Programme guidance</strong>, promoted by \(p.by) on \(p.on.iso).</p></div>"
        } ?? .empty
        let tags: HTML = lesson.tags.isEmpty ? .empty
            : "<p>Tags: \(lesson.tags.map { HTML("<a href=\"/lessons?q=\(urlEncoded($0))\">\($0)</a>") }.joinedHTML(" · "))</p>"
        return Layout(title: lesson.title, breadcrumbs: [("Lessons learned", "/lessons")]).render("""
            <h1>\(lesson.title)</h1>
            <p class="kind"><span class="code">\(lesson.reference)</span>\(guidanceBadge(lesson))</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") })
            \(error.map { HTML("<div class=\"notice error\" role=\"alert\"><h2>Not promoted</h2><p>\($0)</p></div>") })
            \(guidance)
            <section class="cards" aria-label="About this lesson">
              <div class="card"><span class="value">\(lesson.stage.rawValue)</span><span class="label">Stage: \(lesson.stage.title)</span></div>
              <div class="card"><span class="value">\(lesson.productCode)</span><span class="label">\(product)</span></div>
              <div class="card"><span class="value">\(lesson.area.title)</span><span class="label">Area of responsibility</span></div>
              <div class="card"><span class="value">\(source)</span><span class="label">Recorded by \(lesson.recordedBy) on \(lesson.recordedOn.iso)</span></div>
            </section>
            <h2>What happened</h2>
            \(Self.paragraphs(lesson.whatHappened))
            <h2>Recommendation</h2>
            \(Self.paragraphs(lesson.recommendation))
            \(tags)
            \(promoteForm())
            \(history())
            """)
    }

    static func paragraphs(_ text: String) -> HTML {
        HTML(text.split(whereSeparator: \.isNewline).map { HTML("<p>\(String($0))</p>") })
    }

    func promoteForm() -> HTML {
        guard view.canPromote else { return .empty }
        return """
            <form method="post" action="\(LessonController.path(view.lesson.id))/promote">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <input type="hidden" name="version" value="\(view.lesson.version)">
              <p class="hint">Guidance is shown first to every project entering this stage with this product.</p>
              <button type="submit">Promote to programme guidance</button>
            </form>
            """
    }

    func history() -> HTML {
        guard !view.history.isEmpty else { return .empty }
        let items: [HTML] = view.history.map { "<li><time>\($0.at)</time> \($0.actor): \($0.action)</li>" }
        return "<section><h2>History</h2><ul class=\"history\">\(items)</ul></section>"
    }
}
