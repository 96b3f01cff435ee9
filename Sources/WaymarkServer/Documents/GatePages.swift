import WaymarkCore
import WaymarkStorage
import WaymarkService
import WaymarkStorage

/// `/projects/CODE/gates`: decided gates with their evidence, and the next gate's check with
/// a link to each missing item.
struct GatePage {
    var view: GateService.GateView
    var csrfToken: String
    var notice: String?
    var error: String?
    var reason: String?

    func render() -> HTML {
        let project = view.project
        let decided: [HTML] = view.decisions.map { d in
            let evidence: [HTML] = d.evidence.map { e in
                switch e.source ?? .document {
                case .document:
                    "<li><a href=\"\(DocumentHTML.document(e.documentID))\">\(e.productCode)</a> version \(e.versionNumber), SHA-256 <span class=\"code\">\(e.contentHash)</span></li>"
                case .readinessReport:
                    "<li><a href=\"\(ReadinessPaths.report(project.code, e.versionNumber))\">\(e.reference)</a> (Operational Readiness Report), SHA-256 <span class=\"code\">\(e.contentHash)</span></li>"
                case .goLiveChecklists:
                    "<li><a href=\"\(ReadinessPaths.checklists(project.code))\">\(e.reference)</a>, all signed off, SHA-256 <span class=\"code\">\(e.contentHash)</span></li>"
                }
            }
            let gaps: [HTML] = d.gaps.map { "<li>\($0)</li>" }
            return """
                <li class="gate gate-\(d.outcome.rawValue)"><strong>Gate out of stage \(d.stage.title)</strong>: \(d.outcome.title), \(DocumentHTML.time(d.decidedAt)), by \(d.decidedBy)\
                \(d.role.map { HTML(" (\($0.title))") } ?? .empty)\(d.reason.map { HTML("<br>Reason: \($0)") } ?? .empty)
                \(evidence.isEmpty ? HTML.empty : HTML("<br>Evidence:<ul>\(evidence)</ul>"))\(gaps.isEmpty ? HTML.empty : HTML("Missing when overridden:<ul>\(gaps)</ul>"))</li>
                """
        }
        return Layout(title: "\(project.code) stage gates", breadcrumbs: [(project.code, Paths.project(project.code))]).render("""
            <h1>Stage gates for \(project.code)</h1>
            \(DocumentHTML.notice(notice, error: error))
            <p>A stage closes when its mandatory NSI products are approved and its reporting milestone is achieved (catalogue version \(view.catalogue.number)). \
            <a href="\(DocumentHTML.documents(project.code))">Documents</a> · <a href="\(DocumentHTML.hazards(project.code))">Hazard log</a></p>
            \(nextGate)
            <section aria-labelledby="decided"><h2 id="decided">Decided gates</h2>
            \(decided.isEmpty ? HTML("<p>No gate has been decided yet.</p>") : HTML("<ol class=\"timeline\">\(decided)</ol>"))</section>
            """)
    }

    var nextGate: HTML {
        guard let check = view.next else { return "<p class=\"notice success\">Every stage gate has been decided.</p>" }
        let items: [HTML] = check.requirements.map { r in
            "<li class=\"\(r.met ? "met" : "missing")\"><span class=\"mark\">\(r.met ? "Met" : "Missing")</span> \(label(r)) \(r.detail)</li>"
        }
        var form: HTML = .empty
        // A gate that is not met can only be overridden, so only the Project Board gets the button.
        if view.canDecide, check.passes || view.canOverride {
            let override: HTML = check.passes ? .empty : """
                <p><input type="checkbox" id="override" name="override" value="1"> <label for="override">Override as the Project Board: pass the gate without the missing evidence</label></p>
                <label for="reason">Reason for the override</label>
                <textarea id="reason" name="reason" rows="3" maxlength="2000">\(reason ?? "")</textarea>
                """
            form = """
                <form class="stacked gate-form" method="post" action="\(DocumentHTML.gates(view.project.code))"><input type="hidden" name="csrf" value="\(csrfToken)">
                <input type="hidden" name="stage" value="\(check.stage.rawValue)">\(override)
                <p><button type="submit">\(check.passes ? "Pass the gate" : "Record the gate decision")</button></p></form>
                """
        } else if !check.passes {
            form = "<p class=\"hint\">The gate is not met. Supply what is missing; only the Project Board can override it, with a reason.</p>"
        }
        return """
            <section aria-labelledby="next-gate"><h2 id="next-gate">Next: the gate out of stage \(check.stage.title)\(check.stage == GateRules.goLiveGate ? " (the Go Live gate)" : "")</h2>
            <p>\(check.passes ? "Every check is met." : "\(check.missing.count) of \(check.requirements.count) checks are not met.")</p>
            <ul class="gate-checks">\(items)</ul>\(form)</section>
            """
    }

    func label(_ r: GateRequirement) -> HTML {
        switch r.kind {
        case .document(let product, let id):
            let href = id.map(DocumentHTML.document) ?? DocumentHTML.documents(view.project.code) + "#" + DocumentHTML.productAnchor(product.code)
            return "<a href=\"\(href)\">\(product.name)</a>:"
        // The milestone's actual-date field on the project page's form.
        case .milestone(let kind): return "<a href=\"\(Paths.project(view.project.code))#actual-\(kind.rawValue)\">\(kind.title)</a>:"
        case .clinicalSafety: return "<a href=\"\(DocumentHTML.hazards(view.project.code))\">Clinical safety</a>:"
        case .earlierGate: return "Earlier gate:"
        }
    }
}

/// `/organisations/CODE/gates`: "N of M projects" per gate and per key product, with an SVG chart.
struct GateRollUpPage {
    var organisation: Organisation
    var rollUp: GateRollUp

    static let keyProducts = ["PROJECT-BRIEF", "PID", "HAZARD-LOG", "ORR", "GO-LIVE-CHECKLIST", "SAFETY-CASE", "DV-CERTIFICATE"]

    func render() -> HTML {
        let m = rollUp.projects
        let gateRows: [HTML] = NSIStage.allCases.map { stage in
            let counts = rollUp.gates[stage] ?? (0, 0)
            return "<tr><th scope=\"row\">Out of stage \(stage.title)</th><td>\(counts.passed)</td><td>\(counts.overridden)</td><td>\(counts.passed + counts.overridden) of \(m)</td></tr>"
        }
        let productRows: [HTML] = Self.keyProducts.compactMap { code -> HTML? in
            guard let product = NSIProductCatalogue.anyProduct(code: code) else { return nil }
            return "<tr><th scope=\"row\">\(product.name)</th><td>\(rollUp.signedOff[code] ?? 0) of \(m)</td></tr>"
        }
        return Layout(title: "Stage gates: \(organisation.name)", breadcrumbs: [(organisation.name, Paths.organisation(organisation))]).render("""
            <h1>Stage gates and signed products: \(organisation.name)</h1>
            <p>\(m) implementation projects in this \(organisation.kind == .supplier ? "supplier's contracts" : "organisation's subtree").</p>
            \(GateChart(rollUp: rollUp).render())
            <table><caption>Projects that have passed each gate</caption><thead><tr><th>Gate</th><th>Passed</th><th>Overridden</th><th>Total</th></tr></thead>
            <tbody>\(gateRows)</tbody></table>
            <table><caption>Projects with each key product approved</caption><thead><tr><th>Product</th><th>Approved</th></tr></thead>
            <tbody>\(productRows)</tbody></table>
            """)
    }
}

/// Horizontal bars per gate: passed, overridden and the rest, as a share of the projects.
struct GateChart {
    var rollUp: GateRollUp

    func render() -> HTML {
        let width = 640, barWidth = 420, left = 200, rowHeight = 28
        let total = max(rollUp.projects, 1)
        let rows: [HTML] = NSIStage.allCases.enumerated().map { index, stage in
            let counts = rollUp.gates[stage] ?? (0, 0)
            let y = 10 + index * rowHeight
            let passed = barWidth * counts.passed / total
            let overridden = barWidth * counts.overridden / total
            return """
                <text x="\(left - 8)" y="\(y + 15)" text-anchor="end" class="label">Out of stage \(stage.rawValue)</text>
                <rect x="\(left)" y="\(y)" width="\(barWidth)" height="20" class="bar-none"><title>\(stage.title): \(rollUp.projects - counts.passed - counts.overridden) not yet</title></rect>
                <rect x="\(left)" y="\(y)" width="\(passed)" height="20" class="bar-complete"><title>\(stage.title): \(counts.passed) passed</title></rect>
                <rect x="\(left + passed)" y="\(y)" width="\(overridden)" height="20" class="bar-late"><title>\(stage.title): \(counts.overridden) overridden</title></rect>
                <text x="\(left + barWidth + 6)" y="\(y + 15)" class="label">\(counts.passed + counts.overridden)</text>
                """
        }
        let height = 20 + NSIStage.allCases.count * rowHeight
        return """
            <figure class="chart-wrap"><svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-labelledby="gate-chart-title">
            <title id="gate-chart-title">Projects that have passed each stage gate (green), passed by override (amber), not yet (grey)</title>
            \(rows)</svg><figcaption>Stage gates passed, of \(rollUp.projects) projects: green passed, amber Project Board override, grey not yet.</figcaption></figure>
            """
    }
}
