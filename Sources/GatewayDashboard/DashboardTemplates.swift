// The dashboard's pages as Mustache templates, compiled into the binary (no files to ship, no
// CDN). Every value is HTML-escaped by `{{...}}`; nothing is written raw. A page is the
// `header` partial (the document's `head` and the navigation), its body and the `footer`
// partial; the login page has the `head` only and no script. The element ids and classes are
// what the script (DashboardAssets) updates live and what the browser tests read.

enum DashboardTemplates {
    static let all: [String: String] = [
        "head": head, "header": header, "footer": footer, "overview": overview, "backend": backend, "calls": calls,
        "audit": audit, "config": config, "search": search, "missing": missing, "callRows": callRows, "login": login,
    ]

    static let head = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · mcp-gateway</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/ui/assets/dashboard.css">
        </head><body data-admin="{{admin}}" data-page="{{page}}">
        """

    static let header = """
        {{> head}}
        <header><span class="brand">mcp-gateway</span><nav>
        <a id="nav-overview" href="/ui">Overview</a><a id="nav-calls" href="/ui/calls">Live calls</a>
        <a id="nav-audit" href="/ui/audit">Audit</a><a id="nav-config" href="/ui/config">Config</a>
        <a id="nav-search" href="/ui/search">Search</a></nav>
        <span class="who">{{principal}}{{#admin}} · admin{{/admin}} · <span id="live-status">connecting</span></span>
        {{#session}}<form id="logout-form" method="post" action="/ui/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button id="logout-button" type="submit">Log out</button></form>{{/session}}</header>
        <main>{{#flash}}<p id="flash" role="status">{{flash}}</p>{{/flash}}
        """

    static let footer = """
        </main><script src="/ui/assets/dashboard.js"></script></body></html>
        """

    static let callRows = """
        {{#calls}}<tr class="call"><td class="time">{{time}}</td><td class="principal">{{principal}}</td><td class="server">{{server}}</td><td class="tool">{{tool}}</td><td class="duration">{{duration}}</td><td class="outcome outcome-{{outcome}}">{{outcome}}</td></tr>{{/calls}}
        """

    static let overview = """
        {{> header}}
        <section id="summary" class="cards">
        <div class="card"><div class="label">Backends up</div><div id="summary-backends" class="value">{{summary.backends}}</div></div>
        <div class="card"><div class="label">Tools</div><div id="summary-tools" class="value">{{summary.tools}}</div></div>
        <div class="card"><div class="label">Calls, last minute</div><div id="summary-rate" class="value">{{summary.calls}}</div></div>
        <div class="card"><div class="label">Errors, last minute</div><div id="summary-errors" class="value">{{summary.errors}}</div></div>
        <div class="card"><div class="label">p95, last minute</div><div id="summary-p95" class="value">{{summary.p95}}</div></div>
        </section>
        <h2>Backends</h2>
        {{#admin}}<form id="reload-form" method="post" action="/ui/actions/reload"><input type="hidden" name="csrf" value="{{csrf}}"><button id="reload-button" type="submit">Reload config</button></form>{{/admin}}
        <table id="backends"><thead><tr><th>Name</th><th>State</th><th>Transport</th><th>Tools</th><th>Breaker</th><th>Restarts</th><th>Last error</th>{{#admin}}<th></th>{{/admin}}</tr></thead><tbody>
        {{#backends}}<tr data-backend="{{name}}"><td class="name"><a class="backend-link" href="/ui/backends/{{name}}">{{name}}</a><div class="muted">{{description}}</div></td>
        <td class="state state-{{state}}">{{state}}</td><td class="transport">{{transport}}</td><td class="tools">{{tools}}</td><td class="breaker">{{breaker}}</td><td class="restarts">{{restarts}}</td>
        <td class="last-error">{{lastError}}{{#hasStderr}}<details class="stderr"><summary>stderr</summary><pre>{{stderr}}</pre></details>{{/hasStderr}}</td>
        {{#admin}}<td><form class="restart" method="post" action="/ui/actions/restart"><input type="hidden" name="backend" value="{{name}}"><input type="hidden" name="csrf" value="{{csrf}}"><button class="restart-button" type="submit">Restart</button></form></td>{{/admin}}</tr>
        {{/backends}}</tbody></table>
        <h2>Latest calls <a class="more" href="/ui/calls">all</a></h2>
        <table id="live-calls" data-limit="20"><thead><tr><th>Time</th><th>Principal</th><th>Server</th><th>Tool</th><th>Duration</th><th>Outcome</th></tr></thead><tbody>{{> callRows}}</tbody></table>
        {{> footer}}
        """

    static let backend = """
        {{> header}}
        <h1>{{name}} <span class="state state-{{state}}">{{state}}</span></h1><p class="muted">{{description}} · {{transport}}</p>
        {{^profiles}}<p id="profiles-off">Tool profiles are off (telemetry.profiles): no call statistics.</p>{{/profiles}}
        {{#admin}}{{#pending}}<form class="approve" method="post" action="/ui/actions/approve"><input type="hidden" name="server" value="{{name}}"><input type="hidden" name="csrf" value="{{csrf}}"><button class="approve-button" type="submit">Approve {{pending}} pending change(s)</button></form>{{/pending}}{{/admin}}
        <table id="tools"><thead><tr><th>Tool</th><th>Description</th><th>Calls (30 d)</th><th>Errors</th><th>p50</th><th>p95</th><th>Last used</th><th>Pin</th></tr></thead><tbody>
        {{#tools}}<tr data-tool="{{name}}"><td class="tool">{{name}}</td><td class="description">{{description}}</td><td class="calls">{{calls}}</td><td class="errors">{{errors}}</td><td class="p50">{{p50}}</td><td class="p95">{{p95}}</td><td class="last-used">{{lastUsed}}</td><td class="pin">{{pin}}</td></tr>
        {{/tools}}</tbody></table>
        {{> footer}}
        """

    static let calls = """
        {{> header}}
        <h1>Live calls</h1><p class="muted">Newest first; calls made to backends and capabilities, refusals included.</p>
        <table id="live-calls" data-limit="100"><thead><tr><th>Time</th><th>Principal</th><th>Server</th><th>Tool</th><th>Duration</th><th>Outcome</th></tr></thead><tbody>{{> callRows}}</tbody></table>
        {{> footer}}
        """

    static let audit = """
        {{> header}}
        <h1>Audit trail</h1>
        {{^enabled}}<p id="audit-off">{{offReason}}</p>{{/enabled}}
        {{#enabled}}<form id="audit-filter" method="get" action="/ui/audit">
        <label>Principal <input name="principal" value="{{filter.principal}}"></label><label>Server <input name="server" value="{{filter.server}}"></label>
        <label>Outcome <input name="outcome" value="{{filter.outcome}}"></label><button type="submit">Filter</button></form>
        <p class="muted">{{shown}} lines, newest first, from {{path}}</p>
        <table id="audit"><thead><tr><th>Time</th><th>Principal</th><th>Server</th><th>Tool</th><th>Outcome</th><th>Duration</th></tr></thead><tbody>
        {{#lines}}<tr class="audit-line"><td class="time">{{time}}</td><td class="principal">{{principal}}</td><td class="server">{{server}}</td><td class="tool">{{tool}}</td><td class="outcome">{{outcome}}</td><td class="duration">{{duration}}</td></tr>
        {{/lines}}</tbody></table>{{/enabled}}
        {{> footer}}
        """

    static let config = """
        {{> header}}
        <h1>Configuration</h1>
        <p>File: <code id="config-path">{{path}}</code></p>
        <p>Last reload: <span id="reload-status">{{status}}</span>{{#attemptedAt}} at {{attemptedAt}}{{/attemptedAt}}</p>
        {{#admin}}<form id="reload-form" method="post" action="/ui/actions/reload"><input type="hidden" name="csrf" value="{{csrf}}"><button id="reload-button" type="submit">Reload config</button></form>{{/admin}}
        <h2>Problems</h2><ul id="config-errors">{{#errors}}<li>{{.}}</li>{{/errors}}</ul>{{^errors}}<p class="muted">None.</p>{{/errors}}
        <h2>Waiting for a restart</h2><ul id="pending-restart">{{#pendingRestart}}<li>{{.}}</li>{{/pendingRestart}}</ul>{{^pendingRestart}}<p class="muted">Nothing.</p>{{/pendingRestart}}
        {{> footer}}
        """

    static let search = """
        {{> header}}
        <h1>Search</h1>
        <form id="search-form" method="get" action="/ui/search"><input name="q" value="{{query}}" placeholder="what the agent needs, in words" autofocus><button type="submit">Search</button></form>
        {{#searched}}<p class="muted">Ranked as gateway_search_tools ranks them for {{principal}}, over {{total}} tools.</p>
        {{#hasHits}}<ol id="search-hits">{{#hits}}<li class="hit"><span class="hit-server">{{server}}</span> / <span class="hit-tool">{{tool}}</span> <span class="hit-score">{{score}}</span>{{#need}} <span class="hit-need muted">for: {{need}}</span>{{/need}}<div class="hit-description">{{description}}</div></li>{{/hits}}</ol>{{/hasHits}}
        {{^hasHits}}<p id="no-hits">No tool matches.</p>{{/hasHits}}{{/searched}}
        {{> footer}}
        """

    /// No navigation (nothing is reachable before logging in) and no script.
    static let login = """
        {{> head}}
        <header><span class="brand">mcp-gateway</span></header>
        <main class="login"><h1>Log in</h1>
        {{#error}}<p id="login-error" role="alert">{{error}}</p>{{/error}}
        <form id="login-form" method="post" action="/ui/login"><input type="hidden" name="next" value="{{next}}">
        <label for="credential">API key or bearer token</label>
        <input id="credential" name="credential" type="password" autocomplete="current-password" required autofocus>
        <button id="login-button" type="submit">Log in</button></form>
        </main></body></html>
        """

    static let missing = """
        {{> header}}
        <h1>Not found</h1><p id="not-found">{{message}}</p>
        {{> footer}}
        """
}
