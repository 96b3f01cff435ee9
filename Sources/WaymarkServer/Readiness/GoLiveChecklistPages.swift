import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The project's Go Live Checklists: each standard template, started or not, with its progress.
struct GoLiveChecklistListPage {
    var project: ProjectListing
    var checklists: [String: GoLiveChecklist]
    var canStart: Bool
    var csrfToken: String
    var notice: String?

    func render() -> HTML {
        let code = project.project.code
        let rows: [HTML] = GoLiveChecklistCatalogue.templates.map { template in
            let path = ReadinessPaths.checklist(code, template.code)
            guard let list = checklists[template.code] else {
                let start: HTML = canStart ? """
                    <form method="post" action="\(ReadinessPaths.checklists(code))" class="inline"><input type="hidden" name="csrf" value="\(csrfToken)">\
                    <input type="hidden" name="template" value="\(template.code)"><button type="submit">Start<span class="visually-hidden"> the \(template.title) checklist</span></button></form>
                    """ : .empty
                return "<tr><td>\(template.title)</td><td>\(template.items.count)</td><td>Not started</td><td>\(start)</td></tr>"
            }
            let state: HTML = list.isComplete ? "<span class=\"rag rag-green\">Signed off</span>" : HTML("\(list.signedOffCount) of \(list.items.count) signed off")
            return "<tr><td><a href=\"\(path)\">\(template.title)</a></td><td>\(list.items.count)</td><td>\(state)</td><td></td></tr>"
        }
        return Layout(title: "Go Live Checklists: \(code)", breadcrumbs: [(code, Paths.project(code))]).render("""
            <h1>Go Live Checklists: \(code)</h1>
            <p class="kind">\(project.organisationName) · \(project.project.productCode)</p>
            \(DocumentHTML.notice(notice, error: nil))
            <p>The checks signed off before Go Live (§4.4.1.4, §4.4.1.5). Each item needs an owner and evidence that it is done, then a sign-off \
            by the project manager or the Project Board. When every started checklist is signed off, they stand for the Go Live Checklists product at the Go Live gate.</p>
            <div class="table-wrap"><table><caption>Standard checklists (version \(GoLiveChecklistCatalogue.version))</caption>
            <thead><tr><th scope="col">Checklist</th><th scope="col">Items</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            <p><a href="\(ReadinessPaths.reports(code))">Operational Readiness Reports</a> · <a href="/projects/\(urlEncoded(code))/gates">Stage gates</a></p>
            """)
    }
}

/// One checklist: each item with its owner and evidence form and its sign-off.
struct GoLiveChecklistPage {
    var project: ProjectListing
    var checklist: GoLiveChecklist
    var canEdit: Bool
    var canSignOff: Bool
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let code = project.project.code
        let title = checklist.template?.title ?? checklist.templateCode
        let items: [HTML] = checklist.items.enumerated().map { index, item in
            let text = checklist.template?.item(item.itemID)?.text ?? item.itemID
            let path = ReadinessPaths.checklist(code, checklist.templateCode) + "/items/\(urlEncoded(item.itemID))"
            let state: HTML = item.signedBy.map { HTML("<span class=\"rag rag-green\">Signed off</span> by \($0), \(DocumentHTML.time(item.signedAt ?? ""))") }
                ?? "<span class=\"rag rag-amber\">Not signed off</span>"
            let edit: HTML = canEdit ? """
                <form method="post" action="\(path)" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">\
                <input type="hidden" name="version" value="\(checklist.version)">
                <p><label for="owner-\(index)">Owner</label><input type="text" id="owner-\(index)" name="owner" value="\(item.owner)" maxlength="\(ChecklistRules.maximumOwner)"></p>
                <p><label for="evidence-\(index)">Evidence</label><textarea id="evidence-\(index)" name="evidence" rows="2" maxlength="\(ChecklistRules.maximumEvidence)">\(item.evidence)</textarea></p>
                <p><button type="submit">Save<span class="visually-hidden"> item \(index + 1)</span></button></p></form>
                """ : HTML("<p>Owner: \(item.owner.isEmpty ? "none" : item.owner). Evidence: \(item.evidence.isEmpty ? "none" : item.evidence)</p>")
            let sign: HTML = canSignOff && ChecklistRules.signOffRefusal(item) == nil ? """
                <form method="post" action="\(path)/sign-off"><input type="hidden" name="csrf" value="\(csrfToken)">\
                <input type="hidden" name="version" value="\(checklist.version)"><button type="submit">Sign off<span class="visually-hidden"> item \(index + 1)</span></button></form>
                """ : .empty
            return "<li><h2 class=\"item-title\">\(index + 1). \(text)</h2><p>\(state)</p>\(edit)\(sign)</li>"
        }
        return Layout(title: "\(title) checklist: \(code)", breadcrumbs: [(code, Paths.project(code)), ("Go Live Checklists", ReadinessPaths.checklists(code))]).render("""
            <h1>\(title) checklist: \(code)</h1>
            <p class="kind">\(checklist.signedOffCount) of \(checklist.items.count) items signed off · started by \(checklist.startedBy), \(DocumentHTML.time(checklist.startedAt)) · version \(checklist.version)</p>
            \(DocumentHTML.notice(notice, error: error))
            <p>Changing the owner or evidence of a signed item withdraws its sign-off.</p>
            <ol class="checklist">\(items)</ol>
            """)
    }
}
