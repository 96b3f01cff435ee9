import Hummingbird
import WaymarkCore
import WaymarkService

/// The ChangeControl pages.
struct ChangeControlController {
    let service: ChangeControlService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {}
}
