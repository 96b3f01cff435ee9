import WaymarkCore
import WaymarkService

/// Lets `waymark bench` time the DIP performance page, whose renderer is internal to the server.
public enum ChangeControlBenchmark {
    /// Reads the organisation's DIP performance through the service and renders the page;
    /// returns its size in bytes.
    public static func performancePage(_ service: ChangeControlService, organisationCode: String, year: FinancialYear,
                                       as user: ActingUser) async throws -> Int {
        let view = try await service.performance(organisationCode: organisationCode, year: year, as: user)
        return DIPPerformancePage(view: view).render().rendered.utf8.count
    }
}
