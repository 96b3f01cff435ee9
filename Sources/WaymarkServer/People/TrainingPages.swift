import WaymarkCore
import WaymarkService
import WaymarkStorage

/// `/training/courses`: the programme's course catalogue, with a form to add one, and the
/// learning-management system import.
struct CoursesPage {
    var courses: [Course]
    var canManage: Bool
    var csrfToken: String
    var form = FormState()
    var problems: [ImportProblem] = []
    var notice: String?
    var error: String?

    func render() -> HTML {
        let rows: [HTML] = courses.map { c in
            "<tr><td>\(c.code)</td><td>\(c.title)</td><td>\(c.mode.title)</td><td>\(c.requiresBasicSkills ? "Yes" : "No")</td><td>\(c.validForDays.map { "\($0) days" } ?? "No expiry")</td></tr>"
        }
        let problemList: HTML = problems.isEmpty ? .empty : HTML("""
            <div class="notice error" role="alert"><h2>Nothing was imported</h2><ul>\(problems.prefix(200).map { HTML("<li>Line \($0.line): \($0.message)</li>") })</ul></div>
            """)
        let modes: [HTML] = Course.Mode.allCases.map { "<option value=\"\($0.rawValue)\">\($0.title)</option>" }
        let manage: HTML = canManage ? """
            <h2>Add a course</h2>
            <form method="post" action="\(PeoplePaths.courses)" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p>\(form.field("course", "code", "Code", hint: TrainingRules.courseCodeRule))</p>
            <p>\(form.field("course", "title", "Title"))</p>
            <p><label for="course-mode">How it is delivered</label><select id="course-mode" name="mode">\(modes)</select></p>
            <p><input type="checkbox" id="course-basic" name="requiresBasicSkills" value="on"><label for="course-basic">Needs basic computer skills (ECDL or Getting Started) first</label></p>
            <p>\(form.field("course", "validForDays", "Days a pass stays valid (blank: no expiry)", type: "number"))</p>
            <p><button type="submit">Add course</button></p></form>
            <h2>Import results from a learning-management system</h2>
            <form method="post" action="\(PeoplePaths.results)" enctype="multipart/form-data" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="results-file">CSV with the columns staff number, organisation, course, result (pass or fail) and date</label>
            <input type="file" id="results-file" name="file" accept=".csv,text/csv"></p>
            <p>All or nothing. A file with NHS Numbers is refused: training records hold no patient data.</p>
            <p><button type="submit">Import results</button></p></form>
            """ : .empty
        return Layout(title: "Training courses", breadcrumbs: []).render("""
            <h1>Training courses</h1>
            \(DocumentHTML.notice(notice, error: error))\(form.summary)\(problemList)
            <p>Every front-line user learns security and confidentiality, the patient's right to limit access, correct patient searching and \
            how the joined-up record works (§4.5.2). A course that needs basic skills can be booked only after ECDL or Getting Started.</p>
            <div class="table-wrap"><table><caption>Courses</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">Title</th><th scope="col">Mode</th><th scope="col">Needs basic skills</th><th scope="col">Pass valid for</th></tr></thead>
            <tbody>\(rows)</tbody></table></div>
            \(manage)
            """)
    }
}

/// `/projects/CODE/training-needs`: which job roles need which courses for this project.
struct TrainingNeedsPage {
    var project: ProjectListing
    var needs: [TrainingNeed]
    var courses: [Course]
    var canManage: Bool
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let code = project.project.code
        let catalogue = RBACCatalogue.latest
        let titles = Dictionary(uniqueKeysWithValues: courses.map { ($0.code, $0.title) })
        let rows: [HTML] = needs.map { "<tr><td>\(catalogue.jobRole($0.jobRole)?.title ?? $0.jobRole) (\($0.jobRole))</td><td>\(titles[$0.courseCode] ?? $0.courseCode) (\($0.courseCode))</td></tr>" }
        let text = needs.map { "\($0.jobRole) \($0.courseCode)" }.joined(separator: "\n")
        let manage: HTML = canManage ? """
            <form method="post" action="\(PeoplePaths.needs(code))" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="needs">One line per need: job role code, then course code</label>\
            <span class="hint">Job roles: \(catalogue.jobRoles.map(\.code).joined(separator: ", ")). Courses: \(courses.map(\.code).joined(separator: ", ")).</span>
            <textarea id="needs" name="needs" rows="8">\(text)</textarea></p>
            <p><button type="submit">Save the training needs analysis</button></p></form>
            """ : .empty
        return Layout(title: "Training needs analysis: \(code)", breadcrumbs: [(code, Paths.project(code))]).render("""
            <h1>Training needs analysis: \(code)</h1>
            <p class="kind">\(project.organisationName) · \(project.project.productCode)</p>
            \(DocumentHTML.notice(notice, error: error))
            <p>Access to \(project.project.productCode) at this site is granted only to people who have passed every course listed for their job role (§4.5.2).</p>
            \(rows.isEmpty ? HTML("<p>No training needs recorded yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Courses by job role</caption>
                <thead><tr><th scope="col">Job role</th><th scope="col">Course</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """))
            \(manage)
            """)
    }
}

/// `/organisations/CODE/training-sessions`: sessions held within an organisation.
struct TrainingSessionsPage {
    var organisation: Organisation
    var sessions: [TrainingSession]
    var courses: [Course]
    var canManage: Bool
    var csrfToken: String
    var form = FormState()
    var notice: String?
    var error: String?

    func render() -> HTML {
        let titles = Dictionary(uniqueKeysWithValues: courses.map { ($0.code, $0.title) })
        let rows: [HTML] = sessions.map { s in
            "<tr><td><a href=\"\(PeoplePaths.session(s.id))\">\(s.on.iso)</a></td><td>\(titles[s.courseCode] ?? s.courseCode)</td><td>\(s.venue)</td><td>\(s.capacity)</td></tr>"
        }
        let options: [HTML] = courses.map { "<option value=\"\($0.code)\">\($0.code) \($0.title)</option>" }
        let manage: HTML = canManage ? """
            <h2>Add a session</h2>
            <form method="post" action="\(PeoplePaths.sessions(organisation.code))" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="session-course">Course</label><select id="session-course" name="course">\(options)</select></p>
            <p>\(form.field("session", "site", "Site (code)", organisation.code))</p>
            <p>\(form.field("session", "venue", "Room or venue"))</p>
            <p>\(form.field("session", "on", "Date (YYYY-MM-DD)"))</p>
            <p>\(form.field("session", "trainer", "Trainer's staff record number (the number in their page's address)", type: "number"))</p>
            <p>\(form.field("session", "capacity", "Places", type: "number"))</p>
            <p><button type="submit">Add session</button></p></form>
            """ : .empty
        return Layout(title: "Training sessions: \(organisation.name)", breadcrumbs: [(organisation.name, "/organisations/\(urlEncoded(organisation.code))"),
                                                                                      ("Registration and training", PeoplePaths.readiness(organisation.code))]).render("""
            <h1>Training sessions: \(organisation.name)</h1>
            \(DocumentHTML.notice(notice, error: error))\(form.summary)
            \(rows.isEmpty ? HTML("<p>No sessions from the last 30 days on.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Sessions, soonest first</caption>
                <thead><tr><th scope="col">Date</th><th scope="col">Course</th><th scope="col">Venue</th><th scope="col">Places</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """))
            <p><a href="\(PeoplePaths.courses)">Courses</a></p>
            \(manage)
            """)
    }
}

/// `/training-sessions/ID`: a session's bookings and waiting list, attendance, results and evaluations.
struct TrainingSessionPage {
    var view: TrainingService.SessionView
    var user: ActingUser
    var csrfToken: String
    var notice: String?
    var error: String?

    func render() -> HTML {
        let s = view.session, base = PeoplePaths.session(s.id)
        let hidden: HTML = "<input type=\"hidden\" name=\"csrf\" value=\"\(csrfToken)\"><input type=\"hidden\" name=\"version\" value=\"\(s.version)\">"
        let canRecord = user.permits(.recordTraining)
        let rows: [HTML] = view.bookings.map { b, person in
            var actions: [HTML] = []
            if canRecord && [.booked, .waiting].contains(b.status) {
                actions.append("<form method=\"post\" action=\"\(base)/bookings/\(person.id)/cancel\" class=\"inline\">\(hidden)<button type=\"submit\" class=\"secondary\">Cancel<span class=\"visually-hidden\"> \(person.name)</span></button></form>")
            }
            if canRecord && b.status == .booked {
                actions.append("""
                    <form method="post" action="\(base)/attendance" class="inline">\(hidden)<input type="hidden" name="staff" value="\(person.id)">\
                    <label for="result-\(person.id)">Result</label><select id="result-\(person.id)" name="result"><option value="">None yet</option><option value="pass">Pass</option><option value="fail">Fail</option></select>\
                    <button type="submit" name="attended" value="yes">Attended</button><button type="submit" name="attended" value="no" class="secondary">Absent</button></form>
                    """)
            }
            return "<tr><td><a href=\"\(PeoplePaths.person(person.id))\">\(person.name)</a></td><td>\(b.status.rawValue.capitalized)</td><td>\(actions)</td></tr>"
        }
        let book: HTML = canRecord ? """
            <form method="post" action="\(base)/bookings" class="stacked">\(hidden)
            <p><label for="book-staff">Staff record number</label><input type="number" id="book-staff" name="staff"></p>
            <p><input type="checkbox" id="book-wait" name="waitingList" value="on"><label for="book-wait">Put on the waiting list if the session is full</label></p>
            <p><button type="submit">Book</button></p></form>
            """ : .empty
        let means: HTML = view.evaluationMeans.map { m in
            HTML("<div class=\"table-wrap\"><table><caption>Evaluations (\(view.evaluations.count)), mean from 1 to 5</caption><tbody>\(zip(Evaluation.questions, m).map { HTML("<tr><th scope=\"row\">\($0)</th><td>\($1, places: 1)</td></tr>") })</tbody></table></div>")
        } ?? "<p>No evaluations yet.</p>"
        let evaluate: HTML = canRecord ? """
            <form method="post" action="\(base)/evaluations" class="stacked"><input type="hidden" name="csrf" value="\(csrfToken)">
            <p><label for="eval-staff">Attendee's staff record number</label><input type="number" id="eval-staff" name="staff"></p>
            \(Evaluation.questions.enumerated().map { i, q in HTML("<p><label for=\"eval-\(i)\">\(q) (1 to 5)</label><input type=\"number\" id=\"eval-\(i)\" name=\"rating\(i)\" min=\"1\" max=\"5\"></p>") })
            <p><label for="eval-comment">Comment</label><textarea id="eval-comment" name="comment" rows="2" maxlength="500"></textarea></p>
            <p><button type="submit">Record evaluation</button></p></form>
            """ : .empty
        return Layout(title: "Training session \(s.on.iso)", breadcrumbs: [(view.site.name, "/organisations/\(urlEncoded(view.site.code))"),
                                                                           ("Training sessions", PeoplePaths.sessions(view.site.code))]).render("""
            <h1>\(view.course?.title ?? s.courseCode) on \(s.on.iso)</h1>
            <p class="kind">\(view.site.name) · \(s.venue) · \(view.booked) of \(s.capacity) places taken\(view.trainer.map { HTML(" · trainer \($0.name)") } ?? .empty) · version \(s.version)</p>
            \(DocumentHTML.notice(notice, error: error))
            \(rows.isEmpty ? HTML("<p>No bookings yet.</p>") : HTML("""
                <div class="table-wrap"><table><caption>Bookings and waiting list</caption>
                <thead><tr><th scope="col">Person</th><th scope="col">Booking</th><th scope="col">Record</th></tr></thead><tbody>\(rows)</tbody></table></div>
                """))
            \(book)
            <h2>Evaluation</h2>\(means)\(evaluate)
            """)
    }
}
