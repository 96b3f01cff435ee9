import Foundation
import Hummingbird
import NIOCore
import WaymarkCore
import WaymarkService

/// The going-live page and its CSV (issue 14, part 6). Both read the same filters from the query.
struct GoingLiveController {
    let goingLive: GoingLiveService

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/going-live") { request, context in
            HTMLResponse.page(GoingLivePage(outlook: try await outlook(request, context)).render())
        }
        router.get("/organisations/:code/going-live.csv") { request, context in
            let outlook = try await outlook(request, context)
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"going-live-\(outlook.days)-days.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: GoingLiveService.csv(outlook))))
        }
    }

    func outlook(_ request: Request, _ context: WaymarkRequestContext) async throws -> GoingLiveService.Outlook {
        let query = request.queryString
        let daysText = query.get("days") ?? "90"
        guard let days = Int(daysText) else { throw ServiceError(.badRequest, "days must be 30, 60 or 90.") }
        return try await goingLive.outlook(organisationCode: try context.parameters.require("code"), days: days, product: query.get("product"),
                                           supplierCode: query.get("supplier"), as: try context.actingUser())
    }
}
