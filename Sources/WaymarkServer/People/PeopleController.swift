import Foundation
import HTTPTypes
import Hummingbird
import WaymarkCore
import WaymarkService

/// The people readiness pages (issue 15): the funnel at any level, the forecast, and a site's RA kit.
struct PeopleController {
    let people: PeopleReadinessService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {
        router.get("/organisations/:code/people") { request, context in
            try await page(context, notice: request.queryString.get("saved").map { _ in "Kit counts saved." })
        }
        router.get("/organisations/:code/people/forecast") { _, context in
            let (organisation, outcomes) = try await people.forecast(organisationCode: try context.parameters.require("code"), as: try context.actingUser())
            return HTMLResponse.page(PeopleForecastPage(organisation: organisation, outcomes: outcomes, today: people.gate.clock.today).render())
        }
        router.post("/organisations/:code/ra-equipment") { request, context in
            let fields = FormBody.parse(String(buffer: try await request.cappedBody(upTo: FormBody.maximumBytes)))
            try csrf.verify(request, formToken: fields["csrf"])
            let code = try context.parameters.require("code")
            do {
                _ = try await people.saveEquipment(organisationCode: code, kits: Int(fields["kits"] ?? "") ?? -1, identityAgents: Int(fields["identityAgents"] ?? "") ?? -1,
                                                   expectedVersion: fields["version"].flatMap { Int($0) }, as: try context.actingUser())
                return Response(status: .seeOther, headers: [.location: "\(PeoplePaths.readiness(code))?saved=1"])
            } catch {
                guard let refusal = ErrorTable.correctable(error) else { throw error }
                return try await page(context, error: refusal.summary, status: refusal.status)
            }
        }
    }

    func page(_ context: WaymarkRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.actingUser()
        let code = try context.parameters.require("code")
        let overview = try await people.overview(organisationCode: code, as: user)
        let local = [.trust, .site].contains(overview.organisation.kind)
        let equipment = local ? try await people.equipment(organisationCode: code, as: user).1 : nil
        let nextGoLive = local ? try await people.forecast(organisationCode: code, as: user).1.map(\.site.goLiveBaseline).min() : nil
        return HTMLResponse.page(PeopleReadinessPage(overview: overview, equipment: equipment, canRecordEquipment: user.permits(.registerUsers),
                                                     canSeeStaff: user.permits(.viewStaff), nextGoLive: nextGoLive, csrfToken: context.csrfToken,
                                                     notice: notice, error: error).render(), status: status)
    }
}
