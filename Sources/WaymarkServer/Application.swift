import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import WaymarkService

public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Every request arrives over TLS (Waymark or a proxy terminates it for all traffic):
    /// cookies are Secure and HSTS is sent.
    public var secureCookies: Bool
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
    public var trustedProxies: TrustedProxies
    /// The largest data-quality extract taken (413 beyond).
    public var dataQualityMaximumBytes: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false,
                trustedProxies: TrustedProxies = .none, dataQualityMaximumBytes: Int = DataQualityService.maximumBytes) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.trustedProxies = trustedProxies
        self.dataQualityMaximumBytes = dataQualityMaximumBytes
    }
}

/// The router with every HTML page and the JSON API at /api/v1, behind the shared middleware.
public func buildRouter(service: ProgrammeService, accounts: AccountService,
                        configuration: ServerConfiguration) throws -> Router<WaymarkRequestContext> {
    let router = Router(context: WaymarkRequestContext.self, options: .autoGenerateHeadEndpoints)
    let csrf = CSRF()
    let authentication = AuthenticationMiddleware(accounts: accounts, csrf: csrf)
    router.add(middleware: ClientConnectionMiddleware(proxies: configuration.trustedProxies, servesTLS: configuration.secureCookies))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorRenderingMiddleware())
    router.add(middleware: APIHeadersMiddleware())
    router.add(middleware: authentication)
    // Again inside sign-in, so error pages keep the signed-in header; the outer one renders
    // errors from sign-in itself.
    router.add(middleware: ErrorRenderingMiddleware())
    router.add(middleware: IdempotencyMiddleware(store: service.store))
    ProgrammeController(service: service, csrf: csrf).register(on: router)
    AccountController(accounts: accounts, csrf: csrf, authentication: authentication).register(on: router)
    PlanController(plans: PlanService(programme: service), csrf: csrf).register(on: router)
    TrackingController(service: TrackingService(programme: service), csrf: csrf).register(on: router)
    LessonController(service: LessonService(programme: service), csrf: csrf).register(on: router)
    ChangeControlController(service: ChangeControlService(programme: service), csrf: csrf).register(on: router)
    DocumentController(documents: DocumentService(programme: service), csrf: csrf).register(on: router)
    GateController(gates: GateService(programme: service), hazards: HazardService(programme: service), csrf: csrf).register(on: router)
    OrganisationController(organisations: OrganisationService(programme: service), programme: service, csrf: csrf).register(on: router)
    SupplierContractController(contracts: SupplierContractService(programme: service), csrf: csrf).register(on: router)
    ProjectLifecycleController(lifecycle: ProjectLifecycleService(programme: service), programme: service, csrf: csrf).register(on: router)
    RollOutController(rollOuts: RollOutService(programme: service), csrf: csrf).register(on: router)
    SurveyController(surveys: SurveyService(programme: service), csrf: csrf).register(on: router)
    ReadinessReportController(reports: ReadinessReportService(programme: service), csrf: csrf).register(on: router)
    GoLiveChecklistController(checklists: GoLiveChecklistService(programme: service), csrf: csrf).register(on: router)
    GoLivePolicyController(policies: GoLivePolicyService(programme: service), csrf: csrf).register(on: router)
    GoingLiveController(goingLive: GoingLiveService(programme: service)).register(on: router)
    PeopleController(people: PeopleReadinessService(programme: service), csrf: csrf).register(on: router)
    StaffController(staff: StaffService(programme: service), registrations: RegistrationService(programme: service),
                    training: TrainingService(programme: service), csrf: csrf).register(on: router)
    TrainingController(training: TrainingService(programme: service), csrf: csrf).register(on: router)
    DataQualityController(dataQuality: DataQualityService(programme: service), csrf: csrf,
                          maximumBytes: configuration.dataQualityMaximumBytes).register(on: router)
    UserController(users: UserAdministration(accounts: accounts), accounts: accounts, csrf: csrf).register(on: router)
    // Compact, unsorted JSON: pretty-printing and key sorting were a third of the list's CPU.
    try APIHandler(service: service, accounts: accounts, dataQualityMaximumBytes: configuration.dataQualityMaximumBytes).registerHandlers(
        on: router, serverURL: URL(string: "/api/v1")!, configuration: .init(jsonEncodingOptions: []))
    // Last, so it sees every route and runs only when none matched.
    router.add(middleware: AllowedMethodsMiddleware(router.routes))
    return router
}

public func buildApplication(service: ProgrammeService, accounts: AccountService, configuration: ServerConfiguration,
                             logger: Logger = Logger(label: "waymark"),
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
    Application(
        router: try buildRouter(service: service, accounts: accounts, configuration: configuration),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Waymark"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}
