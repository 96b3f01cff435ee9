import Hummingbird
import WaymarkCore
import WaymarkService

/// The Lesson pages.
struct LessonController {
    let service: LessonService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {}
}
