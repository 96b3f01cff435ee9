/// The figures and names one generated lesson fills in.
struct LessonDetail {
    var product: String
    var place: String
    var few: Int
    var many: Int
    var weeks: Int
    var percent: Int
}

/// A lesson that projects really do learn at one stage, for some products (none listed: any),
/// written from the guide's own warnings (§4.2.6, §4.4.1, §4.5).
struct LessonTemplate {
    var stages: [NSIStage]
    var products: [String]
    var area: AreaOfResponsibility
    var tags: [String]
    var text: @Sendable (LessonDetail) -> (title: String, happened: String, recommendation: String)
}

extension LessonTemplate {
    static let all: [LessonTemplate] = preparation + design + goLive + support

    static let preparation: [LessonTemplate] = [
        LessonTemplate(stages: [.prepare], products: [], area: .clinicalAndBusiness, tags: ["clinical-engagement", "project-brief"]) { d in
            ("Clinical lead named too late for the Project Brief",
             "At \(d.place) the \(d.product) Project Brief went to the Project Board with no named clinical lead. Consultants first saw the proposals at PID stage and asked for \(d.few) changes to scope, which cost \(d.weeks) weeks.",
             "Name a clinical lead before the Project Brief is drafted and have them co-sign it. Put clinical engagement on the Project Board agenda from the first meeting.")
        },
        LessonTemplate(stages: [.prepare], products: [], area: .processAndPerformance, tags: ["readiness", "site-survey"]) { d in
            ("Readiness assessment skipped outlying sites",
             "The Organisational Readiness Assessment for \(d.product) covered the main building only. \(d.few) outlying clinics were later found to have no network cabinet and no secure room for equipment.",
             "Survey every site in the Organisational Readiness Assessment, including satellite clinics, and record each site's gaps against the Project Brief.")
        },
        LessonTemplate(stages: [.prepare], products: [], area: .contracts, tags: ["business-case", "funding"]) { d in
            ("Local costs missing from the business justification",
             "The business justification for \(d.product) at \(d.place) assumed national funding covered backfill for staff training. It did not, and \(d.percent)% of the local budget had to be found after approval.",
             "List local costs (backfill, estates work, extra hardware) separately in the business case and agree who funds each before the Project Brief is approved.")
        },
        LessonTemplate(stages: [.prepare, .initiate], products: ["CRS", "CAB", "ETP"], area: .policy, tags: ["benefits", "baseline"]) { d in
            ("Benefits plan written without measures",
             "The Benefits Realisation Plan for \(d.product) listed benefits but no baseline measures, so the \(d.few) benefits could not be checked after go-live.",
             "Give every benefit a measure, an owner and a baseline date in the Benefits Realisation Plan, and baseline it in Local Design as the guide expects.")
        },
        LessonTemplate(stages: [.initiate], products: [], area: .people, tags: ["training", "basic-skills", "ecdl"]) { d in
            ("Basic IT skills assessment left out of the Training Strategy",
             "\(d.percent)% of clerical and ward staff at \(d.place) had not used a mouse and keyboard at work. The \(d.product) Training Strategy assumed basic skills, so courses overran and had to be repeated.",
             "Assess basic skills at initiation and book ECDL or 'Getting Started' courses before application training is scheduled.")
        },
        LessonTemplate(stages: [.initiate, .localDesign], products: ["CRS", "GP2GP"], area: .it, tags: ["data-migration", "nhs-number", "data-quality"]) { d in
            ("NHS Number verification started too late",
             "Tracing the PAS extract against the Spine found \(d.many) patient records with missing or unverified NHS Numbers and \(d.few) hundred duplicates. The Data Cleansing and Migration Strategy had allowed \(d.weeks) weeks; it took twice that.",
             "Start NHS Number verification at initiation. Trace the whole extract early, and give the data quality team a named lead and a weekly duplicate-merge target.")
        },
        LessonTemplate(stages: [.initiate], products: ["RA"], area: .people, tags: ["registration-authority", "sponsors", "rbac"]) { d in
            ("RA sponsors not named in the PID",
             "The PID for \(d.place) had no Registration Authority sponsors for \(d.few) departments, so access profiles could not be approved and registration stalled for \(d.weeks) weeks.",
             "Name an RA sponsor for every department in the PID and agree the local Role Based Access Control model before Local Design.")
        },
        LessonTemplate(stages: [.initiate], products: [], area: .clinicalAndBusiness, tags: ["clinical-safety", "pid"]) { d in
            ("Clinical Safety responsibilities missing from the PID",
             "The \(d.product) PID did not say who signs off clinical risk. The Clinical Safety Officer was appointed \(d.weeks) weeks later and asked for hazard workshops that moved the plan.",
             "Put the Clinical Safety Officer and the clinical risk sign-off in the PID, and hold the first hazard workshop before Local Design starts.")
        },
        LessonTemplate(stages: [.initiate], products: [], area: .contracts, tags: ["supplier", "deployment-plan", "pid"]) { d in
            ("PID signed before the supplier confirmed dates",
             "The Project Board signed the \(d.product) PID with go-live dates the service provider had not confirmed. The supplier's deployment schedule put \(d.place) \(d.weeks) weeks later.",
             "Get the service provider's written confirmation of deployment dates, checked against the cluster's DIP, before the PID is signed.")
        },
    ]

    static let design: [LessonTemplate] = [
        LessonTemplate(stages: [.localDesign], products: ["N3"], area: .it, tags: ["n3", "circuits", "lead-time"]) { d in
            ("N3 circuits ordered late",
             "The N3 circuit for \(d.place) was ordered only after the infrastructure survey. Lead time was \(d.weeks) weeks, with a wayleave needed for the last stretch of cable, and \(d.few) dependent projects slipped.",
             "Order N3 circuits as soon as the PID is signed; N3 comes first in the natural sequence, so treat its lead time as the critical path.")
        },
        LessonTemplate(stages: [.localDesign, .prepareForGoLive], products: ["RA", "CRS", "CAB", "ETP"], area: .people, tags: ["smartcards", "registration-authority", "lead-time"]) { d in
            ("Smartcard registration lead times underestimated",
             "Registering \(d.many) staff for smartcards took \(d.weeks) weeks. Identity checks needed two forms of photo ID, \(d.percent)% of staff came without them, and RA sessions clashed with clinics.",
             "Start user registration at least three months before go-live, run RA sessions on every shift, and send the identity document list with the appointment.")
        },
        LessonTemplate(stages: [.localDesign], products: ["PACS"], area: .it, tags: ["pacs", "modalities", "interfaces", "dicom"]) { d in
            ("Modality interfaces missing from the integration survey",
             "The integration survey at \(d.place) listed the CT and MRI scanners but not \(d.few) older ultrasound and dental units, which could not send DICOM images to PACS without upgrades.",
             "List every modality, with its DICOM conformance, in the integration survey and budget for upgrades or gateways before procurement.")
        },
        LessonTemplate(stages: [.localDesign], products: ["CRS"], area: .processAndPerformance, tags: ["process-design", "wards"]) { d in
            ("Process design done without ward staff",
             "Business and clinical process design for \(d.product) at \(d.place) was done by managers. Ward clerks found \(d.few) admission and discharge steps that the new system did not support.",
             "Walk each process with the staff who do it, on each shift, before the design is signed off.")
        },
        LessonTemplate(stages: [.localDesign, .prepareForGoLive], products: ["CAB"], area: .processAndPerformance, tags: ["choose-and-book", "directory-of-services"]) { d in
            ("Directory of services incomplete for Choose and Book",
             "\(d.few) clinics were not mapped in the directory of services, so referrals to them from \(d.place) could not be booked and were returned to the GP.",
             "Map every bookable service with its clinical leads before go-live and have each service check its own entry.")
        },
        LessonTemplate(stages: [.localDesign], products: ["ETP"], area: .contracts, tags: ["etp", "pharmacies", "dispensing"]) { d in
            ("Community pharmacies not engaged during design",
             "Prescribers at \(d.place) were ready to send electronic prescriptions but \(d.few) of the nearby community pharmacies had no compliant dispensing system, so patients were given paper.",
             "Agree go-live with the local pharmaceutical committee and the dispensing system suppliers during Local Design.")
        },
        LessonTemplate(stages: [.localDesign], products: ["GP2GP", "QMAS"], area: .it, tags: ["gp-systems", "compliance"]) { d in
            ("GP system version not compliant",
             "The practice system at \(d.place) was \(d.few) releases behind the version assured for \(d.product). The upgrade had to be booked with the existing system supplier and added \(d.weeks) weeks.",
             "Check each practice's system version against the compliance list in the application survey, and book upgrades with the supplier before the design is signed off.")
        },
        LessonTemplate(stages: [.localDesign], products: [], area: .it, tags: ["hardware", "workstations", "survey"]) { d in
            ("Hardware survey missed workstation specifications",
             "The hardware baseline survey counted PCs but not their specification. \(d.many) workstations could not run the Identity Agent and \(d.product) together and had to be replaced.",
             "Record specification and operating system for every device in the hardware survey and compare it with the supplier's published minimum.")
        },
        LessonTemplate(stages: [.localDesign], products: ["CONTACT"], area: .it, tags: ["directory", "email", "data-quality"]) { d in
            ("Staff directory data out of date",
             "Loading the \(d.place) staff list into Contact showed \(d.percent)% of entries with wrong job titles or leavers still listed.",
             "Have HR cleanse the staff list before migration and agree who keeps directory entries current afterwards.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: [], area: .people, tags: ["training", "timing"]) { d in
            ("End-user training delivered too early",
             "Training for \(d.product) at \(d.place) ran \(d.weeks) weeks before go-live after a slip. By switchover staff had forgotten much of it and desk-side support was overwhelmed.",
             "Train end users in the last two or three weeks before go-live, as the guide advises, and re-plan training whenever go-live moves.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: ["CRS", "CAB", "ETP", "PACS"], area: .people, tags: ["training", "smartcards", "access"]) { d in
            ("Staff trained but without smartcards",
             "\(d.many) staff finished \(d.product) training at \(d.place) but \(d.percent)% had no smartcard at go-live, so they could not log in.",
             "Tie access to training results: register and issue smartcards during training, and give access only to staff who have shown proficiency.")
        },
        LessonTemplate(stages: [.prepareForGoLive, .goLive], products: ["CRS", "GP2GP"], area: .it, tags: ["data-migration", "trial-load", "nhs-number"]) { d in
            ("Trial data loads rejected invalid NHS Numbers",
             "The second trial load for \(d.place) rejected \(d.many) records whose NHS Numbers failed the check digit, and a further \(d.few) hundred with mismatched dates of birth.",
             "Run at least two full trial loads, validate NHS Numbers with the modulus 11 check before extraction, and resolve rejects before the go-live load.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: ["PACS"], area: .clinicalAndBusiness, tags: ["pacs", "radiology", "clinical-risk"]) { d in
            ("Reporting workstations not accepted by radiologists",
             "Radiologists at \(d.place) refused \(d.few) reporting workstations two weeks before go-live because display calibration had not been checked.",
             "Have radiologists accept each reporting workstation, calibration included, as part of the Go Live Checklist.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: [], area: .clinicalAndBusiness, tags: ["clinical-risk", "hazard-log"]) { d in
            ("Clinical risk checks left to the last week",
             "Clinical risk checks for \(d.product) started in the final week of Preparation for Go Live. The Clinical Safety Officer raised \(d.few) hazards that needed workarounds before sign-off.",
             "Schedule clinical risk checks early in stage 3 and keep the hazard log alongside the plan; clinical risk is mandatory, not a formality.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: [], area: .processAndPerformance, tags: ["operational-readiness", "go-live-checklist"]) { d in
            ("Operational Readiness Report signed with open actions",
             "The Operational Readiness Report for \(d.place) was signed off with \(d.few) actions still open, including business continuity arrangements for the first weekend.",
             "Do not sign the Operational Readiness Report while Go Live Checklist items are open; record each exception with an owner and a date.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: ["N3"], area: .it, tags: ["n3", "lan", "firewall"]) { d in
            ("Local network not ready for N3 cut-over",
             "The N3 circuit at \(d.place) was live but local firewall rules and \(d.few) LAN switches were not ready, so cut-over was postponed \(d.weeks) weeks.",
             "Test the local network end to end with the N3 provider before booking cut-over, and put the LAN work in the same plan.")
        },
        LessonTemplate(stages: [.prepareForGoLive], products: [], area: .contracts, tags: ["business-continuity", "supplier"]) { d in
            ("Business continuity plan not agreed with the supplier",
             "The \(d.product) business continuity plan assumed a four-hour supplier fix time; the contract said \(d.few * 4) hours.",
             "Check continuity plans against the contract's service levels and agree fallback procedures with the supplier before go-live.")
        },
    ]

    static let goLive: [LessonTemplate] = [
        LessonTemplate(stages: [.goLive], products: ["PACS"], area: .it, tags: ["pacs", "go-live", "image-migration"]) { d in
            ("PACS go-live weekend overran",
             "Migrating \(d.many) historic studies at \(d.place) ran \(d.few) hours over the go-live weekend and the department opened on Monday with old images missing.",
             "Migrate historic images in the weeks before the go-live weekend and move only the final delta at switchover.")
        },
        LessonTemplate(stages: [.goLive], products: ["CRS", "PACS", "CAB"], area: .people, tags: ["go-live", "floorwalkers", "support"]) { d in
            ("Too few floorwalkers at go-live",
             "\(d.place) planned one floorwalker for every \(d.few + 10) users in the first week of \(d.product). Queues formed at every ward station and the help desk logged \(d.many) calls.",
             "Plan desk-side support of at least one floorwalker per ward or department for the first two weeks, with named super-users on every shift.")
        },
        LessonTemplate(stages: [.goLive], products: ["CAB"], area: .processAndPerformance, tags: ["choose-and-book", "smartcards", "referrals"]) { d in
            ("Smartcard log-ins slowed referrals",
             "GPs at \(d.place) found booking through Choose and Book took \(d.few) minutes longer per referral because smartcards were removed between patients.",
             "Agree smartcard handling with practices before go-live and set session time-outs to the local RBAC policy.")
        },
        LessonTemplate(stages: [.goLive], products: ["ETP"], area: .it, tags: ["etp", "printing", "prescriptions"]) { d in
            ("Prescription tokens failed to print",
             "On the first day of ETP at \(d.place), \(d.few) printers could not print the new prescription tokens because of a driver setting.",
             "Print test tokens on every printer during the verification tests and keep spare stock at the site.")
        },
        LessonTemplate(stages: [.goLive], products: [], area: .policy, tags: ["communications", "patients"]) { d in
            ("Patients not told about the switchover",
             "Patients arriving at \(d.place) during the \(d.product) switchover were not warned of longer waits; \(d.few) complaints followed.",
             "Include patients and carers in the communications plan: posters, letters and reception scripts two weeks before go-live.")
        },
        LessonTemplate(stages: [.goLive], products: ["RA"], area: .it, tags: ["smartcard-readers", "identity-agent", "go-live"]) { d in
            ("Smartcard readers missing at go-live",
             "\(d.few) workstations at \(d.place) had no smartcard reader or Identity Agent on the morning of go-live.",
             "Verify the reader and Identity Agent on every workstation in the week before go-live, using the End Point Registration list.")
        },
    ]

    static let support: [LessonTemplate] = [
        LessonTemplate(stages: [.support], products: [], area: .processAndPerformance, tags: ["early-care", "support"]) { d in
            ("Early care support ended too soon",
             "Early care support for \(d.product) at \(d.place) ended after \(d.weeks) weeks while \(d.many) calls were still open, and the local help desk could not absorb them.",
             "Set the early care period in Local Design with exit criteria (open calls, usage) rather than a fixed date, and hand over only when they are met.")
        },
        LessonTemplate(stages: [.support], products: [], area: .contracts, tags: ["handover", "deployment-verification"]) { d in
            ("Handover document set incomplete",
             "At Deployment Verification for \(d.place) the handover set lacked the known-faults list and \(d.few) configuration records, so the certificate was withheld.",
             "Agree the handover document set with the supplier in Local Design and check it a month before Deployment Verification.")
        },
        LessonTemplate(stages: [.support], products: [], area: .policy, tags: ["pir", "lessons-learned"]) { d in
            ("Post-implementation review approach not agreed",
             "No PIR approach was agreed when \(d.product) went into live service at \(d.place), and the lessons review happened \(d.weeks) weeks later with half the team gone.",
             "Agree the PIR approach and hold the lessons learned review before the project team disbands, as stage 5 requires.")
        },
        LessonTemplate(stages: [.support], products: ["CRS", "PACS", "CAB", "ETP"], area: .clinicalAndBusiness, tags: ["benefits", "measurement"]) { d in
            ("Benefits not measured against the baseline",
             "Six months after go-live nobody at \(d.place) had measured the \(d.product) benefits; the baseline figures from Local Design had not been kept.",
             "Keep baseline measures with the Benefits Realisation Plan and book the first benefits review before project closure.")
        },
        LessonTemplate(stages: [.support], products: ["GP2GP"], area: .processAndPerformance, tags: ["gp2gp", "records-transfer", "backlog"]) { d in
            ("Record transfer backlog after go-live",
             "\(d.many) incoming GP2GP records queued at \(d.place) because nobody was given time to integrate them each day.",
             "Give a named member of practice staff daily time to integrate transferred records, and monitor the queue weekly.")
        },
    ]
}
