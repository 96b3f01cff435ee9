/// The one stylesheet, served from /static/waymark.css so the CSP can forbid inline styles.
enum Stylesheet {
    static let css = """
    :root { --nhs-blue: #005eb8; --dark: #212b32; --grey: #4c6272; --pale: #f0f4f5; --border: #d8dde0;
      --green: #007f3b; --amber: #ffb81c; --red: #d5281b; --complete: #005eb8; --notstarted: #aeb7bd; }
    * { box-sizing: border-box; }
    body { margin: 0; font-family: Arial, Helvetica, sans-serif; color: var(--dark); background: #fff; line-height: 1.4; }
    a { color: var(--nhs-blue); }
    .masthead { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem; background: var(--nhs-blue); color: #fff; padding: .6rem 1.5rem; }
    .masthead a { color: #fff; }
    .brand { font-weight: bold; font-size: 1.4rem; text-decoration: none; }
    .tagline { opacity: .85; }
    .mainnav a { margin-right: .8rem; }
    .search { margin-left: auto; display: flex; gap: .3rem; }
    .search input { width: 22rem; max-width: 60vw; padding: .35rem; border: 2px solid var(--dark); }
    button, .button { background: var(--green); color: #fff; border: 0; padding: .45rem .9rem; font-size: 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
    main { padding: 1rem 1.5rem 2rem; max-width: 1400px; }
    .breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; margin: 0; padding: .6rem 1.5rem; background: var(--pale); }
    .breadcrumbs li + li::before { content: "›"; margin-right: .4rem; color: var(--grey); }
    h1 { margin: .6rem 0 .2rem; }
    .kind, .hint, .code { color: var(--grey); }
    .code { font-family: monospace; font-size: .9em; }
    .cards { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
    .card { border: 1px solid var(--border); border-top: 4px solid var(--nhs-blue); padding: .6rem .9rem; min-width: 9rem; max-width: 26rem; }
    .card.warn { border-top-color: var(--red); }
    .card .value { display: block; font-size: 1.6rem; font-weight: bold; }
    .card .label { color: var(--grey); }
    table { border-collapse: collapse; margin: .6rem 0 1.2rem; }
    caption { text-align: left; color: var(--grey); padding-bottom: .3rem; }
    th, td { border-bottom: 1px solid var(--border); padding: .35rem .6rem; text-align: left; vertical-align: top; }
    td.num, th.num { text-align: right; }
    .muted { color: var(--notstarted); }
    .late { color: var(--red); font-size: .85em; white-space: nowrap; }
    .done { color: var(--green); font-size: .8em; }
    .filters a { margin-right: .6rem; }
    .filters a[aria-current] { font-weight: bold; color: var(--dark); }
    .filters-form { display: flex; flex-wrap: wrap; gap: .8rem; align-items: end; margin: .8rem 0; }
    .filters-form label { display: flex; flex-direction: column; font-size: .9rem; }
    .chart-wrap { overflow-x: auto; }
    svg.chart text { font-size: 12px; fill: var(--dark); }
    svg.chart text.total { font-weight: bold; }
    svg.chart a text { fill: var(--nhs-blue); text-decoration: underline; }
    .seg-complete { fill: var(--complete); } .seg-late { fill: var(--red); }
    .seg-ontrack { fill: var(--green); } .seg-notstarted { fill: var(--notstarted); } .seg-empty { fill: var(--pale); }
    .rag { padding: .1rem .5rem; border-radius: .2rem; font-weight: bold; font-size: .9rem; }
    .rag-red { background: var(--red); color: #fff; } .rag-amber { background: var(--amber); color: var(--dark); }
    .rag-green { background: var(--green); color: #fff; } .rag-complete { background: var(--complete); color: #fff; }
    .notice { border-left: 6px solid var(--nhs-blue); background: var(--pale); padding: .6rem 1rem; margin: 1rem 0; }
    .notice h2 { margin: 0 0 .3rem; font-size: 1.1rem; }
    .notice.error { border-color: var(--red); } .notice.warning { border-color: var(--amber); } .notice.success { border-color: var(--green); }
    .field-error { border-left: 4px solid var(--red); padding-left: .4rem; }
    .field-error input { border: 2px solid var(--red); }
    .error-message { display: block; color: var(--red); font-weight: bold; font-size: .9rem; max-width: 22rem; }
    input[type=date] { padding: .25rem; }
    .history { color: var(--grey); }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    .account { display: flex; gap: .5rem; align-items: center; }
    .account form { display: inline; }
    .account .role { opacity: .85; font-size: .9rem; }
    button.link { background: none; color: #fff; text-decoration: underline; padding: 0; }
    .sign-in { max-width: 26rem; }
    .sign-in label, .stacked label { display: block; margin: .6rem 0 .2rem; font-weight: bold; }
    .sign-in input[type=text], .sign-in input[type=password], .stacked input[type=text] { width: 100%; padding: .4rem; border: 2px solid var(--dark); }
    .secret { font-family: monospace; font-size: 1.05rem; background: #fff; padding: .3rem .5rem; border: 1px dashed var(--dark); word-break: break-all; }
    svg.gantt .grid { stroke: var(--border); } svg.gantt .today { stroke: var(--nhs-blue); stroke-width: 2; stroke-dasharray: 4 3; }
    svg.gantt .bar.task, svg.gantt .milestone.task { fill: var(--green); } svg.gantt .critical { fill: var(--red); }
    svg.gantt .external { fill: var(--notstarted); } svg.gantt .summary { fill: var(--dark); } svg.gantt .baseline { fill: var(--grey); }
    svg.gantt .link { fill: none; stroke: var(--grey); stroke-width: 1; } svg.gantt .link.critical { stroke: var(--red); fill: none; }
    svg.gantt .arrowhead { fill: var(--grey); }
    svg.heatmap .heat { stroke: #fff; stroke-width: 1; } svg.heatmap .heat.severe { stroke: var(--dark); stroke-width: 2; }
    .heat-0 { fill: var(--pale); } .heat-1 { fill: #fde0c5; } .heat-2 { fill: #f9b384; } .heat-3 { fill: #f08a4b; } .heat-4 { fill: #e0602c; } .heat-5 { fill: #b8321f; }
    svg.heatmap a text.heat-count { font-weight: bold; fill: var(--dark); text-decoration: none; }
    svg.heatmap rect.heat-4 ~ text.heat-count, svg.heatmap rect.heat-5 ~ text.heat-count { fill: #fff; }
    td.ref { white-space: nowrap; }
    ul.overdue { margin: .2rem 0 0; padding-left: 1.1rem; color: var(--red); font-size: .9rem; }
    .heat-panel { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
    .flag { background: var(--red); color: #fff; font-size: .75rem; padding: .05rem .35rem; border-radius: .2rem; white-space: nowrap; }
    .register-form textarea, .register-form input[type=text] { width: 100%; max-width: 40rem; padding: .35rem; }
    .register-form fieldset { border: 1px solid var(--border); margin: .6rem 0; max-width: 42rem; }
    table.details th { width: 14rem; }
    ol.lessons h2 { font-size: 1.15rem; margin: .9rem 0 .1rem; } ol.lessons p { margin: .15rem 0; }
    .stacked textarea { width: 100%; padding: .4rem; border: 2px solid var(--dark); font: inherit; }
    .doc-state { display: inline-block; padding: .05rem .45rem; font-size: .85rem; border-radius: 3px; background: var(--pale); }
    .doc-approved, .doc-issued { background: var(--green); color: #fff; } .doc-in-review { background: var(--amber); color: var(--dark); }
    .doc-superseded, .doc-obsolete { background: var(--notstarted); } .doc-missing { background: #fff; border: 1px dashed var(--grey); }
    .approval.void { border-left: 6px solid var(--red); padding-left: .6rem; } form.inline { display: inline-block; margin-right: .4rem; }
    ul.gate-checks li.missing .mark { color: var(--red); font-weight: bold; } ul.gate-checks li.met .mark { color: var(--green); font-weight: bold; }
    tr.blocking { background: #fbe3df; } article.document { border: 1px solid var(--border); padding: 1rem 1.5rem; max-width: 52rem; }
    svg .bar-complete { fill: var(--green); } svg .bar-late { fill: var(--amber); } svg .bar-none { fill: var(--pale); }
    .doc-state, td.ref, table.documents button { white-space: nowrap; } table.documents { width: 100%; } table.documents th:first-child { width: 45%; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; } dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
    .catalogue-diff { border-left: 6px solid var(--amber); background: var(--pale); padding: .1rem 1rem .8rem; margin: 1rem 0; }
    form.upload, form.comment, form.gate-form, .hazard-form { max-width: 48rem; } .stacked input[type=checkbox] + label { display: inline; font-weight: normal; }
    .ratings { display: flex; flex-wrap: wrap; gap: 0 2rem; } .hazard-form table { width: 100%; } ul.controls { margin: 0; padding-left: 1rem; }
    .footer { color: var(--grey); font-size: .85rem; padding: 1rem 1.5rem; border-top: 1px solid var(--border); }
    ol.checklist { padding-left: 0; list-style: none; } ol.checklist li { border-bottom: 1px solid var(--border); padding: .4rem 0; max-width: 48rem; }
    h2.item-title { font-size: 1.05rem; margin: .3rem 0; } ul.concerns li { margin: .2rem 0; } .changes { border-left: 6px solid var(--red); background: var(--pale); padding: .1rem 1rem .6rem; }
    @media print { .masthead, .breadcrumbs, .footer, .no-print { display: none; } main { padding: 0; } a { color: inherit; text-decoration: none; } }
    """
}
