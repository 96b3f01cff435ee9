import WaymarkCore

/// The page frame every HTML page shares: header with search, breadcrumbs, main content.
struct Layout {
    var title: String
    var breadcrumbs: [(label: String, href: String)] = []
    var searchText: String = ""

    func render(_ content: HTML) -> HTML {
        let crumbs: HTML = breadcrumbs.isEmpty ? .empty : """
            <nav class="breadcrumbs" aria-label="Breadcrumb"><ol>\(breadcrumbs.map { crumb -> HTML in
                "<li><a href=\"\(crumb.href)\">\(crumb.label)</a></li>" })<li aria-current="page">\(title)</li></ol></nav>
            """
        return """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Waymark</title>
            <link rel="stylesheet" href="/static/waymark.css">
            </head>
            <body>
            <header class="masthead">
              <a class="brand" href="/">Waymark</a>
              <span class="tagline">National Standard for Implementation</span>
            \(navigation)
            </header>
            \(crumbs)
            <main id="main">
            \(content)
            </main>
            <footer class="footer">Waymark · milestones follow the NHS National Programme for IT Implementation Guide v3 (§4.6.1.1).</footer>
            </body>
            </html>
            """
    }

    /// Navigation, search and the account links: only for a signed-in user.
    var navigation: HTML {
        guard let chrome = PageChrome.current else { return .empty }
        let audit: HTML = HTML([chrome.canViewAudit ? " <a href=\"/audit\">Audit trail</a>" : .empty,
                                chrome.canManageUsers ? " <a href=\"/users\">Users</a>" : .empty])
        return """
            <nav class="mainnav"><a href="/">Dashboard</a> <a href="/projects">Projects</a> <a href="/lessons">Lessons</a>\(audit) <a href="/api/v1/openapi.yaml">API</a></nav>
            <form class="search" action="/search" method="get" role="search">
              <label for="q" class="visually-hidden">Search organisations and projects</label>
              <input id="q" name="q" type="search" value="\(searchText)" placeholder="Organisation or project name or code" maxlength="200">
              <button type="submit">Search</button>
            </form>
            <div class="account"><a href="/account">\(chrome.userName)</a> <span class="role">\(chrome.roleTitle)</span>
              <form action="/sign-out" method="post"><input type="hidden" name="csrf" value="\(chrome.csrfToken)"><button type="submit" class="link">Sign out</button></form>
            </div>
            """
    }

    static func crumbs(for ancestors: [Organisation]) -> [(label: String, href: String)] {
        ancestors.map { ($0.kind == .national ? "National" : $0.name, Paths.organisation($0)) }
    }
}

/// URLs of the HTML pages, in one place.
enum Paths {
    static func organisation(_ organisation: Organisation) -> String {
        organisation.kind == .national ? "/" : "/organisations/\(urlEncoded(organisation.code))"
    }
    static func organisation(_ organisation: Organisation, product: String?) -> String {
        let base = organisation.kind == .national ? "/" : "/organisations/\(urlEncoded(organisation.code))"
        return product.map { base + "?product=\(urlEncoded($0))" } ?? base
    }
    static func project(_ code: String) -> String { "/projects/\(urlEncoded(code))" }
    static func projects(within organisation: Organisation?, product: String? = nil) -> String {
        var query: [String] = []
        if let organisation, organisation.kind != .national { query.append("within=\(urlEncoded(organisation.code))") }
        if let product { query.append("product=\(urlEncoded(product))") }
        return "/projects" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}

func ragBadge(_ status: RAGStatus) -> HTML {
    "<span class=\"rag rag-\(status.rawValue)\">\(status.title)</span>"
}
