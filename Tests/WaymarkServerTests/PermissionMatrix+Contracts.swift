import HTTPTypes
import WaymarkCore

extension PermissionMatrix {
    /// Supplier contracts (issue 13). Writes stop after authorisation: an empty supplier (422),
    /// or version 0 of the contract held at the position (412; 404 where none is held there).
    static let contractRoutes: [String: Rule] = [
        "GET /organisations/{code}/contracts": .organisation(.viewRecords),
        "GET /api/v1/organisations/{code}/contracts": .organisation(.viewRecords),
        "POST /organisations/{code}/contracts": .custom(.manageOrganisations, .organisation) { target, _ in
            (.form("/organisations/\(target.organisation.code)/contracts", [("reference", "M1"), ("supplier", ""), ("startsOn", "2027-01-01")]),
             .unprocessableContent)
        },
        "POST /api/v1/organisations/{code}/contracts": .custom(.manageOrganisations, .organisation) { target, _ in
            (.json(.post, "/api/v1/organisations/\(target.organisation.code)/contracts",
                   #"{"reference": "M1", "supplier": "", "products": ["CRS"], "startsOn": "2027-01-01"}"#), .unprocessableContent)
        },
        "POST /organisations/{code}/contracts/{reference}/handover": .custom(.manageOrganisations, .organisation) { target, dataset in
            let (reference, status) = held(at: target.organisation, dataset)
            return (.form("/organisations/\(target.organisation.code)/contracts/\(reference)/handover",
                          [("supplier", "SACN"), ("on", "2030-01-01"), ("reference", "M2"), ("version", "0")]), status)
        },
        "POST /organisations/{code}/contracts/{reference}/end": .custom(.manageOrganisations, .organisation) { target, dataset in
            let (reference, status) = held(at: target.organisation, dataset)
            return (.form("/organisations/\(target.organisation.code)/contracts/\(reference)/end",
                          [("endsOn", "2030-01-01"), ("version", "0")]), status)
        },
        "POST /api/v1/organisations/{code}/contracts/{reference}/handover": .custom(.manageOrganisations, .organisation) { target, dataset in
            let (reference, status) = held(at: target.organisation, dataset)
            return (stale(.post, "/api/v1/organisations/\(target.organisation.code)/contracts/\(reference)/handover",
                          #"{"supplier": "SACN", "on": "2030-01-01", "reference": "M2"}"#), status)
        },
        "POST /api/v1/organisations/{code}/contracts/{reference}/end": .custom(.manageOrganisations, .organisation) { target, dataset in
            let (reference, status) = held(at: target.organisation, dataset)
            return (stale(.post, "/api/v1/organisations/\(target.organisation.code)/contracts/\(reference)/end",
                          #"{"endsOn": "2030-01-01"}"#), status)
        },
    ]

    /// A contract held at the organisation (its stale version is 412), or a reference none has (404).
    static func held(at organisation: Organisation, _ dataset: ProgrammeDataset) -> (String, HTTPResponse.Status) {
        dataset.contracts.first { $0.organisationID == organisation.id }.map { ($0.reference, .preconditionFailed) } ?? ("NONE-HELD", .notFound)
    }
}
