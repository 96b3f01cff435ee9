import WaymarkAPI
import WaymarkCore
import WaymarkService
import WaymarkStorage

/// Domain values to the generated API schema types.
enum APIMapping {
    static func ref(_ o: Organisation) -> Components.Schemas.OrganisationRef {
        .init(code: o.code, name: o.name, kind: .init(rawValue: o.kind.rawValue) ?? .site)
    }

    static func organisation(_ o: Organisation, parent: Organisation?) -> Components.Schemas.Organisation {
        .init(code: o.code, name: o.name, kind: .init(rawValue: o.kind.rawValue) ?? .site, subtype: o.subtype,
              supplierRole: o.supplierRole.flatMap { .init(rawValue: $0.rawValue) }, parent: parent.map(ref), postcode: o.postcode,
              openedOn: o.openedOn?.iso, closedOn: o.closedOn?.iso, version: o.version)
    }

    static func summary(_ l: ProjectListing, status: RAGStatus) -> Components.Schemas.ProjectSummary {
        let p = l.project
        return .init(code: p.code, product: p.productCode, _type: .init(rawValue: p.type.rawValue) ?? .lsp,
                     stage: l.stage.rawValue, status: .init(rawValue: status.rawValue) ?? .green,
                     organisationCode: l.organisationCode, organisationName: l.organisationName,
                     supplier: l.supplierName, version: p.version)
    }

    static func project(_ view: ProgrammeService.ProjectView) -> Components.Schemas.Project {
        let p = view.project
        return .init(
            code: p.code, product: p.productCode, productName: ProductCatalogue.product(code: p.productCode)?.name ?? p.productCode,
            _type: .init(rawValue: p.type.rawValue) ?? .lsp, stage: p.stage.rawValue, stageTitle: p.stage.title,
            status: .init(rawValue: view.status.rawValue) ?? .green, statusReason: view.statusReason,
            organisation: ref(view.organisation), supplier: view.listing.supplierName,
            sequenceWarnings: view.sequenceWarnings.map(\.message),
            milestones: p.milestones.map { m in
                .init(milestone: .init(rawValue: m.kind.rawValue)!, title: m.kind.title, baseline: m.baseline?.iso,
                      forecast: m.forecast?.iso, actual: m.actual?.iso, slippageWorkingDays: m.slippage(in: view.calendar),
                      version: m.version)
            },
            version: p.version, release: p.release, state: .init(rawValue: p.state.rawValue), stateOn: p.stateOn?.iso, stateReason: p.stateReason)
    }

    static func cell(_ c: RollUpCell) -> Components.Schemas.RollUpCell {
        .init(projects: c.projects, notStarted: c.notStarted, complete: c.complete,
              milestones: MilestoneKind.allCases.filter { c.carrying($0) > 0 }.map { kind in
                  .init(milestone: .init(rawValue: kind.rawValue)!, carrying: c.carrying(kind),
                        achieved: c.achieved(kind), forecastLate: c.forecastLate(kind))
              })
    }

    static func rollUp(_ r: RollUpReport) -> Components.Schemas.RollUp {
        func products(_ cells: [String: RollUpCell]) -> [Components.Schemas.ProductCell] {
            r.productCodes.compactMap { code in cells[code].map { .init(product: code, counts: cell($0)) } }
        }
        return .init(
            organisation: ref(r.organisation),
            groups: r.groups.map { .init(organisation: $0.organisation.map(ref), products: products($0.cells), total: cell($0.total)) },
            products: products(r.totals), total: cell(r.total))
    }
}
