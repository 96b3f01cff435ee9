import WaymarkCore
import WaymarkStorage

/// One demo user per role, placed at a real trust, its SHA and cluster, and the LSP that
/// delivers there. For `serve --demo` only: they share a published password.
public enum DemoUsers {
    public static let password = "waymark-demo-only"

    public struct Entry: Sendable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var organisation: Organisation
    }

    /// Where each demo user sits in `store`'s programme.
    public static func plan(in store: any WaymarkStore) async throws -> [Entry] {
        guard let national = try await store.national(),
              let project = try await store.projects(ProjectQuery(scope: .national, productCode: ProductCatalogue.crs, type: .lsp, limit: 1)).items.first,
              let trustID = project.project.ancestry.trustID,
              let trust = try await store.organisation(id: trustID, scope: .national),
              let sha = try await trust.ancestry.shaID.asyncFlatMap({ try await store.organisation(id: $0, scope: .national) }),
              let cluster = try await trust.ancestry.clusterID.asyncFlatMap({ try await store.organisation(id: $0, scope: .national) }),
              let supplier = try await project.project.supplierID.asyncFlatMap({ try await store.organisation(id: $0, scope: .national) })
        else { throw ServiceError(.notFound, "The database holds no programme with an LSP project; seed it first.") }
        let people: [(String, String, Role, Organisation)] = [
            ("demo-trust-pm", "Demo Trust Project Manager", .trustProjectManager, trust),
            ("demo-board", "Demo Project Board Member", .projectBoardMember, trust),
            ("demo-cso", "Demo Clinical Safety Officer", .clinicalSafetyOfficer, trust),
            ("demo-ra", "Demo RA Manager", .registrationAuthorityManager, trust),
            ("demo-ra-agent", "Demo RA Agent", .raAgent, trust),
            ("demo-sponsor", "Demo RA Sponsor", .raSponsor, trust),
            ("demo-trainer", "Demo Trainer", .trainer, trust),
            ("demo-training", "Demo Training Manager", .trainingManager, trust),
            ("demo-sha", "Demo SHA Programme Office", .shaProgrammeOffice, sha),
            ("demo-cluster", "Demo Cluster PCM", .clusterProgrammeControls, cluster),
            ("demo-npo", "Demo National Programme Office", .nationalProgrammeOffice, national),
            ("demo-supplier", "Demo Supplier Implementer", .supplierImplementer, supplier),
            ("demo-auditor", "Demo Auditor", .auditor, national),
            ("demo-admin", "Demo System Administrator", .systemAdministrator, national),
        ]
        return people.map { Entry(username: $0.0, displayName: $0.1, role: $0.2, organisation: $0.3) }
    }

    /// Adds the demo users unless they exist; returns them.
    public static func create(with accounts: AccountService) async throws -> [Entry] {
        let entries = try await plan(in: accounts.store)
        if try await accounts.store.user(username: entries[0].username) == nil {
            try await accounts.addUsers(entries.map { ($0.username, $0.displayName, $0.role, $0.organisation.code) },
                                        password: password, as: .commandLine(origin: "demo"))
        }
        return entries
    }
}
