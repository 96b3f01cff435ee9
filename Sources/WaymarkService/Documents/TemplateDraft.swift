import Foundation
import WaymarkCore
import WaymarkStorage

/// The NSI products' Markdown templates (Sources/WaymarkService/NSITemplates/CODE.md).
public enum TemplateLibrary {
    /// The template for a catalogue code, or nil if none ships.
    public static func template(code: String) -> String? {
        let safe = code.uppercased().filter { $0.isLetter || $0.isNumber || $0 == "-" }
        guard !safe.isEmpty, let url = Bundle.module.url(forResource: safe, withExtension: "md", subdirectory: "NSITemplates") else {
            return nil
        }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}

/// A draft from a template, filled with what Waymark knows about the project: its
/// organisation and product, milestones, open risks and issues, named roles and hazards.
struct TemplateDraft {
    let gate: AccessGate
    let store: any DocumentRepository & TrackingRepository & PlanRepository & AccountRepository & OrganisationRepository & ProjectRepository & AuditRepository

    func render(product: NSIProduct, listing: ProjectListing, as user: ActingUser) async throws -> String {
        guard let template = TemplateLibrary.template(code: product.code) else {
            throw ServiceError(.refused, "No template ships for \(product.name) (\(product.code)); upload the document instead.")
        }
        return DocumentTemplate.fill(template, with: try await context(product: product, listing: listing, as: user))
    }

    func context(product: NSIProduct, listing: ProjectListing, as user: ActingUser) async throws -> TemplateContext {
        let project = listing.project
        let scope = try await gate.authorise(.viewRecords, as: user)
        guard let organisation = try await store.organisation(id: project.organisationID, scope: scope) else {
            throw ServiceError.unknownProject(project.code)
        }
        let ancestors = try await store.ancestors(of: organisation, scope: scope)
        let catalogue = try await store.catalogueVersion(projectID: project.id)
        let values: [String: String] = [
            "project.code": project.code, "project.type": project.type.title, "project.stage": project.stage.title,
            "organisation.name": listing.organisationName, "organisation.code": listing.organisationCode,
            "sha.name": ancestors.first { $0.kind == .sha }?.name ?? "not recorded",
            "cluster.name": ancestors.first { $0.kind == .cluster }?.name ?? "not recorded",
            "product.code": project.productCode, "product.name": ProductCatalogue.product(code: project.productCode)?.name ?? project.productCode,
            "product.summary": ProductCatalogue.product(code: project.productCode)?.summary ?? "",
            "supplier.name": listing.supplierName ?? "none recorded", "document.name": product.name, "document.purpose": product.purpose,
            "document.stage": product.stage.title, "catalogue.version": String(catalogue), "author": user.name,
            "today": gate.clock.today.iso,
        ]
        let milestones = DocumentTemplate.table(
            ["Milestone", "Baseline", "Forecast", "Actual"],
            project.milestones.map { [$0.kind.title, $0.baseline?.iso ?? "-", $0.forecast?.iso ?? "-", $0.actual?.iso ?? "-"] },
            empty: "No reporting milestones recorded.")
        let owner = RegisterOwner.project(project, heldBy: organisation)
        let items = try await store.trackingItems(TrackingQuery(scope: scope, register: owner, status: .open, limit: 50)).items
        func rows(_ kind: TrackingKind) -> [[String]] {
            items.filter { $0.kind == kind }.map {
                [$0.reference, $0.title, "\($0.current.priority.rawValue) \($0.current.priority.title)", $0.current.controllability.rawValue,
                 "\($0.current.probability)%", $0.ownerName]
            }
        }
        let header = ["Ref", "Title", "Priority", "Controllability", "Probability", "Owner"]
        let people = try await store.users(limit: 1000).filter { account in
            account.active && (account.organisationID == project.organisationID || project.ancestry.ids.contains(account.organisationID))
                && account.role.homeKinds.contains(.trust)
        }
        let hazards = try await store.hazards(projectID: project.id)
        return TemplateContext(values: values, blocks: [
            "milestones": milestones,
            "risks": DocumentTemplate.table(header, rows(.risk), empty: "No open risks in the project's register."),
            "issues": DocumentTemplate.table(header, rows(.issue), empty: "No open issues in the project's register."),
            "roles": DocumentTemplate.table(["Role", "Name", "User"], people.map { [$0.role.title, $0.displayName, $0.username] },
                                            empty: "No named users at this organisation yet; add them with `waymark user add`."),
            "hazards": DocumentTemplate.table(
                ["Ref", "Hazard", "Initial", "Residual", "Status"],
                hazards.map { [$0.reference, $0.title, $0.initialRating.title, $0.residualRating.title, $0.status.title] },
                empty: "No hazards recorded in the hazard log yet."),
        ])
    }
}
