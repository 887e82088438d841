// The dashboard's stylesheet and script, compiled into the binary and served under
// /ui/assets/. The script is plain JavaScript with no build step: it opens the SSE stream
// /ui/events, prepends each new call to the calls table and rewrites the summary and the
// backends' states every two seconds. Text goes in with `textContent`, never as HTML.

public enum DashboardAssets {
    public static let css = """
        :root { --fg: #1f2933; --muted: #6b7785; --line: #d9dee4; --bg: #f6f8fa; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Liberation Sans", sans-serif; color: var(--fg); background: #fff; }
        header { display: flex; gap: 24px; align-items: center; padding: 10px 24px; background: #24292f; color: #fff; }
        header a { color: #d0d7de; text-decoration: none; margin-right: 16px; }
        header a:hover { color: #fff; }
        .brand { font-weight: 600; }
        .who { margin-left: auto; color: #afb8c1; }
        main { padding: 16px 24px 48px; max-width: 1280px; }
        h1 { font-size: 22px; margin: 8px 0 12px; } h2 { font-size: 17px; margin: 24px 0 8px; }
        .cards { display: flex; gap: 12px; flex-wrap: wrap; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px; min-width: 150px; background: var(--bg); }
        .card .label { color: var(--muted); font-size: 12px; } .card .value { font-size: 22px; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: 12px; color: var(--muted); font-weight: 600; }
        .muted { color: var(--muted); font-size: 12px; }
        .state-running, .outcome-ok { color: var(--ok); }
        .state-failed, .outcome-error, .outcome-unavailable, .outcome-timeout, .outcome-denied { color: var(--bad); }
        .state-starting, .outcome-tool_error, .outcome-limited, .outcome-budget, .outcome-pinned, .outcome-circuit_open { color: var(--warn); }
        #flash { background: #ddf4ff; border: 1px solid #54aeff; padding: 8px 12px; border-radius: 6px; }
        form { display: inline; } button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); cursor: pointer; }
        #reload-form { float: right; }
        #search-form input, #audit-filter input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; }
        #search-form input { width: 420px; } #audit-filter label { margin-right: 12px; }
        .hit { margin: 8px 0; } .hit-score { color: var(--muted); font-size: 12px; margin-left: 8px; } .hit-description { color: var(--muted); }
        pre { white-space: pre-wrap; font-size: 12px; } a.more { font-size: 12px; font-weight: normal; margin-left: 8px; }
        #logout-form button { background: transparent; color: #d0d7de; border-color: #57606a; }
        main.login { max-width: 420px; } #login-form { display: flex; flex-direction: column; gap: 8px; }
        #login-form input { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; }
        #login-form button { align-self: flex-start; }
        #login-error { background: #ffebe9; border: 1px solid #ff8182; padding: 8px 12px; border-radius: 6px; }
        """

    public static let javascript = """
        "use strict";
        (function () {
          var status = document.getElementById("live-status");
          function setText(id, text) { var e = document.getElementById(id); if (e) { e.textContent = text; } }
          function cell(row, cls, text) { var td = document.createElement("td"); td.className = cls; td.textContent = text; row.appendChild(td); return td; }
          function addCall(call) {
            var table = document.getElementById("live-calls");
            if (!table) { return; }
            var body = table.tBodies[0], row = document.createElement("tr");
            row.className = "call";
            cell(row, "time", new Date(call.at).toLocaleTimeString());
            cell(row, "principal", call.principal);
            cell(row, "server", call.server);
            cell(row, "tool", call.tool);
            cell(row, "duration", call.duration_ms.toFixed(call.duration_ms < 10 ? 1 : 0) + " ms");
            cell(row, "outcome outcome-" + call.outcome, call.outcome);
            body.insertBefore(row, body.firstChild);
            var limit = parseInt(table.getAttribute("data-limit") || "20", 10);
            while (body.rows.length > limit) { body.deleteRow(body.rows.length - 1); }
          }
          function summary(s) {
            setText("summary-backends", s.backends_up + "/" + s.backends);
            setText("summary-tools", String(s.tools));
            setText("summary-rate", String(s.calls_last_minute));
            setText("summary-errors", s.error_percent + "%");
            setText("summary-p95", s.p95_ms === null ? "–" : s.p95_ms + " ms");
            Object.keys(s.states).forEach(function (name) {
              var row = document.querySelector('tr[data-backend="' + CSS.escape(name) + '"] td.state');
              if (row) { row.textContent = s.states[name]; row.className = "state state-" + s.states[name]; }
            });
          }
          if (!window.EventSource) { return; }
          var source = null;
          function open() {
            source = new EventSource("/ui/events");
            source.onopen = function () { if (status) { status.textContent = "live"; } };
            source.onerror = function () { if (status) { status.textContent = "reconnecting"; } };
            source.addEventListener("call", function (e) { addCall(JSON.parse(e.data)); });
            source.addEventListener("summary", function (e) { summary(JSON.parse(e.data)); });
          }
          // A page the browser keeps for "back" must not hold its stream (and a connection) open.
          window.addEventListener("pagehide", function () { if (source) { source.close(); source = null; } });
          window.addEventListener("pageshow", function (e) { if (e.persisted && !source) { open(); } });
          open();
        })();
        """
}
