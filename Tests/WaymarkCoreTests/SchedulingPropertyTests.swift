import Testing
import WaymarkCore

/// Random networks checked against the definitions, and small ones against two independent
/// schedulers written here: longest paths by enumerating every path, and constraint-aware
/// relaxation to a fixed point. Everything is in working-day indices read back from the dates
/// through `WorkingCalendar`, so the date mapping is checked too.
@Suite("Scheduling properties")
struct SchedulingPropertyTests {
    /// SplitMix64, kept here so the tests do not lean on the library's generator.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func within(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    // MARK: Generating networks

    /// A random acyclic plan: dependencies only run from earlier to later tasks in plan order
    /// (then the tasks are shuffled so plan order is not topological). Ids are sparse.
    static func network(_ random: inout Random, tasks count: Int, linkPercent: Int, window: Int = 12,
                        constraints: Bool = false) -> ProjectPlan {
        let start = day("2026-01-01").adding(days: random.below(730))  // crosses Easter, Christmas, weekends
        var ids: [Int] = []
        var next = random.within(1...5)
        for _ in 0..<count {
            ids.append(next)
            next += random.within(1...3)
        }
        var tasks: [PlanTask] = []
        for id in ids {
            var constraint: TaskConstraint?
            if constraints && random.chance(20) {
                let kinds: [ConstraintKind] = [.startNoEarlierThan, .mustStartOn, .finishNoLaterThan]
                constraint = TaskConstraint(kinds[random.below(3)], start.adding(days: random.within(-5...40)))
            }
            tasks.append(PlanTask(id: id, wbs: "\(id)", name: "Task \(id)",
                                  duration: random.chance(20) ? 0 : random.within(1...6), constraint: constraint))
        }
        var links: [Dependency] = []
        for j in 0..<count {
            for i in max(0, j - window)..<j where random.chance(linkPercent) {
                links.append(Dependency(predecessor: TaskReference(taskID: ids[i]), successorID: ids[j],
                                        kind: DependencyKind.allCases[random.below(4)], lag: random.within(-3...4)))
            }
        }
        for i in stride(from: count - 1, to: 0, by: -1) { tasks.swapAt(i, random.below(i + 1)) }
        return ProjectPlan(projectCode: "RAND", start: start, tasks: tasks, dependencies: links)
    }

    // MARK: Reading a schedule back as indices

    /// Offset of the successor's start from the predecessor's start, from the relation's definition.
    static func offset(_ kind: DependencyKind, lag: Int, predecessor: Int, successor: Int) -> Int {
        switch kind {
        case .finishToStart: predecessor + lag               // S ≥ Fp + L = Sp + dp + L
        case .startToStart: lag                              // S ≥ Sp + L
        case .finishToFinish: predecessor + lag - successor  // S + ds ≥ Sp + dp + L
        case .startToFinish: lag - successor                 // S + ds ≥ Sp + L
        }
    }

    /// Working-day indices of a schedule's dates, via the calendar (not the scheduler's table).
    struct Indexed {
        let calendar: WorkingCalendar
        let origin: Day
        var earlyStart: [Int: Int] = [:], lateStart: [Int: Int] = [:]
        var duration: [Int: Int] = [:]
        var finish = 0

        init(_ plan: ProjectPlan, _ schedule: Schedule) {
            calendar = plan.calendar.working
            origin = schedule.start
            for (task, result) in zip(plan.tasks, schedule.tasks) {
                duration[task.id] = task.duration
                earlyStart[task.id] = index(result.earlyStart)
                lateStart[task.id] = index(result.lateStart)
                // The finish dates must agree with the start and duration.
                let last = max(task.duration, 1) - 1
                #expect(result.earlyFinish == day(at: earlyStart[task.id]! + last), "task \(task.id) early finish")
                #expect(result.lateFinish == day(at: lateStart[task.id]! + last), "task \(task.id) late finish")
                finish = max(finish, earlyStart[task.id]! + task.duration)
            }
        }

        func index(_ date: Day) -> Int {
            #expect(calendar.isWorkingDay(date), "\(date) is a working day")
            return calendar.workingDays(from: origin, to: date)
        }

        func day(at index: Int) -> Day { calendar.adding(workingDays: index, to: origin) }

        func index(onOrAfter date: Day) -> Int {
            var date = date
            while !calendar.isWorkingDay(date) { date = date.adding(days: 1) }
            return index(date)
        }
    }

    // MARK: Independent schedulers

    /// Early starts as the longest of all paths into each task (every path enumerated), and late
    /// starts as the tightest of all paths out of it. Exponential, so small plans only.
    static func pathEnumeration(_ plan: ProjectPlan) -> (early: [Int: Int], late: [Int: Int], finish: Int) {
        let duration = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, $0.duration) })
        var out: [Int: [(Int, Int)]] = [:]
        for link in plan.dependencies {
            let p = link.predecessor.taskID, s = link.successorID
            out[p, default: []].append((s, offset(link.kind, lag: link.lag, predecessor: duration[p]!, successor: duration[s]!)))
        }
        var early = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, 0) })
        func walk(_ node: Int, _ length: Int) {
            early[node] = max(early[node]!, length)
            for (next, weight) in out[node] ?? [] { walk(next, length + weight) }
        }
        for task in plan.tasks { walk(task.id, 0) }
        let finish = plan.tasks.map { early[$0.id]! + $0.duration }.max() ?? 0
        var late: [Int: Int] = [:]
        func tightest(_ node: Int, _ length: Int) -> Int {
            var best = finish - duration[node]! - length
            for (next, weight) in out[node] ?? [] { best = min(best, tightest(next, length + weight)) }
            return best
        }
        for task in plan.tasks { late[task.id] = tightest(task.id, 0) }
        return (early, late, finish)
    }

    /// Early and late starts with constraints and other projects' tasks, by relaxing every
    /// dependency until nothing changes (no topological order).
    static func relaxation(_ plan: ProjectPlan, external: [TaskReference: ExternalTaskDates])
        -> (early: [Int: Int], late: [Int: Int], finish: Int) {
        let calendar = plan.calendar.working
        var origin = plan.start
        while !calendar.isWorkingDay(origin) { origin = origin.adding(days: 1) }
        // First working day on or after a date, as an index (negative before the origin).
        func onOrAfter(_ date: Day) -> Int {
            var date = date
            while !calendar.isWorkingDay(date) { date = date.adding(days: 1) }
            return calendar.workingDays(from: origin, to: date)
        }
        let duration = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, $0.duration) })
        var floor = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, 0) })
        var links: [(Int, Int, Int)] = []
        for link in plan.dependencies {
            let s = link.successorID
            let ds = duration[s]!
            if let dates = external[link.predecessor] {
                let start = onOrAfter(dates.start)
                let finishPoint = dates.isMilestone ? start : onOrAfter(dates.finish.adding(days: 1))
                let from = link.kind == .finishToStart || link.kind == .finishToFinish ? finishPoint : start
                floor[s] = max(floor[s]!, from + offset(link.kind, lag: link.lag, predecessor: 0, successor: ds))
            } else {
                let p = link.predecessor.taskID
                links.append((p, s, offset(link.kind, lag: link.lag, predecessor: duration[p]!, successor: ds)))
            }
        }
        var must: [Int: Int] = [:], cap: [Int: Int] = [:]
        for task in plan.tasks {
            guard let constraint = task.constraint else { continue }
            switch constraint.kind {
            case .startNoEarlierThan: floor[task.id] = max(floor[task.id]!, onOrAfter(constraint.date))
            case .mustStartOn:
                must[task.id] = onOrAfter(constraint.date)
                cap[task.id] = must[task.id]
            case .finishNoLaterThan:
                // The last day worked (the milestone's day) may be the date at the latest.
                var date = constraint.date
                while !calendar.isWorkingDay(date) { date = date.adding(days: -1) }
                cap[task.id] = calendar.workingDays(from: origin, to: date) + 1 - max(task.duration, 1)
            }
        }
        var early = floor
        var changed = true
        while changed {
            changed = false
            for task in plan.tasks {
                var start = floor[task.id]!
                for (p, s, weight) in links where s == task.id { start = max(start, early[p]! + weight) }
                if let target = must[task.id] { start = max(start, target) }
                if start != early[task.id]! {
                    early[task.id] = start
                    changed = true
                }
            }
        }
        let finish = plan.tasks.map { early[$0.id]! + $0.duration }.max() ?? 0
        var late = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, min(finish - $0.duration, cap[$0.id] ?? .max)) })
        changed = true
        while changed {
            changed = false
            for (p, s, weight) in links where late[s]! - weight < late[p]! {
                late[p] = late[s]! - weight
                changed = true
            }
        }
        return (early, late, finish)
    }

    // MARK: Properties

    /// The checks that hold for any plan without constraints.
    static func checkUnconstrained(_ plan: ProjectPlan, _ schedule: Schedule, _ x: Indexed,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        var failures: [String] = []
        let byID = Dictionary(uniqueKeysWithValues: schedule.tasks.map { ($0.id, $0) })
        let outgoing = Dictionary(grouping: plan.dependencies, by: \.predecessor.taskID)
        for link in plan.dependencies {
            let p = link.predecessor.taskID, s = link.successorID
            let weight = offset(link.kind, lag: link.lag, predecessor: x.duration[p]!, successor: x.duration[s]!)
            if x.earlyStart[s]! < x.earlyStart[p]! + weight { failures.append("early dates break \(link)") }
            if x.lateStart[s]! < x.lateStart[p]! + weight { failures.append("late dates break \(link)") }
        }
        for task in schedule.tasks {
            let es = x.earlyStart[task.id]!, ls = x.lateStart[task.id]!, d = x.duration[task.id]!
            if task.totalFloat != ls - es { failures.append("task \(task.id): total float is not LS - ES") }
            if task.totalFloat < 0 { failures.append("task \(task.id): negative total float") }
            if task.freeFloat < 0 || task.freeFloat > task.totalFloat { failures.append("task \(task.id): free float \(task.freeFloat) vs total \(task.totalFloat)") }
            if es < 0 || es + d > x.finish || ls + d > x.finish { failures.append("task \(task.id) outside the project") }
            if task.isCritical != (task.totalFloat == 0) { failures.append("task \(task.id): critical flag") }
        }
        // Every start is as early as possible: at the plan start or pinned by a dependency; and
        // every late start is pinned by the finish or a dependency.
        var pinnedEarly = Set(plan.tasks.filter { x.earlyStart[$0.id] == 0 }.map(\.id))
        var pinnedLate = Set(plan.tasks.filter { x.lateStart[$0.id]! + $0.duration == x.finish }.map(\.id))
        for link in plan.dependencies {
            let p = link.predecessor.taskID, s = link.successorID
            let weight = offset(link.kind, lag: link.lag, predecessor: x.duration[p]!, successor: x.duration[s]!)
            if x.earlyStart[s]! == x.earlyStart[p]! + weight { pinnedEarly.insert(s) }
            if x.lateStart[s]! == x.lateStart[p]! + weight { pinnedLate.insert(p) }
        }
        if pinnedEarly.count != plan.tasks.count { failures.append("early starts not all driven") }
        if pinnedLate.count != plan.tasks.count { failures.append("late starts not all driven") }
        // Free float is the least slack to a successor, or to the finish.
        for task in plan.tasks {
            var free = x.finish - x.earlyStart[task.id]! - task.duration
            for link in outgoing[task.id] ?? [] {
                let s = link.successorID
                free = min(free, x.earlyStart[s]! - x.earlyStart[task.id]!
                    - offset(link.kind, lag: link.lag, predecessor: task.duration, successor: x.duration[s]!))
            }
            if byID[task.id]!.freeFloat != free { failures.append("task \(task.id): free float \(byID[task.id]!.freeFloat), expected \(free)") }
        }
        // The critical path: critical tasks linked by driving dependencies, from a start at day 0
        // to the project finish.
        let path = schedule.criticalPath
        if let first = path.first, let last = path.last {
            if x.earlyStart[first] != 0 { failures.append("critical path starts at \(x.earlyStart[first]!)") }
            if x.earlyStart[last]! + x.duration[last]! != x.finish { failures.append("critical path ends before the finish") }
            if !path.allSatisfy({ byID[$0]!.isCritical }) { failures.append("non-critical task on the critical path") }
            for (a, b) in zip(path, path.dropFirst()) {
                let driving = (outgoing[a] ?? []).contains { link in
                    link.successorID == b
                        && x.earlyStart[b]! == x.earlyStart[a]! + offset(link.kind, lag: link.lag, predecessor: x.duration[a]!,
                                                                           successor: x.duration[b]!)
                }
                if !driving { failures.append("no driving link \(a) → \(b) on the critical path") }
            }
        } else if !plan.tasks.isEmpty {
            failures.append("no critical path")
        }
        if !plan.tasks.isEmpty {
            let lastDay = plan.tasks.map { x.day(at: x.earlyStart[$0.id]! + max($0.duration, 1) - 1) }.max()
            if schedule.finish != lastDay { failures.append("finish \(schedule.finish) vs \(String(describing: lastDay))") }
        }
        #expect(failures.isEmpty, "\(failures.prefix(8))", sourceLocation: sourceLocation)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func smallNetworksMatchPathEnumeration(seed: UInt64) throws {
        var random = Random(state: seed)
        for round in 0..<50 {
            let plan = Self.network(&random, tasks: random.within(2...12), linkPercent: random.within(10...50))
            let schedule = try Scheduler.schedule(plan)
            let x = Indexed(plan, schedule)
            let brute = Self.pathEnumeration(plan)
            #expect(x.finish == brute.finish, "round \(round): project finish")
            #expect(x.earlyStart == brute.early, "round \(round): early starts")
            #expect(x.lateStart == brute.late, "round \(round): late starts")
            #expect(schedule.violations.isEmpty)
            Self.checkUnconstrained(plan, schedule, x)
        }
    }

    @Test(arguments: [(UInt64(11), 200), (12, 700), (13, 2_000)])
    func largeNetworksKeepTheDefinitions(seed: UInt64, tasks: Int) throws {
        var random = Random(state: seed)
        for _ in 0..<3 {
            let plan = Self.network(&random, tasks: tasks, linkPercent: random.within(5...20), window: 40)
            let schedule = try Scheduler.schedule(plan)
            Self.checkUnconstrained(plan, schedule, Indexed(plan, schedule))
        }
    }

    @Test(arguments: [UInt64(21), 22, 23])
    func constraintsAndOtherProjectsMatchRelaxation(seed: UInt64) throws {
        var random = Random(state: seed)
        var sawViolation = false, sawNegativeFloat = false
        for round in 0..<60 {
            var plan = Self.network(&random, tasks: random.within(2...12), linkPercent: random.within(10...40), constraints: true)
            // Some tasks also wait for another project's task.
            var external: [TaskReference: ExternalTaskDates] = [:]
            for task in plan.tasks where random.chance(15) {
                let theirs = TaskReference(projectCode: "OTHER", taskID: task.id)
                // Any days will do, working or not: the scheduler reads them through the calendar.
                let start = plan.start.adding(days: random.within(-10...30))
                let milestone = random.chance(30)
                let finish = milestone ? start : start.adding(days: random.within(0...10))
                external[theirs] = ExternalTaskDates(start: start, finish: finish, isMilestone: milestone)
                plan.dependencies.append(Dependency(predecessor: theirs, successorID: task.id,
                                                    kind: DependencyKind.allCases[random.below(4)], lag: random.within(-2...3)))
            }
            let schedule = try Scheduler.schedule(plan, external: external)
            let x = Indexed(plan, schedule)
            let brute = Self.relaxation(plan, external: external)
            #expect(x.earlyStart == brute.early, "round \(round): early starts")
            #expect(x.lateStart == brute.late, "round \(round): late starts")
            #expect(x.finish == brute.finish, "round \(round): finish")

            // Each constraint is either met or reported, and each report is true.
            let reported = Dictionary(uniqueKeysWithValues: schedule.violations.map { ($0.taskID, $0) })
            for (task, result) in zip(plan.tasks, schedule.tasks) {
                guard let constraint = task.constraint else { continue }
                switch constraint.kind {
                case .startNoEarlierThan:
                    #expect(result.earlyStart >= constraint.date || constraint.date < plan.start)
                    #expect(reported[task.id] == nil)
                case .mustStartOn:
                    // Met when the task starts on the first working day on or after the date,
                    // and that day is not before the plan's first.
                    let target = x.index(onOrAfter: constraint.date)
                    let met = target >= 0 && x.earlyStart[task.id]! == target
                    #expect(met == (reported[task.id] == nil), "round \(round): MSO on \(task.id) \(result.earlyStart)")
                case .finishNoLaterThan:
                    #expect((result.earlyFinish <= constraint.date) == (reported[task.id] == nil),
                            "round \(round): FNLT on \(task.id)")
                }
            }
            for task in schedule.tasks {
                #expect(task.freeFloat >= 0 && task.freeFloat <= max(task.totalFloat, 0))
                #expect(x.earlyStart[task.id]! >= 0)
            }
            let negative = schedule.tasks.contains { $0.totalFloat < 0 }
            if negative { #expect(!schedule.violations.isEmpty, "round \(round): negative float without a violation") }
            sawViolation = sawViolation || !schedule.violations.isEmpty
            sawNegativeFloat = sawNegativeFloat || negative
        }
        #expect(sawViolation && sawNegativeFloat, "the rounds exercise impossible constraints")
    }

    /// Summaries with random links and constraints give exactly the dates of the same links
    /// written on every task they contain, and span their tasks.
    @Test(arguments: [UInt64(31), 32, 33])
    func summaryLinksMatchTheirExpansion(seed: UInt64) throws {
        var random = Random(state: seed)
        for round in 0..<40 {
            // Leaves 1…n in order; an outline of nested summaries over contiguous runs of them.
            let leafCount = random.within(3...14)
            var tasks: [PlanTask] = []
            var leavesOf: [Int: [Int]] = [:]
            var rangeOf: [Int: ClosedRange<Int>] = [:]
            var nextSummary = 100
            func outline(_ leaves: ClosedRange<Int>, _ prefix: String, _ ancestors: [Int]) {
                var position = 0, i = leaves.lowerBound
                while i <= leaves.upperBound {
                    position += 1
                    let wbs = prefix.isEmpty ? "\(position)" : "\(prefix).\(position)"
                    let size = random.within(1...max(1, min(5, leaves.upperBound - i + 1)))
                    if size > 1 || random.chance(20) {
                        let id = nextSummary
                        nextSummary += 1
                        let constraint: TaskConstraint? = random.chance(15)
                            ? TaskConstraint(random.chance(50) ? .startNoEarlierThan : .finishNoLaterThan,
                                             day("2026-11-02").adding(days: random.within(0...30))) : nil
                        tasks.append(PlanTask(id: id, wbs: wbs, name: "Summary", duration: 0, isSummary: true, constraint: constraint))
                        rangeOf[id] = i...(i + size - 1)
                        outline(i...(i + size - 1), wbs, ancestors + [id])
                    } else {
                        tasks.append(PlanTask(id: i, wbs: wbs, name: "Task \(i)", duration: random.chance(15) ? 0 : random.within(1...5)))
                        for ancestor in ancestors { leavesOf[ancestor, default: []].append(i) }
                    }
                    i += size
                }
            }
            outline(1...leafCount, "", [])
            // Links between leaves and summaries, always forwards in leaf order.
            func span(_ id: Int) -> ClosedRange<Int> { rangeOf[id] ?? id...id }
            let nodes = tasks.map(\.id)
            var links: [Dependency] = []
            for _ in 0..<random.within(2...12) {
                let a = nodes[random.below(nodes.count)], b = nodes[random.below(nodes.count)]
                guard span(a).upperBound < span(b).lowerBound else { continue }
                var kinds = DependencyKind.allCases
                if rangeOf[a] != nil { kinds.removeAll { $0 == .startToStart || $0 == .startToFinish } }
                if rangeOf[b] != nil { kinds.removeAll { $0 == .finishToFinish || $0 == .startToFinish } }
                links.append(Dependency(predecessor: TaskReference(taskID: a), successorID: b,
                                        kind: kinds[random.below(kinds.count)], lag: random.within(-2...3)))
            }
            // The same links and summary constraints, written on the tasks themselves.
            var expanded: [Dependency] = []
            for link in links {
                for p in leavesOf[link.predecessor.taskID] ?? [link.predecessor.taskID] {
                    for s in leavesOf[link.successorID] ?? [link.successorID] {
                        expanded.append(Dependency(predecessor: TaskReference(taskID: p), successorID: s, kind: link.kind, lag: link.lag))
                    }
                }
            }
            var flatTasks = tasks.map { task -> PlanTask in
                var task = task
                if task.isSummary { task.constraint = nil }
                return task
            }
            for summary in tasks where summary.isSummary {
                guard let constraint = summary.constraint else { continue }
                for leaf in leavesOf[summary.id] ?? [] {
                    let index = flatTasks.firstIndex { $0.id == leaf }!
                    let existing = flatTasks[index].constraint
                    // Two constraints of a kind on one task: keep the tighter.
                    if let existing, existing.kind == constraint.kind {
                        let tighter = constraint.kind == .startNoEarlierThan ? max(existing.date, constraint.date)
                                                                               : min(existing.date, constraint.date)
                        flatTasks[index].constraint = TaskConstraint(constraint.kind, tighter)
                    } else if existing == nil {
                        flatTasks[index].constraint = constraint
                    }
                }
            }
            // A leaf under both an SNET and an FNLT summary cannot carry both; skip such rounds.
            let conflicted = tasks.filter(\.isSummary).contains { s in
                tasks.filter(\.isSummary).contains { t in
                    s.constraint != nil && t.constraint != nil && s.constraint!.kind != t.constraint!.kind
                        && !Set(leavesOf[s.id] ?? []).isDisjoint(with: leavesOf[t.id] ?? [])
                }
            }
            if conflicted { continue }

            let plan = ProjectPlan(projectCode: "WBS", start: day("2026-11-02"), tasks: tasks, dependencies: links)
            let flat = ProjectPlan(projectCode: "WBS", start: day("2026-11-02"), tasks: flatTasks, dependencies: expanded)
            let a = try Scheduler.schedule(plan)
            let b = try Scheduler.schedule(flat)
            for (x, y) in zip(a.tasks, b.tasks) where !x.isSummary {
                #expect(x == y, "round \(round): task \(x.id) \(x) vs \(y)")
            }
            // Summaries span their tasks (an empty one cannot arise here).
            for summary in tasks where summary.isSummary {
                let work = (leavesOf[summary.id] ?? []).compactMap { a[taskID: $0] }
                let rolled = try #require(a[taskID: summary.id])
                #expect(rolled.earlyStart == work.map(\.earlyStart).min())
                #expect(rolled.earlyFinish == work.map(\.earlyFinish).max())
                #expect(rolled.lateStart == work.map(\.lateStart).min())
                #expect(rolled.lateFinish == work.map(\.lateFinish).max())
                #expect(rolled.totalFloat == work.map(\.totalFloat).min())
                #expect(rolled.isCritical == work.contains(where: \.isCritical))
            }
            // Summary FNLT violations are reported on the summary when its work finishes late.
            let late = Set(a.violations.map(\.taskID))
            for summary in tasks where summary.constraint?.kind == .finishNoLaterThan {
                #expect(late.contains(summary.id) == (a[taskID: summary.id]!.earlyFinish > summary.constraint!.date))
            }
        }
    }

    @Test(arguments: [UInt64(41), 42])
    func aClosingLinkIsReportedAsALoopOfRealLinks(seed: UInt64) {
        var random = Random(state: seed)
        for round in 0..<40 {
            var plan = Self.network(&random, tasks: random.within(3...40), linkPercent: 40, window: 6)
            // Close a loop: link the end of some existing chain back to its start.
            guard let link = plan.dependencies.randomElement(using: &random) else { continue }
            var chainEnd = link.successorID
            while let next = plan.dependencies.first(where: { $0.predecessor.taskID == chainEnd }), random.chance(70) {
                chainEnd = next.successorID
            }
            plan.dependencies.append(Dependency(predecessor: TaskReference(taskID: chainEnd), successorID: link.predecessor.taskID))
            guard case .cycle(let ids)? = SchedulingFixture.error(plan) else {
                Issue.record("round \(round): no loop reported")
                continue
            }
            #expect(!ids.isEmpty && Set(ids).count == ids.count)
            for (a, b) in zip(ids, ids.dropFirst() + ids.prefix(1)) {
                #expect(plan.dependencies.contains { $0.predecessor.taskID == a && $0.successorID == b },
                        "round \(round): \(a) → \(b) in \(ids) is not a link")
            }
        }
    }
}

extension SchedulingPropertyTests.Random: RandomNumberGenerator {}
