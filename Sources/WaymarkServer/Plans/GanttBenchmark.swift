import WaymarkCore

/// Lets `waymark bench` time the Gantt renderer, which is internal to the server.
public enum GanttBenchmark {
    /// Renders a chart of `tasks` rows with a link between neighbours; returns its size in bytes.
    public static func render(tasks: Int, start: Day) -> Int {
        let rows = (0..<tasks).map { i in
            GanttChart.Row(id: i, label: "Task \(i) – configure & test <module>", level: i % 4, start: start.adding(days: i / 2),
                           finish: start.adding(days: i / 2 + 5), isMilestone: i % 25 == 0, isSummary: i % 50 == 1,
                           isCritical: i % 3 == 0, baseline: (start.adding(days: i / 2 - 2), start.adding(days: i / 2 + 3)))
        }
        let links = (1..<max(tasks, 1)).map { GanttChart.Link(from: $0 - 1, to: $0, kind: .finishToStart) }
        return GanttChart(rows: rows, links: links, today: start.adding(days: tasks / 4)).render().rendered.utf8.count
    }

    /// The yardstick: escaping the same labels into one string, with no geometry.
    public static func escapeOnly(tasks: Int) -> Int {
        var out = ""
        for i in 0..<tasks { out += HTML.escape("Task \(i) – configure & test <module>") }
        return out.utf8.count
    }
}
