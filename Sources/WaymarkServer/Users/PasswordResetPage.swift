import WaymarkCore
import WaymarkService

/// Setting a password with a one-time link (issue 13). Public: the link is the credential.
/// The form posts back to the link's own address, with a CSRF token.
struct PasswordResetPage {
    var csrfToken: String
    /// The link's path; it holds the secret, so it is only ever the form's action.
    var action: String
    var username: String
    var errors: [FieldError] = []

    func render() -> HTML {
        let form = TrackingForm(values: [:], errors: errors, isNew: false)
        return Layout(title: "Set your password").render("""
            <h1>Set your password</h1>
            <p>For the Waymark user <strong>\(username)</strong>. Choose a password of at least \(PasswordHasher.minimumLength) \
            characters. Setting it signs you out everywhere; then sign in with it.</p>
            \(UserForm.summary(errors))
            <form class="sign-in" method="post" action="\(action)" novalidate>
              <input type="hidden" name="csrf" value="\(csrfToken)">
              <label for="f-password">New password</label>\(form.error("password"))
              <input id="f-password" name="password" type="password" autocomplete="new-password" maxlength="1024" required>
              <label for="f-confirm">The same password again</label>\(form.error("confirm"))
              <input id="f-confirm" name="confirm" type="password" autocomplete="new-password" maxlength="1024" required>
              <p><button type="submit">Set password</button></p>
            </form>
            """)
    }
}
