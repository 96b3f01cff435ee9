import Foundation
import WaymarkCore
import WaymarkStorage

/// The demo's later set-up, done the way a programme office does it, through the same services
/// (issue 13): import a new trust and its surgeries from an ODS-style CSV, roll the NHS CRS out
/// to them in a wave from a template, roll Contact out to every GP practice of one SHA in two
/// waves, and give the cluster's LSP next year's DIP with a line for each new surgery, linked to
/// its new project. DemoProgramme set up everything before it.
public enum DemoSetUp {
    public static let trustCode = "RZZ"
    public static let templateCode = "CRS-NEW-SITES"
    public static let contactTemplate = "CONTACT-GP"

    public static func run(programme: ProgrammeService) async throws -> String {
        let user = ActingUser.commandLine(origin: "demo seed")
        let organisations = OrganisationService(programme: programme)
        guard let lhc = try await programme.store.organisation(code: "L001", scope: .national) else {
            return "No LHC L001 in the demo; its set-up was skipped."
        }
        let rows = ["code,name,parent code,level,postcode,open date,close date",
                    "\(trustCode),Northgate Community Health NHS Trust,\(lhc.code),trust,NG1 1AA,2006-04-01,"]
            + (1...4).map { "\(trustCode)0\($0),Northgate Surgery \($0),\(trustCode),site,NG1 \($0)AB,2006-04-01," }
        let csv = Data((rows.joined(separator: "\r\n") + "\r\n").utf8)
        let preview = try await organisations.previewImport(csv, as: user)
        _ = try await organisations.applyImport(csv, expectedFingerprint: preview.fingerprint, as: user)

        let rollOuts = RollOutService(programme: programme)
        _ = try await rollOuts.saveTemplate(TemplateInput(
            code: templateCode, name: "NHS CRS for new surgeries", product: ProductCatalogue.crs,
            offsets: ["initiation-commenced": "0", "initiation-completed": "20", "local-design-completed": "60",
                      "preparation-for-go-live-completed": "100", "go-live-completed": "120", "implementation-completed": "160"],
            documents: ["PID", "PROJECT-BRIEF"], planTasks: ["Site survey", "Install", "Train users", "Go live"]), as: user)
        let start = programme.clock.today.adding(days: 14)
        let request = RollOutRequest(template: templateCode, within: trustCode, waves: [RollOutWave(start: start, perWeek: 2)])
        let planned = try await rollOuts.preview(request, as: user)
        let rolled = try await rollOuts.apply(request, expectedFingerprint: planned.fingerprint, as: user)
        let contact = try await rollContact(rollOuts, programme: programme, within: lhc.ancestry.shaID, as: user)

        guard let cluster = try await lhc.ancestry.clusterID.asyncFlatMap({ try await programme.store.organisation(id: $0, scope: .national) }),
              let lsp = try await programme.store.contracts(atAnyOf: [cluster.id], supplierID: nil).first,
              let supplier = try await programme.store.organisation(id: lsp.supplierID, scope: .national) else {
            return "Rolled \(templateCode) out to \(rolled.projects.count) new surgeries\(contact)."
        }
        let changeControl = ChangeControlService(programme: programme)
        let year = FinancialYear(startYear: FinancialYear(containing: programme.clock.today).startYear + 1)
        let dip = try await changeControl.createDIP(clusterCode: cluster.code, supplierCode: supplier.code, year: year, as: user)
        let lines = ["product,site,implementation,due date"] + rolled.projects.map { planned in
            let goLive = WorkingCalendar.england.adding(workingDays: 120, to: planned.start)
            let due = year.contains(goLive) ? goLive : year.start.adding(days: 60)
            return "CRS,\(planned.siteCode),new-service,\(due.iso)"
        }
        let added = try await changeControl.importDIPLines(organisationCode: cluster.code, dipID: dip.id,
                                                           Data(lines.joined(separator: "\n").utf8), apply: true, as: user)
        return "Set up through the services: imported \(trustCode) and 4 surgeries, rolled \(templateCode) out to \(rolled.projects.count) of them\(contact), "
            + "and gave \(supplier.name) a \(year.label) DIP of \(added.count) lines."
    }

    /// Contact for every GP practice in the SHA that has none yet: a few a week at first, then faster.
    static func rollContact(_ rollOuts: RollOutService, programme: ProgrammeService, within shaID: Int64?, as user: ActingUser) async throws -> String {
        guard let shaID, let sha = try await programme.store.organisation(id: shaID, scope: .national) else { return "" }
        _ = try await rollOuts.saveTemplate(TemplateInput(
            code: contactTemplate, name: "Contact for GP practices", product: "CONTACT",
            offsets: ["initiation-completed": "10", "go-live-completed": "30"], documents: ["PID"]), as: user)
        let today = programme.clock.today
        let request = RollOutRequest(template: contactTemplate, within: sha.code, subtype: "GP practice",
                                     waves: [RollOutWave(start: today.adding(days: 21), perWeek: 2), RollOutWave(start: today.adding(days: 35), perWeek: 10)])
        let planned = try await rollOuts.preview(request, as: user)
        let rolled = try await rollOuts.apply(request, expectedFingerprint: planned.fingerprint, as: user)
        return ", rolled \(contactTemplate) out to \(rolled.projects.count) GP practices in \(sha.name) in \(planned.waves.count) waves"
    }
}
