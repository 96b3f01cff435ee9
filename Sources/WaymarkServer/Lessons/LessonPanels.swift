import WaymarkCore
import WaymarkService

/// What the Lesson area shows on the project and organisation pages: two indexed queries at
/// most, so the pages stay quick.
enum LessonPanels {
    /// "Lessons for this stage": what other projects learned in the stage this project is in
    /// now, for its product (guidance first), and the form to record one for roles that may.
    static func project(_ view: ProgrammeService.ProjectView, service: LessonService, user: ActingUser) async throws -> HTML {
        let project = view.project
        async let relevant = service.relevantLessons(for: project, as: user)
        async let recordedHere = service.lessonCount(for: project, as: user)
        let items: [HTML] = try await relevant.map { lesson in
            """
            <li><a href="\(LessonController.path(lesson.id))">\(lesson.title)</a>\(guidanceBadge(lesson)) \
            <span class="hint">· \(lesson.source.projectCode) · \(lesson.recordedOn.iso)</span>\
            <br><span class="hint">\(LessonRules.excerpt(lesson.recommendation, length: 160))</span></li>
            """
        }
        let count = try await recordedHere
        let list: HTML = items.isEmpty
            ? "<p>No other project has recorded a lesson for this stage and product yet.</p>"
            : "<ul class=\"results lessons-relevant\">\(items)</ul>"
        let more = "/lessons?stage=\(project.stage.rawValue)&product=\(urlEncoded(project.productCode))"
        let own: HTML = count == 0 ? .empty
            : " · <a href=\"/lessons?project=\(urlEncoded(project.code))\">\(count) lesson\(count == 1 ? "" : "s") recorded by this project</a>"
        let form: HTML = user.permits(.recordRisks)
            ? "<h3>Record a lesson</h3>\(LessonForm(project: project, csrfToken: PageChrome.current?.csrfToken ?? "").render())" : .empty
        return """
            <section aria-labelledby="lessons-heading">
            <h2 id="lessons-heading">Lessons for this stage</h2>
            <p class="hint">What other projects learned in stage \(project.stage.title) of \(project.productCode); programme guidance first.</p>
            \(list)
            <p><a href="\(more)">All lessons for this stage and product</a>\(own)</p>
            \(form)
            </section>
            """
    }

    static func organisation(_ view: ProgrammeService.OrganisationView, service: LessonService, user: ActingUser) async throws -> HTML {
        """
        <section aria-labelledby="lessons-heading">
        <h2 id="lessons-heading">Lessons learned</h2>
        <p>Lessons are shared across the whole programme. <a href="/lessons">Search lessons learned</a> · <a href="/lessons?guidance=1">Programme guidance</a></p>
        </section>
        """
    }
}
