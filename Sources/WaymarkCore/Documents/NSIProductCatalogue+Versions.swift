/// The catalogue's data. The guide's list of 42 templates is a diagram missing from its text,
/// so the products are those §4.4.1 names (DOMAIN.md §6), 42 of them in version 1: the
/// stage 2 baseline surveys are grouped as the guide groups them (one Baseline Survey, with the
/// staff survey and Registration Authority survey apart because other people own them), and
/// activities with no document of their own (end point registration, procurement, user
/// registration, building work) are covered by the products that plan them. Each has a Markdown
/// template in Sources/WaymarkService/NSITemplates/CODE.md.
///
/// Mandatory products are the stage exits the guide names in bold (Project Brief, PID, ORR, Go
/// Live Checklists, PIR approach), clinical risk (mandatory, §1.1), and for LSP projects a few
/// the guide says must be done or on which a later gate depends: the Benefits Realisation Plan
/// (baselined in stage 2, reviewed in the PIR), the Data Cleansing and Migration Strategy
/// ("must be established", §4.4.1.2), the Business and Clinical Process Design ("most frequently
/// under-estimated", §4.4.1.3), the Acceptance / Verification Criteria (which the Deployment
/// Verification certificate accepts against) and the Verification Test Report (the Go Live exit,
/// §4.4.1.5). ESP projects have "a less complex approvals process" (§4.6.1.1) and keep the minimum.
extension NSIProductCatalogue {
    private typealias P = NSIProduct

    static let version1 = NSIProductCatalogueVersion(
        number: 1, issued: Day(year: 2005, month: 4, day: 1)!,
        summary: "The products of the National Standard for Implementation, guide version 3.",
        products: [
            // Stage 0 Prepare for Implementation (§4.4.1.1)
            P(code: "ORG-READINESS", name: "Organisational Readiness Assessment", stage: .prepare, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Gathers sufficient baseline information about the trust (staff to be trained, existing systems, roles, resources, funding and high-level site surveys) for the project to be adequately scoped."),
            P(code: "SERVICE-IMPROVEMENT-PLAN", name: "Service Improvement Plan", stage: .prepare, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Sets out the service improvements the LHC plans and how the implementation supports them, so the most appropriate set of benefits can be selected."),
            P(code: "BENEFITS-PLAN", name: "Benefits Realisation Plan", stage: .prepare, area: .clinicalAndBusiness,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Outlines the proposed benefits, how they will accrue and the measurement tools."),
            P(code: "STAKEHOLDER-ANALYSIS", name: "Stakeholder Analysis", stage: .prepare, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember],
              purpose: "Identifies who will be affected by the implementation and their information requirement."),
            P(code: "BUSINESS-CASE", name: "Business Case", stage: .prepare, area: .contracts,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "The business case or business justification, where implementation of the service has not been previously mandated at National level."),
            P(code: "PROJECT-BRIEF", name: "Project Brief", stage: .prepare, area: .clinicalAndBusiness,
              mandatoryForLSP: true, mandatoryForESP: true, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Outlines the project's objectives, scope and approach so the CEO or Project Board can approve initiation."),
            // Stage 1 Initiate (§4.4.1.2)
            P(code: "PID", name: "Project Initiation Document", stage: .initiate, area: .clinicalAndBusiness,
              mandatoryForLSP: true, mandatoryForESP: true, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Defines scope, organisation, the high-level plan, risk and issue logs and clinical safety responsibilities; signed by the Project Board."),
            P(code: "HAZARD-LOG", name: "Clinical Safety Hazard Log", stage: .initiate, area: .clinicalAndBusiness,
              mandatoryForLSP: true, mandatoryForESP: true, approver: .clinicalSafetyOfficer, reviewers: [.trustProjectManager],
              purpose: "Records the clinical hazards of the deployment, their controls and residual risk (today's DCB0160)."),
            P(code: "DATA-MIGRATION-STRATEGY", name: "Data Cleansing and Migration Strategy", stage: .initiate, area: .processAndPerformance,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Determines early whether data must be cleansed and/or migrated to the new system and if so how, when and by whom, including whether records have valid NHS Numbers."),
            P(code: "STAKEHOLDER-PLAN", name: "Stakeholder Management Plan", stage: .initiate, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Details the ongoing process of keeping stakeholders informed of progress, harnessing their input and managing expectations."),
            P(code: "RISK-LOG", name: "Risk Log", stage: .initiate, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember],
              purpose: "Records the project's risks with their priority, controllability, probability, owner and actions, for use throughout the life of the project."),
            P(code: "ISSUE-LOG", name: "Issue Log", stage: .initiate, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember],
              purpose: "Records the issues that have occurred or are unavoidable, their impact against the plan, owner and resolution or escalation."),
            P(code: "LESSONS-LOG", name: "Lessons Learned Log", stage: .initiate, area: .processAndPerformance,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember],
              purpose: "Captures lessons throughout the implementation so they can be shared across the programme and translated into guidance."),
            P(code: "CHANGE-STRATEGY", name: "Organisational Change Strategy", stage: .initiate, area: .processAndPerformance,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Outlines the proposed process and organisational change, training and business-as-usual strategy."),
            P(code: "RBAC-MODEL", name: "Local Role Based Access Control Model", stage: .initiate, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .registrationAuthorityManager, reviewers: [.trustProjectManager],
              purpose: "Designs the local mapping of job roles, activities and areas of work for registration of users."),
            P(code: "TRAINING-STRATEGY", name: "Training Strategy", stage: .initiate, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Sets the overall approach to training, including the assessment of basic computer skills staff need before application training."),
            // Stage 2 Local Design (§4.4.1.3): baseline survey, solution design, procurement
            P(code: "BASELINE-SURVEY", name: "Baseline Survey Report", stage: .localDesign, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember, .supplierImplementer],
              purpose: "Ascertains, baselines and documents the current environment (data, processes, applications, hardware, infrastructure, security, ergonomics, support and interfaces) into which the new implementation will take place."),
            P(code: "TRAINING-NEEDS-ANALYSIS", name: "Staff Survey and Training Needs Analysis", stage: .localDesign, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.projectBoardMember],
              purpose: "Identifies the staff impacted by the implementation and their current IT skill levels, then the training requirements."),
            P(code: "RA-SURVEY", name: "Registration Authority Survey", stage: .localDesign, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.registrationAuthorityManager],
              purpose: "Ascertains whether an RA Manager has been appointed, whether the staff who will use the new system are registered with the Registration Authority and if they have Smart Cards."),
            P(code: "BENEFITS-BASELINE", name: "Benefits Baseline", stage: .localDesign, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Baselines, and then validates, the benefits described in the project Benefits Realisation Plan."),
            P(code: "PROCESS-DESIGN", name: "Business and Clinical Process Design", stage: .localDesign, area: .processAndPerformance,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Determines local variance from the generic future state of process, organisation and location, analyses the gap and plans to bridge it."),
            P(code: "RESOURCE-PLAN", name: "Resource Plan", stage: .localDesign, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Determines the resources, staff and budget required to undertake the implementation, whether they are available to all parties, and what must be procured."),
            P(code: "TRAINING-PLAN", name: "Training Plan", stage: .localDesign, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Sets out the number of staff that require training, timescales, courses, delivery methods, location and time, and the materials required."),
            P(code: "RA-PLAN", name: "Registration Authority Plan", stage: .localDesign, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .registrationAuthorityManager, reviewers: [.trustProjectManager],
              purpose: "Identifies and trains Registration Authorities, ensures the required RA kits are available and schedules the issue of Smart Cards."),
            P(code: "INSTALLATION-DESIGN", name: "Installation Design", stage: .localDesign, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Ascertains what upgrades to hardware, software or the physical environment are required, when and where they are procured, who is responsible and the cost."),
            P(code: "CONFIG-DESIGN", name: "Configuration Design", stage: .localDesign, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Specifies the local configuration of the National Programme product or service."),
            P(code: "INTERFACE-DESIGN", name: "Interface Design", stage: .localDesign, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Identifies existing interfaces and documents the changes and new interfaces required to integrate existing and new systems."),
            P(code: "ACCEPTANCE-CRITERIA", name: "Acceptance and Verification Criteria", stage: .localDesign, area: .contracts,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Sets the criteria and the tests required to achieve (contractual) acceptance, when they will be run and by whom."),
            P(code: "SUPPORT-DESIGN", name: "Support Design", stage: .localDesign, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Establishes how 1st line support will be provided during implementation and in operation, and how it works with the LSP's 2nd line support for incident handling, escalation and resolution."),
            // Stage 3 Prepare for Go Live (§4.4.1.4)
            P(code: "COMMS-PLAN", name: "Communications Plan", stage: .prepareForGoLive, area: .clinicalAndBusiness,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Plans the communications to staff, patients and clients, kept in step with training, so everyone knows what is coming."),
            P(code: "DATA-MIGRATION-PLAN", name: "Data Migration Plan", stage: .prepareForGoLive, area: .processAndPerformance,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Plans the cleansing and migration of data, trial loads, reconciliation and the live migration, including any application-specific updates for National systems."),
            P(code: "TRAINING-MATERIALS", name: "Training Materials", stage: .prepareForGoLive, area: .people,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .trustProjectManager, reviewers: [.clinicalSafetyOfficer],
              purpose: "National and Cluster training materials tailored to meet local training requirements."),
            P(code: "TEST-PLAN", name: "Test Plan and Report", stage: .prepareForGoLive, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Plans and reports the system, integration and user acceptance testing and the clinical risk checks before Go Live."),
            P(code: "BUSINESS-CONTINUITY-PLAN", name: "Business Continuity Plan", stage: .prepareForGoLive, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Sets out how services continue safely if the new system is unavailable, and how they recover."),
            P(code: "ORR", name: "Operational Readiness Report", stage: .prepareForGoLive, area: .processAndPerformance,
              mandatoryForLSP: true, mandatoryForESP: true, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Confirms people, processes, data and technology are ready, so the Project Board can sign off Go Live."),
            P(code: "GO-LIVE-CHECKLIST", name: "Go Live Checklists", stage: .prepareForGoLive, area: .it,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "The checks that must be signed off before switchover: technical, data, training, support and clinical risk."),
            // Stage 4 Go Live (§4.4.1.5)
            P(code: "CUTOVER-REPORT", name: "Cutover and Data Migration Report", stage: .goLive, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Records the migration of the full live data set and the switchover to the new processes, organisation and location."),
            P(code: "VERIFICATION-REPORT", name: "Verification Test Report", stage: .goLive, area: .it,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .clinicalSafetyOfficer],
              purpose: "Reports the successful completion of the required testing, including configuration, connectivity and clinical risk, by users and technical implementation staff."),
            // Stage 5 Support (§4.4.1.6)
            P(code: "HANDOVER-SET", name: "Handover Document Set", stage: .support, area: .it,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember,
              reviewers: [.trustProjectManager, .supplierImplementer],
              purpose: "Hands the system into live service with its system design, known faults and user information."),
            P(code: "DV-CERTIFICATE", name: "Deployment Verification Certificate", stage: .support, area: .contracts,
              mandatoryForLSP: true, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "The Deployment Verification milestone acceptance certificate that closes implementation."),
            P(code: "LESSONS-REVIEW", name: "Lessons Learned Review", stage: .support, area: .processAndPerformance,
              mandatoryForLSP: false, mandatoryForESP: false, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Reviews all aspects of the implementation critically so that lessons learned can be shared and translated into guidance."),
            P(code: "PIR-APPROACH", name: "Post Implementation Review Approach", stage: .support, area: .processAndPerformance,
              mandatoryForLSP: true, mandatoryForESP: true, approver: .projectBoardMember, reviewers: [.trustProjectManager],
              purpose: "Agrees how and when the Post Implementation Review and benefits review will be carried out."),
        ])

    /// Version 2 (2026): the DCB0160 Clinical Safety Case Report becomes a Go Live product
    /// signed by the Clinical Safety Officer; ESP projects need Go Live Checklists too, and,
    /// because clinical risk testing is part of every Go Live exit, a Verification Test Report.
    static var version2: NSIProductCatalogueVersion {
        var products = version1.products.map { product -> NSIProduct in
            var p = product
            if p.code == "GO-LIVE-CHECKLIST" { p.mandatoryForESP = true }
            if p.code == "VERIFICATION-REPORT" { p.mandatoryForESP = true }
            return p
        }
        let safetyCase = NSIProduct(
            code: "SAFETY-CASE", name: "Clinical Safety Case Report", stage: .prepareForGoLive, area: .clinicalAndBusiness,
            mandatoryForLSP: true, mandatoryForESP: true, approver: .clinicalSafetyOfficer,
            reviewers: [.trustProjectManager, .projectBoardMember],
            purpose: "Argues, with evidence from the hazard log, that the deployment is acceptably safe to go live (DCB0160).")
        let index = products.firstIndex { $0.code == "GO-LIVE-CHECKLIST" }! + 1
        products.insert(safetyCase, at: index)
        return NSIProductCatalogueVersion(
            number: 2, issued: Day(year: 2026, month: 10, day: 1)!,
            summary: "Adds the Clinical Safety Case Report (DCB0160) to stage 3; Go Live Checklists and the Verification Test Report become mandatory for ESP projects.",
            products: products)
    }
}
