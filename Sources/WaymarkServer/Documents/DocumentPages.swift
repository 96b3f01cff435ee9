import WaymarkCore
import WaymarkService

/// Paths and small pieces the document, gate and hazard pages share.
enum DocumentHTML {
    static func documents(_ projectCode: String) -> String { Paths.project(projectCode) + "/documents" }
    static func document(_ id: Int64) -> String { "/documents/\(id)" }
    static func version(_ id: Int64, _ number: Int) -> String { "/documents/\(id)/versions/\(number)" }
    static func gates(_ projectCode: String) -> String { Paths.project(projectCode) + "/gates" }
    static func hazards(_ projectCode: String) -> String { Paths.project(projectCode) + "/hazards" }
    static func gateRollUp(_ organisation: Organisation) -> String { "/organisations/\(urlEncoded(organisation.code))/gates" }

    /// The id of a product's row on the documents page, which the gate page links to.
    static func productAnchor(_ productCode: String) -> String { "product-\(productCode)" }

    /// A stored timestamp ("2026-12-03T22:24:03.586Z") as people read it: "2026-12-03 22:24 UTC".
    static func time(_ timestamp: String) -> HTML {
        let parts = timestamp.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, timestamp.hasSuffix("Z") else { return "<time>\(timestamp)</time>" }
        return "<time datetime=\"\(timestamp)\">\(String(parts[0])) \(String(parts[1].prefix(5))) UTC</time>"
    }

    static func stateBadge(_ state: DocumentState) -> HTML { "<span class=\"doc-state doc-\(state.rawValue)\">\(state.title)</span>" }

    static func notice(_ notice: String?, error: String?) -> HTML {
        HTML([
            notice.map { "<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>" } ?? .empty,
            error.map { "<div class=\"notice error\" role=\"alert\"><p>\($0)</p></div>" } ?? .empty,
        ])
    }

    /// The upload form for a product (a new document) or a new version of `document`.
    static func uploadForm(projectCode: String, product: String, document: ProjectDocument?, csrfToken: String, maximumBytes: Int) -> HTML {
        let types = DocumentFileType.allCases.flatMap(\.fileExtensions).map { "." + $0 }.joined(separator: ",")
        let hidden: HTML = document.map { "<input type=\"hidden\" name=\"document\" value=\"\($0.id)\"><input type=\"hidden\" name=\"version\" value=\"\($0.version)\">" } ?? .empty
        let id = "upload-\(product)"
        return """
            <form class="upload stacked" method="post" action="\(documents(projectCode))" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="product" value="\(product)">\(hidden)
            <label for="\(id)-file">File (PDF, DOCX, XLSX, ODT or Markdown; at most \(maximumBytes / (1024 * 1024)) MiB)</label>
            <input id="\(id)-file" name="file" type="file" accept="\(types)" required>
            <label for="\(id)-summary">Change summary</label>
            <input id="\(id)-summary" name="changeSummary" type="text" maxlength="500" required>
            <p><button type="submit">Upload\(document == nil ? "" : " new version")</button></p>
            </form>
            """
    }
}

/// `/projects/CODE/documents`: the project's NSI products by stage, with each document's state.
struct ProjectDocumentsPage {
    var view: DocumentService.ProjectDocumentsView
    var csrfToken: String
    var notice: String?
    var error: String?
    var maximumBytes: Int

    func render() -> HTML {
        let project = view.project
        let stages: [HTML] = NSIStage.allCases.map { stage in
            let rows: [HTML] = view.products.filter { $0.product.stage == stage }.map(row)
            return rows.isEmpty ? .empty : """
                <h3>Stage \(stage.title)</h3>
                <table class="documents"><thead><tr><th>Product</th><th>Mandatory</th><th>Approver</th><th>Document</th><th>State</th><th>Actions</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """
        }
        let others: HTML = view.others.isEmpty ? .empty : """
            <h3>Documents of products this catalogue version does not list</h3>
            <ul>\(view.others.map { d -> HTML in "<li><a href=\"\(DocumentHTML.document(d.id))\">\(d.reference)</a> \(d.productCode) \(DocumentHTML.stateBadge(d.state))</li>" })</ul>
            """
        return Layout(title: "\(project.code) documents", breadcrumbs: [(project.code, Paths.project(project.code))]).render("""
            <h1>NSI products for \(project.code)</h1>
            \(DocumentHTML.notice(notice, error: error))
            <p>Catalogue version \(view.catalogue.number) (issued \(view.catalogue.issued.iso)): \(view.catalogue.summary)
             Mandatory products are those this \(project.type.title) project must have approved before the stage's gate. \
            <a href="\(DocumentHTML.gates(project.code))">Stage gates</a> · <a href="\(DocumentHTML.hazards(project.code))">Hazard log</a></p>
            \(catalogueDiff)
            \(stages)
            \(others)
            """)
    }

    func row(_ status: DocumentService.ProductStatus) -> HTML {
        let p = status.product
        let document: HTML = status.document.map { "<a href=\"\(DocumentHTML.document($0.id))\">\($0.reference)</a> v\($0.latestVersion)" } ?? "none"
        let state: HTML = status.document.map { DocumentHTML.stateBadge($0.state) } ?? "<span class=\"doc-state doc-missing\">Not started</span>"
        var actions: [HTML] = []
        if view.canManage, status.document == nil {
            actions.append("""
                <form method="post" action="\(DocumentHTML.documents(view.project.code))/from-template"><input type="hidden" name="csrf" value="\(csrfToken)">\
                <input type="hidden" name="product" value="\(p.code)"><button type="submit">Start from template</button></form>
                <details><summary>Upload</summary>\(DocumentHTML.uploadForm(projectCode: view.project.code, product: p.code, document: nil, csrfToken: csrfToken, maximumBytes: maximumBytes))</details>
                """)
        }
        return """
            <tr id="\(DocumentHTML.productAnchor(p.code))"><td><strong>\(p.name)</strong> <span class="code">\(p.code)</span><br><span class="hint">\(p.purpose)</span></td>\
            <td>\(status.mandatory ? "Yes" : "No")</td><td>\(p.approver.title)</td><td class="ref">\(document)</td><td>\(state)</td><td>\(actions)</td></tr>
            """
    }

    var catalogueDiff: HTML {
        guard let diff = view.newerCatalogue else { return .empty }
        let added: [HTML] = diff.added.map { "<li>Added: <strong>\($0.name)</strong> (stage \($0.stage.title)\($0.isMandatory(for: view.project.type) ? ", mandatory" : ""))</li>" }
        let removed: [HTML] = diff.removed.map { "<li>Removed: \($0.name)</li>" }
        let changed: [HTML] = diff.changed.map { c in "<li>Changed: \(c.after.name): \(c.lines.joined(separator: "; "))</li>" }
        let apply: HTML = view.canManage ? """
            <form method="post" action="\(Paths.project(view.project.code))/catalogue"><input type="hidden" name="csrf" value="\(csrfToken)">\
            <input type="hidden" name="catalogue" value="\(diff.to)"><button type="submit">Apply catalogue version \(diff.to) to this project</button></form>
            """ : .empty
        return """
            <section class="catalogue-diff" aria-labelledby="catalogue-diff"><h2 id="catalogue-diff">Catalogue version \(diff.to) is available</h2>
            <p>This project keeps version \(diff.from), the one it started with, until version \(diff.to) is applied. Applying it would change:</p>
            <ul class="diff">\(added)\(removed)\(changed)</ul>\(apply)</section>
            """
    }
}

/// `/documents/ID`: versions, approvals (void ones flagged), comments and the actions allowed.
struct DocumentPage {
    var view: DocumentService.DocumentView
    /// Who is looking: Approve is offered only to the product's approver role, never to the author.
    var user: ActingUser
    var csrfToken: String
    var notice: String?
    var error: String?
    var maximumBytes: Int

    func render() -> HTML {
        let d = view.document
        let p = view.product
        let versions: [HTML] = view.versions.map(versionSection)
        let upload: HTML = view.canManage ? """
            <section aria-labelledby="new-version"><h2 id="new-version">Upload a new version</h2>
            \(DocumentHTML.uploadForm(projectCode: d.owner.projectCode, product: d.productCode, document: d, csrfToken: csrfToken, maximumBytes: maximumBytes))</section>
            """ : .empty
        let history: [HTML] = view.history.map { "<li>\(DocumentHTML.time($0.at)) · \($0.actor) · \($0.action)</li>" }
        return Layout(title: "\(d.reference) \(p.name)", breadcrumbs: [
            (d.owner.projectCode, Paths.project(d.owner.projectCode)), ("Documents", DocumentHTML.documents(d.owner.projectCode)),
        ]).render("""
            <h1>\(p.name) <span class="code">\(d.reference)</span></h1>
            \(DocumentHTML.notice(notice, error: error))
            <dl class="facts"><dt>Project</dt><dd><a href="\(Paths.project(d.owner.projectCode))">\(d.owner.projectCode)</a></dd>
            <dt>Stage</dt><dd>\(p.stage.title)</dd><dt>State</dt><dd>\(DocumentHTML.stateBadge(d.state))</dd>
            <dt>Approver</dt><dd>\(p.approver.title)</dd><dt>Reviewers</dt><dd>\(p.reviewers.map(\.title).joined(separator: ", "))</dd>
            <dt>Purpose</dt><dd>\(p.purpose)</dd></dl>
            \(versions)
            \(upload)
            <section aria-labelledby="doc-history"><h2 id="doc-history">History</h2><ul>\(history)</ul></section>
            """)
    }

    func versionSection(_ v: DocumentService.VersionView) -> HTML {
        let version = v.version
        let id = view.document.id
        let approval: HTML = version.approval.map { a in
            v.approvalVoid
                ? "<p class=\"approval void\"><strong>Approval void</strong>: approved by \(a.by) (\(a.role.title)) on \(DocumentHTML.time(a.at)) for SHA-256 \(a.contentHash), which the stored file no longer matches.</p>"
                : "<p class=\"approval\">Approved by \(a.by) (\(a.role.title)) on \(DocumentHTML.time(a.at)), for SHA-256 <span class=\"code\">\(a.contentHash)</span>.</p>"
        } ?? .empty
        let comments: [HTML] = v.comments.map { c in "<li><strong>\(c.author)</strong> (\(c.role?.title ?? "")) \(DocumentHTML.time(c.at)): \(c.text)</li>" }
        let offered = v.actions.filter { $0 != .approve || (user.role == view.product.approver && version.author != user.name) }
        let actions: [HTML] = offered.map { action in
            """
            <form method="post" action="\(DocumentHTML.version(id, version.number))/actions" class="inline">\
            <input type="hidden" name="csrf" value="\(csrfToken)"><input type="hidden" name="action" value="\(action.rawValue)">\
            <input type="hidden" name="version" value="\(view.document.version)"><button type="submit">\(action.title)</button></form>
            """
        }
        let commentForm: HTML = view.canManage && !(version.state == .superseded || version.state == .obsolete) ? """
            <form class="stacked comment" method="post" action="\(DocumentHTML.version(id, version.number))/comments"><input type="hidden" name="csrf" value="\(csrfToken)">
            <label for="comment-\(version.number)">Review comment on version \(version.number)</label>
            <textarea id="comment-\(version.number)" name="comment" rows="3" maxlength="4000" required></textarea>
            <p><button type="submit">Add comment</button></p></form>
            """ : .empty
        return """
            <section class="doc-version" aria-labelledby="version-\(version.number)">
            <h2 id="version-\(version.number)">Version \(version.number) \(DocumentHTML.stateBadge(version.state))</h2>
            <p><a href="\(DocumentHTML.version(id, version.number))">\(version.fileName)</a> · \(version.fileType.title) · \(version.size) bytes · \
            <a href="\(DocumentHTML.version(id, version.number))/download">Download</a></p>
            <p>By \(version.author) on \(DocumentHTML.time(version.authoredAt)): \(version.changeSummary)</p>
            <p class="hint">SHA-256 <span class="code">\(version.contentHash)</span></p>
            \(approval)
            \(actions.isEmpty ? HTML.empty : HTML("<div class=\"actions\">\(actions)</div>"))
            \(comments.isEmpty ? HTML.empty : HTML("<h3>Review comments</h3><ul class=\"comments\">\(comments)</ul>"))
            \(commentForm)
            </section>
            """
    }
}

/// One version: Markdown renders as HTML (escaped by `MarkdownHTML`); other types link to the download.
struct DocumentVersionPage {
    var view: DocumentService.DocumentView
    var version: DocumentVersion
    var content: [UInt8]

    func render() -> HTML {
        let d = view.document
        let body: HTML = version.fileType == .markdown
            ? "<article class=\"document\">\(HTML.markdown(String(decoding: content, as: UTF8.self)))</article>"
            : "<p>\(version.fileType.title) files are not shown in the browser. <a href=\"\(DocumentHTML.version(d.id, version.number))/download\">Download \(version.fileName)</a>.</p>"
        return Layout(title: "\(d.reference) version \(version.number)", breadcrumbs: [
            (d.owner.projectCode, Paths.project(d.owner.projectCode)), (d.reference, DocumentHTML.document(d.id)),
        ]).render("""
            <h1>\(view.product.name), version \(version.number) \(DocumentHTML.stateBadge(version.state))</h1>
            <p><a href="\(DocumentHTML.version(d.id, version.number))/download">Download \(version.fileName)</a> · SHA-256 <span class="code">\(version.contentHash)</span></p>
            \(body)
            """)
    }
}
