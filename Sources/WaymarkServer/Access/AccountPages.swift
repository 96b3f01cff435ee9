import Foundation
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// The sign-in form. Errors never say whether the username exists.
struct SignInPage {
    var csrfToken: String
    var next: String
    var username: String = ""
    var error: String?

    func render() -> HTML {
        let notice: HTML = error.map { "<div class=\"notice error\" role=\"alert\"><h2>Sign-in failed</h2><p>\($0)</p></div>" } ?? .empty
        return Layout(title: "Sign in").render("""
            <h1>Sign in to Waymark</h1>
            \(notice)
            <form class="sign-in" action="/sign-in" method="post">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <input type="hidden" name="next" value="\(next)">
              <label for="username">Username</label>
              <input id="username" name="username" type="text" autocomplete="username" value="\(username)" maxlength="64" required>
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required>
              <p><button type="submit">Sign in</button></p>
            </form>
            <p class="hint">Sessions end after 30 minutes without use. Ask your system administrator for an account.</p>
            """)
    }
}

/// The user's own account: who they are, what they can see, and their API tokens.
struct AccountPage {
    var user: ActingUser
    var organisation: Organisation?
    var tokens: [APITokenRecord]
    var csrfToken: String
    var now: Int64
    /// A token just created, shown this once.
    var created: AccountService.CreatedToken?
    var notice: String?

    func render() -> HTML {
        let account = user.account
        let fresh: HTML = created.map { token in
            """
            <div class="notice success" role="status"><h2>Token created: copy it now</h2>
            <p>This is the only time Waymark shows it. Send it as <code>Authorization: Bearer …</code>.</p>
            <p class="secret">\(token.secret)</p></div>
            """
        } ?? .empty
        let message: HTML = notice.map { "<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>" } ?? .empty
        let rows: [HTML] = tokens.map { token in
            let status: String = token.revokedAt != nil ? "revoked" : (token.isUsable(at: now) ? "active" : "expired")
            let action: HTML = status == "active" ? """
                <form action="/account/tokens/\(token.id)/revoke" method="post"><input type="hidden" name="csrf" value="\(csrfToken)">\
                <button type="submit">Revoke</button></form>
                """ : .empty
            return """
                <tr><td>\(token.name)</td><td>\(token.scopeList)</td><td>\(Self.date(token.createdAt))</td><td>\(Self.date(token.expiresAt))</td>\
                <td>\(token.lastUsedAt.map(Self.date) ?? "never")</td><td>\(status)</td><td>\(action)</td></tr>
                """
        }
        let table: HTML = tokens.isEmpty ? "<p>You have no API tokens.</p>" : """
            <table><caption>Your API tokens</caption>
            <thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Expires</th><th>Last used</th><th>Status</th><th></th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return Layout(title: "Your account").render("""
            <h1>Your account</h1>
            \(fresh)\(message)
            <dl><dt>Name</dt><dd>\(account?.displayName ?? user.name)</dd><dt>Username</dt><dd>\(user.name)</dd>
            <dt>Role</dt><dd>\(user.role?.title ?? "none")</dd><dt>Organisation</dt><dd>\(organisation?.name ?? "–")</dd></dl>
            <h2>API tokens</h2>
            <p>A token acts as you, limited to its scopes, until it expires or you revoke it. To rotate one, create its
            replacement, move your integration to it, then revoke the old one.</p>
            \(table)
            <form class="stacked" action="/account/tokens" method="post">
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <label for="token-name">Name (what will use it)</label>
              <input id="token-name" name="name" type="text" maxlength="100" required>
              <fieldset><legend>Scopes</legend>
                <label><input type="checkbox" name="scope.read" value="1" checked> read: records, roll-ups, exports</label>
                <label><input type="checkbox" name="scope.write" value="1"> write: record milestone dates</label>
              </fieldset>
              <label for="token-days">Expires after (days, 1 to 365)</label>
              <input id="token-days" name="days" type="number" min="1" max="365" value="90" required>
              <p><button type="submit">Create token</button></p>
            </form>
            """)
    }

    static func date(_ seconds: Int64) -> String {
        Day(ordinal: Int(seconds / 86_400)).iso
    }
}

/// The audit trail, filterable by record, user and date, newest first.
struct AuditPage {
    var entries: Page<AuditRecord>
    var project: String
    var actor: String
    var from: String
    var to: String

    func render() -> HTML {
        let rows: [HTML] = entries.items.map { e in
            """
            <tr><td class="num">\(e.id ?? 0)</td><td>\(e.at)</td><td>\(e.actor)</td><td>\(e.origin)</td><td>\(e.action)</td>\
            <td>\(e.entityType) \(e.entityID)</td><td class="code">\(e.before.map { String($0.prefix(300)) })</td>\
            <td class="code">\(e.after.map { String($0.prefix(300)) })</td></tr>
            """
        }
        var filters: [String] = []
        if !project.isEmpty { filters.append("project=\(urlEncoded(project))") }
        if !actor.isEmpty { filters.append("user=\(urlEncoded(actor))") }
        if !from.isEmpty { filters.append("from=\(urlEncoded(from))") }
        if !to.isEmpty { filters.append("to=\(urlEncoded(to))") }
        let more: HTML = entries.nextCursor.map { cursor in
            "<p><a href=\"/audit?\((filters + ["before=\(cursor)"]).joined(separator: "&"))\">Older entries</a></p>"
        } ?? .empty
        return Layout(title: "Audit trail").render("""
            <h1>Audit trail</h1>
            <p>Every change, sign-in, supplier read and refused action, newest first. Entries are hash-chained;
            run <code>waymark verify audit</code> to check the chain.</p>
            <form class="filters-form" action="/audit" method="get">
              <label>Project code <input name="project" value="\(project)" maxlength="40"></label>
              <label>User <input name="user" value="\(actor)" maxlength="64"></label>
              <label>From <input name="from" type="date" value="\(from)"></label>
              <label>To <input name="to" type="date" value="\(to)"></label>
              <button type="submit">Filter</button>
            </form>
            <table><caption>\(entries.items.count) entries shown</caption>
            <thead><tr><th class="num">#</th><th>When (UTC)</th><th>User</th><th>From</th><th>Action</th><th>Record</th><th>Before</th><th>After</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            \(more)
            """)
    }
}
