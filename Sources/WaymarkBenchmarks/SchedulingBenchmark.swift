import WaymarkCore
/// Inputs and a yardstick for timing `Scheduler` (used by `waymark bench`).
public enum SchedulingBenchmark {
    /// A deterministic layered random network of `tasks` tasks (including one summary per layer)
    /// and `dependencies` dependencies. Each layer of about 2√n tasks is a WBS summary ("7") over
    /// its tasks ("7.12"); each dependency runs from a task in one of the three layers before its
    /// successor's, so the network has no loops. About 70% of relations are FS, the rest SS, FF
    /// and SF; lags run from −3 to +5 working days; 5% of tasks are milestones; about 1 task in
    /// 200 has a start-no-earlier-than date and 1 in 1,000 each a must-start-on or
    /// finish-no-later-than date (some of those are violated, as in real plans).
    public static func network(tasks count: Int, dependencies: Int, seed: UInt64) -> ProjectPlan {
        var random = SplitMix64(seed: seed)
        let start = Day(year: 2026, month: 1, day: 5)!
        var plan = ProjectPlan(projectCode: "BENCH", start: start)
        guard count > 0 else { return plan }
        var root = 1
        while (root + 1) * (root + 1) <= count { root += 1 }
        let width = max(2, 2 * root)
        var tasks: [PlanTask] = []
        tasks.reserveCapacity(count)
        // Task ids of the non-summary tasks, layer by layer, and where each layer begins.
        var leaves: [Int] = []
        var layerStart: [Int] = []
        var layer = 0
        while tasks.count < count {
            layer += 1
            layerStart.append(leaves.count)
            tasks.append(PlanTask(id: tasks.count + 1, wbs: String(layer), name: "Phase \(layer)", duration: 0, isSummary: true))
            var position = 0
            while position < width && tasks.count < count {
                position += 1
                let id = tasks.count + 1
                let duration = random.below(20) == 0 ? 0 : 1 + random.below(15)
                // Roughly where this layer falls: the network advances about 6 working days
                // (8 calendar days) a layer.
                let around = start.adding(days: 8 * layer)
                let constraint: TaskConstraint?
                switch random.below(1_000) {
                case 0..<5: constraint = TaskConstraint(.startNoEarlierThan, around.adding(days: random.below(40) - 30))
                case 5: constraint = TaskConstraint(.mustStartOn, around.adding(days: random.below(30) - 10))
                case 6: constraint = TaskConstraint(.finishNoLaterThan, around.adding(days: 10 + random.below(50)))
                default: constraint = nil
                }
                tasks.append(PlanTask(id: id, wbs: "\(layer).\(position)", name: "Task \(id)", duration: duration,
                                      constraint: constraint))
                leaves.append(id)
            }
        }
        layerStart.append(leaves.count)
        plan.tasks = tasks

        let layers = layerStart.count - 1
        guard layers >= 2, leaves.count > layerStart[1] else { return plan }
        var links: [Dependency] = []
        links.reserveCapacity(dependencies)
        let firstSuccessor = layerStart[1]
        for _ in 0..<dependencies {
            let successorIndex = firstSuccessor + random.below(leaves.count - firstSuccessor)
            // The successor's layer (layers are wide, so a short scan back finds it).
            var successorLayer = min(layers - 1, successorIndex / width)
            while layerStart[successorLayer] > successorIndex { successorLayer -= 1 }
            while layerStart[successorLayer + 1] <= successorIndex { successorLayer += 1 }
            let predecessorLayer = successorLayer - 1 - random.below(min(3, successorLayer))
            let low = layerStart[predecessorLayer], high = layerStart[predecessorLayer + 1]
            let predecessor = leaves[low + random.below(high - low)]
            let kind: DependencyKind
            switch random.below(100) {
            case 0..<70: kind = .finishToStart
            case 70..<82: kind = .startToStart
            case 82..<94: kind = .finishToFinish
            default: kind = .startToFinish
            }
            let lag: Int
            switch random.below(10) {
            case 0..<6: lag = 0
            case 6..<9: lag = 1 + random.below(5)
            default: lag = -1 - random.below(3)
            }
            links.append(Dependency(predecessor: TaskReference(taskID: predecessor), successorID: leaves[successorIndex],
                                    kind: kind, lag: lag))
        }
        plan.dependencies = links
        return plan
    }

    /// What the baseline pass found.
    public struct BaselineResult: Hashable, Sendable {
        /// The project length in working days.
        public let finish: Int
        /// Tasks with no float.
        public let criticalTasks: Int
    }

    /// The yardstick: a plain forward and backward longest-path pass over the same graph, with
    /// every dependency read as FS with no lag, in integer space: no calendar, constraints,
    /// relation kinds, summaries, other projects, free float or dates. It maps task ids the same
    /// way as `Scheduler`, so the ratio between the two is the cost of the real rules. Returns
    /// nil when the plan has a loop or a duplicate id; dependencies it cannot resolve are skipped.
    public static func baselinePass(_ plan: ProjectPlan) -> BaselineResult? {
        let tasks = plan.tasks
        let n = tasks.count
        guard let positions = try? TaskIndex(tasks) else { return nil }
        var duration = [Int](repeating: 0, count: n)
        for i in 0..<n { duration[i] = tasks[i].duration }

        var from: [Int32] = [], to: [Int32] = []
        from.reserveCapacity(plan.dependencies.count)
        to.reserveCapacity(plan.dependencies.count)
        for dependency in plan.dependencies where dependency.predecessor.projectCode == nil {
            guard let p = positions.position(of: dependency.predecessor.taskID),
                  let s = positions.position(of: dependency.successorID) else { continue }
            from.append(Int32(p))
            to.append(Int32(s))
        }
        var offsets = [Int](repeating: 0, count: n + 1)
        for p in from { offsets[Int(p) + 1] += 1 }
        for v in 0..<n { offsets[v + 1] += offsets[v] }
        var next = offsets
        var targets = [Int32](repeating: 0, count: from.count)
        var indegree = [Int](repeating: 0, count: n)
        for k in 0..<from.count {
            let p = Int(from[k])
            targets[next[p]] = to[k]
            next[p] += 1
            indegree[Int(to[k])] += 1
        }

        var order: [Int] = []
        order.reserveCapacity(n)
        for v in 0..<n where indegree[v] == 0 { order.append(v) }
        var earlyStart = [Int](repeating: 0, count: n)
        var finish = 0
        var head = 0
        while head < order.count {
            let v = order[head]
            head += 1
            let end = earlyStart[v] + duration[v]
            finish = max(finish, end)
            for k in offsets[v]..<offsets[v + 1] {
                let s = Int(targets[k])
                earlyStart[s] = max(earlyStart[s], end)
                indegree[s] -= 1
                if indegree[s] == 0 { order.append(s) }
            }
        }
        guard order.count == n else { return nil }

        var lateFinish = [Int](repeating: 0, count: n)
        var critical = 0
        for v in order.reversed() {
            var late = finish
            for k in offsets[v]..<offsets[v + 1] {
                let s = Int(targets[k])
                late = min(late, lateFinish[s] - duration[s])
            }
            lateFinish[v] = late
            if late - duration[v] == earlyStart[v] { critical += 1 }
        }
        return BaselineResult(finish: finish, criticalTasks: critical)
    }

    /// Median times of `Scheduler.schedule` and `baselinePass` on `plan`, alternating runs in
    /// this process after one warm-up of each.
    public struct Timing: Sendable {
        public let schedule: Duration
        public let baseline: Duration
        /// Schedule time over baseline time.
        public var ratio: Double { Self.seconds(schedule) / Self.seconds(baseline) }

        static func seconds(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return Double(seconds) + Double(attoseconds) * 1e-18
        }
    }

    public static func time(_ plan: ProjectPlan, runs: Int = 11) throws(SchedulingError) -> Timing {
        let clock = ContinuousClock()
        var full: [Duration] = [], plain: [Duration] = []
        var checksum = 0
        for run in 0...max(1, runs) {
            let scheduleStart = clock.now
            let schedule = try Scheduler.schedule(plan)
            let baselineStart = clock.now
            let baseline = baselinePass(plan)
            let baselineEnd = clock.now
            checksum &+= schedule.tasks.count &+ (baseline?.finish ?? 0)
            if run > 0 {
                full.append(baselineStart - scheduleStart)
                plain.append(baselineEnd - baselineStart)
            }
        }
        precondition(checksum != 0 || plan.tasks.isEmpty)
        return Timing(schedule: full.sorted()[full.count / 2], baseline: plain.sorted()[plain.count / 2])
    }
}
