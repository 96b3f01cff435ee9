import Foundation
import OpenAPIRuntime
import WaymarkAPI
import WaymarkCore
import WaymarkService

/// Supplier contracts over the API (issue 13). Each body becomes the same command a form does.
extension APIHandler {
    var contracts: SupplierContractService { SupplierContractService(programme: service) }

    func listContracts(_ input: Operations.listContracts.Input) async throws -> Operations.listContracts.Output {
        let (_, listings) = try await contracts.contracts(at: input.path.code, as: user)
        return .ok(.init(body: .json(.init(items: listings.map(Self.contractBody)))))
    }

    func createContract(_ input: Operations.createContract.Input) async throws -> Operations.createContract.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the contract as JSON.") }
        let created = try await contracts.create(NewSupplierContract(
            reference: body.reference, supplier: body.supplier, organisation: input.path.code, products: body.products,
            startsOn: body.startsOn, endsOn: body.endsOn), as: user)
        return .created(.init(headers: .init(ETag: Self.etag(created.contract.version)), body: .json(Self.contractBody(created))))
    }

    func handoverContract(_ input: Operations.handoverContract.Input) async throws -> Operations.handoverContract.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send the handover as JSON.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the contract")
        let (ended, started) = try await contracts.handover(
            reference: input.path.reference, at: input.path.code, SupplierHandover(supplier: body.supplier, on: body.on, reference: body.reference,
                                                              expectedVersion: version), as: user)
        return .ok(.init(body: .json(.init(ended: Self.contractBody(ended), started: Self.contractBody(started)))))
    }

    func endContract(_ input: Operations.endContract.Input) async throws -> Operations.endContract.Output {
        guard case .json(let body) = input.body else { throw ServiceError(.badRequest, "Send {\"endsOn\": \"YYYY-MM-DD\"}.") }
        let version = try Self.ifMatch(input.headers.If_hyphen_Match, of: "the contract")
        let ended = try await contracts.end(reference: input.path.reference, at: input.path.code, on: body.endsOn, expectedVersion: version, as: user)
        return .ok(.init(headers: .init(ETag: Self.etag(ended.contract.version)), body: .json(Self.contractBody(ended))))
    }

    static func contractBody(_ listing: SupplierContractService.Listing) -> Components.Schemas.SupplierContract {
        let c = listing.contract
        return .init(reference: c.reference, supplier: listing.supplier.code, supplierName: listing.supplier.name,
                     organisation: listing.organisation.code, organisationName: listing.organisation.name, products: c.products,
                     startsOn: c.startsOn.iso, endsOn: c.endsOn?.iso, inForce: listing.inForce, version: c.version)
    }
}
