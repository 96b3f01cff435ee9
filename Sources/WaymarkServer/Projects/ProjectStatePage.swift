import WaymarkCore
import WaymarkService

/// Closing a project at stage 5, or cancelling it (issue 13). Both are plain forms; a refused
/// one comes back with its entries and each error beside its field.
struct ProjectStatePage {
    var project: ImplementationProject
    var csrfToken: String
    var form = FormState()

    func render() -> HTML {
        let p = project
        let base = "/projects/\(urlEncoded(p.code))"
        let hidden: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(p.version)\">"
        let closing: HTML = ProjectLifecycleRules.closeRefusal(p).map { HTML("<p>\($0)</p>") } ?? """
            <form class="stacked" method="post" action="\(base)/close" novalidate>\(hidden)
            <p><button type="submit">Close project</button></p></form>
            """
        return Layout(title: "Close or cancel \(p.code)", breadcrumbs: [(p.code, base)]).render("""
            <h1>Close or cancel \(p.code)</h1>
            \(form.summary)
            <p>A closed or cancelled project leaves the live roll-ups. It keeps its history, exports and audit trail.</p>
            <section><h2>Close at stage 5</h2>\(p.isLive ? closing : HTML("<p>It is already \(p.state.title.lowercased()).</p>"))</section>
            <section><h2>Cancel</h2>
            <form class="stacked" method="post" action="\(base)/cancel" novalidate>\(hidden)
            \(form.field("cancel", "reason", "Why is it cancelled?"))
            \(form.field("cancel", "ccn", "Change Control Note number", hint: "Needed when the project is on an agreed DIP: the approved note that names it."))
            <p><button type="submit" class="warning">Cancel project</button></p>
            </form></section>
            """)
    }
}
