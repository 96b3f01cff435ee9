/// Believable change control for a generated programme: a Change Review Board per cluster
/// with monthly meetings; one CCN about each trust's first project, in every state, the
/// approved ones with the baseline history that produced today's baselines; a few CCNs about
/// each cluster's DIP; and an agreed DIP per LSP per cluster for last year and this year.
struct ChangeControlGenerator {
    let dataset: ProgrammeDataset
    let today: Day

    func generate() -> ChangeControlRecords {
        var builder = Builder(dataset: dataset, today: today)
        builder.build()
        return builder.records
    }

    struct Builder {
        let dataset: ProgrammeDataset
        let today: Day
        let calendar = WorkingCalendar.england
        var random = SplitMix64(seed: 0xC4A9_6E2005)
        var records = ChangeControlRecords()
        var nextLineID: Int64 = 1
        var nextMeetingID: Int64 = 1
        var numbers: [Int64: Int] = [:]

        init(dataset: ProgrammeDataset, today: Day) {
            self.dataset = dataset
            self.today = today
        }

        mutating func build() {
            var firstProject: [Int64: ImplementationProject] = [:]
            var lspProjects: [Int64: [ImplementationProject]] = [:]
            let lsps = Dictionary(dataset.contracts.map { ($0.organisationID, $0.supplierID) }, uniquingKeysWith: { first, _ in first })
            for project in dataset.projects {
                // Each trust's note is about its first project its cluster's LSP delivers.
                if let trust = project.ancestry.trustID, firstProject[trust] == nil, project.supplierID == project.ancestry.clusterID.flatMap({ lsps[$0] }) {
                    firstProject[trust] = project
                }
                if let cluster = project.ancestry.clusterID, project.type == .lsp, project.supplierID == lsps[cluster] {
                    lspProjects[cluster, default: []].append(project)
                }
            }
            // The demo users' cluster is that of the first LSP project (see DemoUsers).
            let demoCluster = dataset.projects.first { $0.type == .lsp }?.ancestry.clusterID
            let trusts = dataset.organisations.filter { $0.kind == .trust }
            let organisations = Dictionary(uniqueKeysWithValues: dataset.organisations.map { ($0.id, $0) })
            for cluster in dataset.organisations where cluster.kind == .cluster {
                let meetings = board(for: cluster, demo: cluster.id == demoCluster)
                if let lsp = lsps[cluster.id] {
                    for year in [FinancialYear(containing: today).startYear - 1, FinancialYear(containing: today).startYear] {
                        addDIP(cluster: cluster, supplierID: lsp, year: FinancialYear(startYear: year), projects: lspProjects[cluster.id] ?? [],
                               organisations: organisations)
                    }
                }
                for trust in trusts where trust.ancestry.clusterID == cluster.id {
                    if let project = firstProject[trust.id] { addProjectNote(cluster: cluster, trust: trust, project: project, meetings: meetings) }
                }
                addDIPNotes(cluster: cluster, meetings: meetings)
            }
        }

        mutating func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }

        /// The board and its meetings: the second Tuesday of each of the last twelve months.
        mutating func board(for cluster: Organisation, demo: Bool) -> [BoardMeeting] {
            // Distinct people per board, a different set in each cluster.
            let people = ChangeControlPhrases.people
            let offset = random.below(people.count)
            var members = ChangeControlPhrases.seats.enumerated().map { index, seat in
                BoardMember(username: "crb-\(cluster.code.lowercased())-\(index + 1)", name: people[(offset + index) % people.count], representing: seat)
            }
            if demo {
                members += [BoardMember(username: "demo-cluster", name: "Demo Cluster PCM", representing: "Programme Controls Manager"),
                            BoardMember(username: "demo-npo", name: "Demo National Programme Office", representing: "National Programme Office")]
            }
            var meetings: [BoardMeeting] = []
            var (year, month, _) = today.components
            while meetings.count < 12 {
                var day = Day(year: year, month: month, day: 8)!
                while day.weekday != 1 { day = day.adding(days: 1) }
                if day <= today {
                    meetings.insert(BoardMeeting(id: nextMeetingID, clusterID: cluster.id, heldOn: day, minutes: pick(ChangeControlPhrases.minutes)), at: 0)
                    nextMeetingID += 1
                }
                (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1)
            }
            records.boards.append(ChangeReviewBoard(clusterID: cluster.id, members: members, meetings: meetings))
            return meetings
        }

        mutating func addDIP(cluster: Organisation, supplierID: Int64, year: FinancialYear, projects: [ImplementationProject],
                             organisations: [Int64: Organisation]) {
            let id = Int64(records.dips.count + 1)
            var lines: [DIPLine] = []
            for project in projects {
                guard let goLive = project.milestone(.goLiveCompleted)?.baseline, year.contains(goLive) else { continue }
                let kind: ImplementationKind = switch project.productCode {
                case "CRS": .replacement
                case "N3", "RA", "PACS": .newService
                default: .upgrade
                }
                let place = organisations[project.organisationID]
                lines.append(DIPLine(id: nextLineID, dipID: id, number: lines.count + 1, productCode: project.productCode,
                                     organisationID: project.organisationID, organisationCode: place?.code ?? "",
                                     organisationName: place?.name ?? "", ancestry: project.ancestry, implementation: kind,
                                     dueDate: goLive, projects: [ProjectRef(project)]))
                nextLineID += 1
            }
            records.dips.append(DetailedImplementationPlan(id: id, supplierID: supplierID, clusterID: cluster.id, year: year, state: .agreed,
                                                           agreedBy: pick(ChangeControlPhrases.people), agreedOn: year.start.adding(days: -21),
                                                           lines: lines))
        }

        mutating func newNote(cluster: Organisation, template: ChangeControlPhrases.Template, product: String,
                              raisedAt: Organisation) -> ChangeControlNote {
            numbers[cluster.id, default: 0] += 1
            let title = template.title.replacing("%@", with: product)
            return ChangeControlNote(
                id: Int64(records.notes.count + 1), clusterID: cluster.id, clusterCode: cluster.code, number: numbers[cluster.id]!,
                type: template.type, title: title, description: template.description, reason: template.reason,
                impact: ChangeImpact(risk: template.risk, issues: "None raised.", functionality: template.functionality, cost: template.cost,
                                     costPounds: random.below(3) == 0 ? nil : Int64(random.below(40) * 2_500), time: "As proposed."),
                raisedBy: pick(ChangeControlPhrases.people), raisedOn: today, raisedAt: raisedAt.id, raisedAtAnchor: ChangeAnchor(raisedAt))
        }

        /// Gives the note a state, the assessments it needs for it and, once decided, the
        /// board's decision; returns the decision day for decided notes.
        mutating func settle(_ note: inout ChangeControlNote, meetings: [BoardMeeting]) -> Day? {
            let roll = random.below(20)
            let state: ChangeState = roll < 3 ? .raised : roll < 6 ? .underAssessment : roll < 9 ? .atBoard : roll < 14 ? .approved
                : roll < 16 ? .rejected : roll < 18 ? .deferred : .implemented
            note.raisedOn = today.adding(days: -(state == .raised ? random.below(20) : state == .underAssessment || state == .atBoard
                ? 10 + random.below(40) : 60 + random.below(270)))
            let meeting = meetings.first { $0.heldOn >= note.raisedOn.adding(days: 21) }
            note.state = state.isDecision || state == .implemented ? (meeting == nil ? .atBoard : state) : state
            let assessed = note.state == .raised ? 0 : note.state == .underAssessment ? random.below(5) : 5
            note.assessments = AssessorDiscipline.allCases.prefix(assessed).map {
                ChangeAssessment(discipline: $0, assessor: pick(ChangeControlPhrases.people),
                                 recommendation: pick(Array(ChangeControlPhrases.recommendations.prefix(4))), recordedOn: note.raisedOn.adding(days: 7))
            }
            guard let meeting, note.state.isDecision || note.state == .implemented else { return nil }
            let outcome = note.state == .implemented ? DecisionOutcome.approved : DecisionOutcome(rawValue: note.state.rawValue)!
            let members = records.boards.last?.members ?? []
            records.decisions.append(BoardDecision(ccnID: note.id, meetingID: meeting.id, outcome: outcome,
                                                   reason: outcome == .approved ? "Benefits outweigh the delay; dependencies checked."
                                                       : outcome == .rejected ? "The case for change was not made." : "Awaiting the supplier's confirmed release date.",
                                                   decidedBy: members.isEmpty ? "board" : pick(members).username, decidedOn: meeting.heldOn))
            return meeting.heldOn
        }

        mutating func addProjectNote(cluster: Organisation, trust: Organisation, project: ImplementationProject, meetings: [BoardMeeting]) {
            let product = ProductCatalogue.product(code: project.productCode)?.name ?? project.productCode
            var note = newNote(cluster: cluster, template: pick(ChangeControlPhrases.projectChanges), product: product,
                               raisedAt: random.below(2) == 0 ? cluster : trust)
            note.projects = [AffectedProject(project)]
            let decided = settle(&note, meetings: meetings)
            if let milestone = project.milestones.first(where: { !$0.isAchieved }), let baseline = milestone.baseline {
                let shift = (10 + random.below(30)) * (random.below(4) == 0 ? -1 : 1)
                if let decided, note.state.authorisesChange {
                    // The approval moved the baseline to today's date; the history keeps the old one.
                    note.milestones = [AffectedMilestone(projectID: project.id, projectCode: project.code, kind: milestone.kind, proposedBaseline: baseline)]
                    records.baselineChanges.append(BaselineChange(
                        projectID: project.id, kind: milestone.kind, from: calendar.adding(workingDays: -shift, to: baseline), to: baseline,
                        ccnID: note.id, ccnReference: note.reference, changedOn: decided))
                } else {
                    note.milestones = [AffectedMilestone(projectID: project.id, projectCode: project.code, kind: milestone.kind,
                                                         proposedBaseline: calendar.adding(workingDays: shift, to: baseline))]
                }
            }
            records.notes.append(note)
        }

        /// Three changes to the cluster's current DIP: approved (its lines record the CCN), at
        /// the board, and a new line just raised.
        mutating func addDIPNotes(cluster: Organisation, meetings: [BoardMeeting]) {
            guard let index = records.dips.lastIndex(where: { $0.clusterID == cluster.id }), records.dips[index].lines.count >= 3 else { return }
            let dip = records.dips[index]
            let anchorOf = { (line: DIPLine) in ChangeAnchor(ancestry: line.ancestry, supplierID: dip.supplierID) }
            for (position, template) in ChangeControlPhrases.dipChanges.enumerated() {
                var note = newNote(cluster: cluster, template: template, product: "", raisedAt: cluster)
                let lines = position == 0 ? [0, 1] : position == 1 ? [2] : []
                note.dipLines = lines.map { at in
                    let line = dip.lines[at]
                    let moved = line.dueDate.adding(days: dip.year.contains(line.dueDate.adding(days: 28)) ? 28 : -28)
                    return AffectedDIPLine(dipID: dip.id, lineNumber: line.number, proposedDue: position == 0 ? line.dueDate : moved, anchor: anchorOf(line))
                }
                if lines.isEmpty {
                    note.dipLines = [AffectedDIPLine(dipID: dip.id, lineNumber: nil, proposedImplementation: .upgrade,
                                                     anchor: ChangeAnchor(ancestry: cluster.ancestry, supplierID: dip.supplierID))]
                }
                note.state = [.approved, .atBoard, .raised][position]
                note.raisedOn = today.adding(days: position == 0 ? -120 : -30 + 10 * position)
                note.assessments = position == 2 ? [] : AssessorDiscipline.allCases.map {
                    ChangeAssessment(discipline: $0, assessor: pick(ChangeControlPhrases.people), recommendation: "Approve as proposed.",
                                     recordedOn: note.raisedOn.adding(days: 7))
                }
                if position == 0, let meeting = meetings.first(where: { $0.heldOn >= note.raisedOn.adding(days: 21) }) {
                    records.decisions.append(BoardDecision(ccnID: note.id, meetingID: meeting.id, outcome: .approved, reason: "Agreed with the LSP.",
                                                           decidedBy: records.boards.last?.members.first?.username ?? "board", decidedOn: meeting.heldOn))
                    for at in lines {
                        records.dips[index].lines[at].ccnID = note.id
                        records.dips[index].lines[at].version = 2
                    }
                } else if position == 0 {
                    note.state = .atBoard
                }
                records.notes.append(note)
            }
        }
    }
}
