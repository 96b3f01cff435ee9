import WaymarkCore
import WaymarkService

/// Keeping an organisation's place in the hierarchy (issue 13): its details, adding an
/// organisation below it, moving it, and closing it. Each is a plain form; a refused one comes
/// back with its entries and each error beside its field.
struct OrganisationManagePage {
    var organisation: Organisation
    var parent: Organisation?
    var csrfToken: String
    var notice: String? = nil
    /// Which form was refused ("edit", "add", "move", "close"), what it sent, and why.
    var form = FormState()

    func render() -> HTML {
        let o = organisation
        let status: HTML = o.closedOn.map { HTML("<p class=\"notice\">Closed on \($0.iso). It keeps its history, roll-ups and audit trail.</p>") } ?? .empty
        return Layout(title: "Manage \(o.name)", breadcrumbs: [(o.name, Paths.organisation(o))]).render("""
            <h1>Manage \(o.name)</h1>
            <p class="kind">\(o.kind.title) · \(o.code)\(parent.map { HTML(" · under \($0.name) (\($0.code))") } ?? .empty)</p>
            \(notice.map { HTML("<div class=\"notice success\" role=\"status\"><p>\($0)</p></div>") } ?? .empty)
            \(form.summary)\(status)
            \(o.kind == .national ? HTML("<p><a href=\"/organisations/import\">Import organisations from an ODS extract (CSV)</a> · <a href=\"/rollout\">Roll a product out to many sites</a></p>") : .empty)
            \(editForm())
            \(o.isClosed ? .empty : addForm())
            \(o.isClosed || !ProjectLifecycleRules.levels.contains(o.kind) ? .empty : projectForm())
            \(o.isClosed || OrganisationRules.parentKind(of: o.kind) == nil || o.kind == .cluster ? .empty : moveForm())
            \(o.isClosed || o.kind == .national ? .empty : closeForm())
            """)
    }

    func field(_ form: String, _ name: String, _ label: String, _ stored: String? = nil, type: String = "text", hint: String? = nil) -> HTML {
        self.form.field(form, name, label, stored, type: type, hint: hint)
    }

    /// The organisation's own address (the national programme's page is "/", its record is not).
    var base: String { "/organisations/\(urlEncoded(organisation.code))" }

    var hidden: HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(organisation.version)\">"
    }

    func editForm() -> HTML {
        let o = organisation
        return """
            <section><h2>Details</h2>
            <form class="stacked" method="post" action="\(base)" novalidate>\(hidden)
            \(field("edit", "name", "Name", o.name))
            \(field("edit", "subtype", "Type", o.subtype, hint: "For example acute trust, primary care trust, GP practice or hospital."))
            \(field("edit", "postcode", "Postcode", o.postcode))
            \(field("edit", "openedOn", "Opened on", o.openedOn?.iso, type: "date"))
            <p><button type="submit">Save details</button></p>
            </form></section>
            """
    }

    func addForm() -> HTML {
        let o = organisation
        let kinds: [OrganisationKind] = o.kind == .national ? [.cluster, .supplier] : o.kind.childKind.map { [$0] } ?? []
        guard !kinds.isEmpty else { return .empty }
        let chosen = form.failedForm == "add" ? form.entered["kind"] ?? kinds[0].rawValue : kinds[0].rawValue
        let options: [HTML] = kinds.map { kind in
            "<option value=\"\(kind.rawValue)\"\(kind.rawValue == chosen ? HTML(" selected") : .empty)>\(kind.title)</option>"
        }
        let roles: [HTML] = [HTML("<option value=\"\">Not a supplier</option>")] + SupplierRole.allCases.map { role in
            "<option value=\"\(role.rawValue)\"\(form.failedForm == "add" && form.entered["supplierRole"] == role.rawValue ? HTML(" selected") : .empty)>\(role.title)</option>"
        }
        return """
            <section><h2>Add an organisation below \(o.name)</h2>
            <form class="stacked" method="post" action="\(base)/children" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <label for="add-kind">Level</label><select id="add-kind" name="kind">\(options)</select>
            \(o.kind == .national ? HTML("<label for=\"add-supplierRole\">Supplier role</label><select id=\"add-supplierRole\" name=\"supplierRole\">\(roles)</select>") : .empty)
            \(field("add", "code", "ODS code", hint: "2 to 12 letters, digits or hyphens, for example RR8 or B86001."))
            \(field("add", "name", "Name"))
            \(field("add", "subtype", "Type"))
            \(field("add", "postcode", "Postcode"))
            \(field("add", "openedOn", "Opened on", type: "date", hint: "Leave empty for today."))
            <p><button type="submit">Add organisation</button></p>
            </form></section>
            """
    }

    func moveForm() -> HTML {
        let o = organisation
        let above = OrganisationRules.parentKind(of: o.kind)?.title.lowercased() ?? "parent"
        return """
            <section><h2>Move \(o.name)</h2>
            <p>Everything below it, and its projects, registers, documents and lessons, move with it.</p>
            <form class="stacked" method="post" action="\(base)/move" novalidate>\(hidden)
            \(field("move", "parent", "Code of the new \(above)"))
            <p><button type="submit">Move</button></p>
            </form></section>
            """
    }

    func closeForm() -> HTML {
        let o = organisation
        return """
            <section><h2>Close \(o.name)</h2>
            <p>A closed organisation keeps its history, roll-ups and audit trail. It cannot close while any project, or any open organisation, is below it.</p>
            <form class="stacked" method="post" action="\(base)/close" novalidate>\(hidden)
            \(field("close", "closedOn", "Closing date", type: "date", hint: "Leave empty for today."))
            <p><button type="submit" class="warning">Close organisation</button></p>
            </form></section>
            """
    }

    /// One project by hand: a product, its type, and a baseline for each mandatory milestone.
    func projectForm() -> HTML {
        let chosen = form.failedForm == "project" ? form.entered["product"] ?? "" : ""
        let products: [HTML] = ProductCatalogue.all.map { p in
            "<option value=\"\(p.code)\"\(p.code == chosen ? HTML(" selected") : .empty)>\(p.name) (\(p.code))</option>"
        }
        let types: [HTML] = [HTML("<option value=\"\">The product's usual type</option>")] + ProjectType.allCases.map { t in
            "<option value=\"\(t.rawValue)\"\(form.failedForm == "project" && form.entered["type"] == t.rawValue ? HTML(" selected") : .empty)>\(t.rawValue.uppercased())</option>"
        }
        let baselines: [HTML] = MilestoneKind.allCases.map { kind in
            field("project", MilestoneRules.field("baseline", kind), "\(kind.title) baseline", type: "date")
        }
        return """
            <section><h2>Add a project at \(organisation.name)</h2>
            <p>A product already run here becomes its next release once the earlier one has gone live. The supplier comes from the contracts in force today. An ESP project has only Initiation Completed and Go-Live Completed.</p>
            <form class="stacked" method="post" action="\(base)/projects" novalidate>
            <input type="hidden" name="csrf" value="\(csrfToken)">
            <label for="project-product">Product</label><select id="project-product" name="product">\(products)</select>
            <label for="project-type">Type</label><select id="project-type" name="type">\(types)</select>
            \(baselines)
            <p><button type="submit">Add project</button></p>
            </form></section>
            """
    }
}
