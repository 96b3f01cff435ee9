import Hummingbird
import WaymarkCore
import WaymarkService

/// The risk and issue register pages.
struct TrackingController {
    let service: TrackingService
    let csrf: CSRF

    func register(on router: Router<WaymarkRequestContext>) {}
}
