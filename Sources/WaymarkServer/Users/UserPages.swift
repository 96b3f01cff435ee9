import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The users list (issue 13): filter by organisation, role and text; keyset pages.
struct UserListPage {
    var page: Page<UserListing>
    var organisation: String
    var role: Role?
    var text: String

    func render() -> HTML {
        let roles: [HTML] = [HTML("<option value=\"\">Any role</option>")] + Role.allCases.map { r in
            "<option value=\"\(r.rawValue)\"\(role == r ? HTML(" selected") : .empty)>\(r.title)</option>"
        }
        let rows: [HTML] = page.items.map { listing in
            let u = listing.user
            return """
                <tr><td><a href="/users/\(urlEncoded(u.username))">\(u.username)</a></td><td>\(u.displayName)</td><td>\(u.role.title)</td>\
                <td>\(listing.organisation.name) <span class="code">\(listing.organisation.code)</span></td><td>\(u.active ? "Active" : "Deactivated")</td></tr>
                """
        }
        var filters: [String] = []
        if !organisation.isEmpty { filters.append("organisation=\(urlEncoded(organisation))") }
        if let role { filters.append("role=\(role.rawValue)") }
        if !text.isEmpty { filters.append("q=\(urlEncoded(text))") }
        let next: HTML = page.nextCursor.map { cursor in
            "<p><a class=\"button\" href=\"/users?\((filters + ["after=\(cursor)"]).joined(separator: "&"))\">Next page</a></p>"
        } ?? .empty
        return Layout(title: "Users").render("""
            <h1>Users</h1>
            <p><a class="button" href="/users/new">Add a user</a> <a href="/users/import">Import users from a CSV file</a></p>
            <form class="filters-form" method="get" action="/users">
              <label>Organisation code <input name="organisation" value="\(organisation)" maxlength="40"></label>
              <label>Role <select name="role">\(roles)</select></label>
              <label>Username or name <input name="q" value="\(text)" maxlength="200"></label>
              <button type="submit">Filter</button>
            </form>
            <table class="list">
              <thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Organisation</th><th scope="col">Status</th></tr></thead>
              <tbody>\(rows.isEmpty ? ["<tr><td colspan=\"5\">No users match.</td></tr>"] : rows)</tbody>
            </table>
            \(next)
            """)
    }
}

/// Shared pieces of the add and edit forms; fields and errors come from `TrackingForm`.
enum UserForm {
    static func summary(_ errors: [FieldError]) -> HTML {
        guard !errors.isEmpty else { return .empty }
        let items: [HTML] = errors.map { error in
            error.field.isEmpty ? "<li>\(error.message)</li>" : "<li><a href=\"#f-\(error.field)\">\(error.message)</a></li>"
        }
        return "<div class=\"notice error\" role=\"alert\"><h2>Nothing was changed</h2><ul>\(items)</ul></div>"
    }

    static func roleOptions(_ roles: [Role]) -> [(value: String, title: String)] { roles.map { ($0.rawValue, $0.title) } }

    static let organisationHint = "The code of their trust, SHA, cluster or supplier, or NPO for the National Programme."
}

/// Adding a user: they get no password here; issue them a reset link from their page.
struct UserNewPage {
    var csrfToken: String
    var roles: [Role]
    var entered: [String: String] = [:]
    var errors: [FieldError] = []

    func render() -> HTML {
        let form = TrackingForm(values: entered, errors: errors, isNew: true)
        return Layout(title: "Add a user", breadcrumbs: [("Users", "/users")]).render("""
            <h1>Add a user</h1>
            \(UserForm.summary(errors))
            <form class="stacked" method="post" action="/users" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            \(form.text("username", "Username", hint: "3 to 64 letters, digits, '.', '-' or '_'. It cannot be changed later.", required: true))
            \(form.text("name", "Full name", required: true))
            \(form.select("role", "Role", UserForm.roleOptions(roles), blank: "Choose a role"))
            \(form.text("organisation", "Organisation code", hint: UserForm.organisationHint, required: true))
            <p><button type="submit">Add user</button></p>
            </form>
            <p>The new user has no password. On the next page, issue them a one-time link to set one.</p>
            """)
    }
}

/// One user: their details, role and organisation; deactivation; a one-time reset link.
struct UserPage {
    var listing: UserListing
    var roles: [Role]
    var csrfToken: String
    var notice: String? = nil
    /// A link just issued, shown this once, as a full address.
    var resetLink: (address: String, expires: String)? = nil
    var entered: [String: String]? = nil
    var errors: [FieldError] = []

    func render() -> HTML {
        let u = listing.user
        let base = "/users/\(urlEncoded(u.username))"
        let values = entered ?? ["name": u.displayName, "role": u.role.rawValue, "organisation": listing.organisation.code]
        let form = TrackingForm(values: values, errors: errors, isNew: false)
        let hidden: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(u.version)\">"
        let fresh: HTML = resetLink.map { link in
            """
            <div class="notice success" role="status"><h2>Password link issued: send it to \(u.displayName) now</h2>
            <p>This is the only time Waymark shows it. It works once, until \(link.expires) (UTC).</p>
            <p class="secret">\(link.address)</p></div>
            """
        } ?? .empty
        let access: HTML = u.active ? """
            <form method="post" action="\(base)/deactivate">\(hidden)<p>Deactivating ends their sessions and revokes their API tokens at once.</p>
            <p><button type="submit" class="warning">Deactivate user</button></p></form>
            """ : """
            <form method="post" action="\(base)/reactivate">\(hidden)<p>This user is deactivated and cannot sign in.</p>
            <p><button type="submit">Reactivate user</button></p></form>
            """
        let reset: HTML = u.active ? """
            <section><h2>Password</h2><p>Issue a one-time link with which \(u.displayName) sets a new password. It replaces any earlier link.</p>
            <form method="post" action="\(base)/reset-link"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><button type="submit">Issue a password link</button></p></form></section>
            """ : .empty
        return Layout(title: u.displayName, breadcrumbs: [("Users", "/users")]).render("""
            <h1>\(u.displayName)</h1>
            <p class="kind">\(u.username) · \(u.role.title) · \(listing.organisation.name) · \(u.active ? "Active" : "Deactivated")</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(fresh)\(UserForm.summary(errors))
            <section><h2>Details</h2>
            <form class="stacked" method="post" action="\(base)" novalidate>\(hidden)
            \(form.text("name", "Full name"))
            \(form.select("role", "Role", UserForm.roleOptions(roles.contains(u.role) ? roles : [u.role] + roles)))
            \(form.text("organisation", "Organisation code", hint: UserForm.organisationHint))
            <p><button type="submit">Save details</button></p>
            </form></section>
            <section><h2>Access</h2>\(access)</section>
            \(reset)
            """)
    }
}
