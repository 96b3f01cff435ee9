/// Text for generated change control: believable, varied, and short enough to read in a list.
enum ChangeControlPhrases {
    static let people = [
        "Alison Reid", "Bernard Okafor", "Catherine Lowe", "David Patel", "Eleanor Hughes", "Farid Hussain", "Gillian Marsh",
        "Hamish Grant", "Imogen Clarke", "James Whitfield", "Karen O'Neill", "Lewis Armstrong", "Margaret Doyle", "Nadia Rahman",
        "Owen Pritchard", "Priya Shah", "Rachel Ellis", "Simon Barker", "Teresa Flynn", "Victor Nwosu",
    ]

    /// What each seat on a board represents (§4.6.4, §8).
    static let seats = ["Programme Controls Manager", "Commercial", "Technical architect", "Quality", "Senior sponsor",
                        "SHA representative", "SHA representative", "LSP account manager"]

    struct Template {
        var type: ChangeType
        var title: String
        var description: String
        var reason: String
        var risk: String
        var functionality: String
        var cost: String
    }

    /// Changes that move a project's milestone (%@ is the project's product).
    static let projectChanges = [
        Template(type: .technical, title: "Re-phase %@ go-live after data migration rehearsal",
                 description: "Move the planned milestone to allow a second data migration rehearsal before cut-over.",
                 reason: "The first rehearsal left 3% of patient records unmatched on NHS Number.",
                 risk: "Lower clinical risk at go-live; the site stays on its legacy system longer.", functionality: "No change.",
                 cost: "Extra rehearsal days within the LSP's fixed price."),
        Template(type: .business, title: "Align %@ deployment with the trust's winter pressures plan",
                 description: "Hold the milestone until after the winter bed-management period.",
                 reason: "The trust board asked that no major change lands during peak winter activity.",
                 risk: "Avoids go-live during peak demand; training must be refreshed.", functionality: "No change.",
                 cost: "Refresher training for about 120 staff."),
        Template(type: .contractual, title: "Revised %@ delivery date under the LSP contract schedule",
                 description: "Record the supplier's revised delivery date agreed at the contract review.",
                 reason: "The release carrying the site's interfaces slipped nationally.",
                 risk: "Dependent projects at the site move with it.", functionality: "Interfaces arrive in the later release.",
                 cost: "Delay payment deduction applies to the LSP."),
        Template(type: .technical, title: "Bring forward %@ to use the N3 connection early",
                 description: "Move the milestone earlier now that the site's N3 connection is live.",
                 reason: "Infrastructure finished ahead of plan.", risk: "Training must be compressed.",
                 functionality: "No change.", cost: "None."),
        Template(type: .business, title: "Extend %@ early-care support period",
                 description: "Lengthen the support stage before handover into live service.",
                 reason: "The Operational Readiness Report found gaps in local super-user cover.",
                 risk: "Lower risk of service disruption after go-live.", functionality: "No change.",
                 cost: "Four extra weeks of floor-walking support."),
    ]

    /// Changes to the cluster's Detailed Implementation Plan (§8: timing, place or type).
    static let dipChanges = [
        Template(type: .contractual, title: "Re-phase DIP obligations after a release slipped",
                 description: "Move the due dates of the named DIP lines to the LSP's revised release plan.",
                 reason: "The national release the lines depend on was re-planned.", risk: "SHA performance targets move with the lines.",
                 functionality: "None.", cost: "Contractual remedies apply to the LSP."),
        Template(type: .business, title: "Swap DIP deployment between two sites",
                 description: "Deliver at the named sites in a different order.",
                 reason: "One site's building works finish later than planned.", risk: "Low.", functionality: "None.", cost: "None."),
        Template(type: .technical, title: "Add an upgrade obligation to the DIP",
                 description: "Add a new line for a release upgrade at a site already live.",
                 reason: "The site needs the release for its interfaces.", risk: "Low.", functionality: "New interfaces at the site.",
                 cost: "Within the LSP's price."),
    ]

    static let recommendations = ["Approve as proposed.", "Approve; monitor the dependent projects.", "Approve with the stated mitigations.",
                                  "No objection.", "Defer until the supplier confirms the release date.", "Reject: the benefit does not justify the delay."]

    static let minutes = [
        "Reviewed the CCNs at the board; decisions recorded against each. DIP performance reviewed with the LSP.",
        "Quarterly review of the DIP with SHA representatives; CCNs considered as listed.",
        "Board quorate. Actions: PMO to update the baseline plans after approved changes.",
    ]
}
