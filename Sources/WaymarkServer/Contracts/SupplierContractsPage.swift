import WaymarkCore
import WaymarkService

/// The supplier contracts that cover an organisation (issue 13): who delivers which products
/// there, from when to when. Those who may manage the organisation add a contract here, and
/// hand over or end one held here; each is a plain form.
struct SupplierContractsPage {
    var organisation: Organisation
    var listings: [SupplierContractService.Listing]
    var canManage: Bool
    var csrfToken: String
    var notice: String? = nil
    var form = FormState()

    func render() -> HTML {
        let o = organisation
        let base = "/organisations/\(urlEncoded(o.code))/contracts"
        let here = listings.filter { $0.organisation.id == o.id }
        return Layout(title: "Supplier contracts: \(o.name)", breadcrumbs: [(o.name, Paths.organisation(o))]).render("""
            <h1>Supplier contracts</h1>
            <p class="kind">\(o.name) · \(o.kind.title) · \(o.code)</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)
            <p>\(o.kind == .supplier ? "The contracts this supplier holds." : "The contracts that cover \(o.name): its own and those above it. The deepest contract in force decides who delivers each project, and so which supplier's staff see it.")</p>
            \(table())
            \(canManage ? HTML(here.filter { $0.inForce || $0.contract.endsOn == nil }.map { changeForms($0, base: base) }) : .empty)
            \(canManage && o.kind.contractDepth != nil ? addForm(base: base) : .empty)
            """)
    }

    func table() -> HTML {
        guard !listings.isEmpty else { return "<p>No contracts.</p>" }
        let rows: [HTML] = listings.map { l in
            let c = l.contract
            return """
                <tr><td>\(c.reference)</td><td><a href="\(Paths.organisation(l.supplier))">\(l.supplier.name)</a></td>\
                <td><a href="\(Paths.organisation(l.organisation))">\(l.organisation.name)</a></td><td>\(c.products.joined(separator: ", "))</td>\
                <td>\(c.startsOn.iso)</td><td>\(c.endsOn?.iso ?? "open-ended")</td><td>\(l.inForce ? "In force" : "Not in force")</td></tr>
                """
        }
        return """
            <div class="table-wrap"><table><caption>Contracts, newest first</caption>
            <thead><tr><th scope="col">Reference</th><th scope="col">Supplier</th><th scope="col">Covers</th><th scope="col">Products</th>\
            <th scope="col">From</th><th scope="col">To</th><th scope="col">Today</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            """
    }

    /// Hand over or end a contract held here; the form name carries the reference, so a
    /// refusal comes back beside the right contract.
    func changeForms(_ listing: SupplierContractService.Listing, base: String) -> HTML {
        let c = listing.contract
        let action = "\(base)/\(urlEncoded(c.reference))"
        let hidden: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(c.version)\">"
        let open = form.failedForm?.hasSuffix(":" + c.reference) == true
        return """
            <details\(open ? HTML(" open") : .empty)><summary>Hand over or end \(c.reference) (\(listing.supplier.name))</summary>
            <form class="stacked" method="post" action="\(action)/handover" novalidate>\(hidden)
            <h2>Hand over to another supplier</h2>
            <p>\(c.reference) ends the day before; the new contract covers the same products here from that day.</p>
            \(form.field("handover:\(c.reference)", "supplier", "Code of the supplier taking over"))
            \(form.field("handover:\(c.reference)", "on", "First day with the new supplier", type: "date"))
            \(form.field("handover:\(c.reference)", "reference", "Reference of the new contract"))
            <p><button type="submit">Hand over</button></p>
            </form>
            <form class="stacked" method="post" action="\(action)/end" novalidate>\(hidden)
            <h2>End the contract</h2>
            \(form.field("end:\(c.reference)", "endsOn", "Last day in force", type: "date"))
            <p><button type="submit" class="warning">End contract</button></p>
            </form></details>
            """
    }

    func addForm(base: String) -> HTML {
        """
        <section><h2>Add a contract here</h2>
        <form class="stacked" method="post" action="\(base)" novalidate>
        <input type="hidden" name="csrf" value="\(csrfToken)">
        \(form.field("add", "reference", "Reference", hint: "Letters, digits, dots, dashes or underscores, for example LSP-NME-2004."))
        \(form.field("add", "supplier", "Supplier code"))
        \(form.field("add", "products", "Products", hint: "Product codes separated by spaces, for example CRS PACS CAB."))
        \(form.field("add", "startsOn", "From", type: "date"))
        \(form.field("add", "endsOn", "To", type: "date", hint: "Leave empty for open-ended."))
        <p><button type="submit">Add contract</button></p>
        </form></section>
        """
    }
}
