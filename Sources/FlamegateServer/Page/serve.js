"use strict";
// Flamegate's one-page UI. Every view is a URL (?view=top&focus=…): the state lives in the
// query string, so a view can be shared, and the query's filters are passed unchanged to the
// JSON API (the CLI's names or pprof's short ones). Everything from a profile (function,
// file and label names) goes into the page as text (textContent), never as markup.
(function () {
var $ = function (id) { return document.getElementById(id); };
var FILTERS = ["focus", "ignore", "hide", "show", "show_from", "tagfocus"];
var state = new URLSearchParams(location.search);
var view = function () { return state.get("view") || "flame"; };

function el(tag, text, cls) {
  var e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function status(text, isError) {
  var s = $("status");
  s.textContent = text || "";
  s.className = isError ? "error" : "";
}
// The API's query: everything but the page's own keys.
function apiQuery(extra) {
  var q = new URLSearchParams(state);
  q.delete("view");
  if (extra) for (var k in extra) q.set(k, extra[k]);
  return q.toString();
}
function go(changes, replace) {
  for (var k in changes) {
    if (changes[k] === null || changes[k] === "") state.delete(k); else state.set(k, changes[k]);
  }
  var url = "?" + state.toString();
  if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
  render();
}
function getJSON(url) {
  return fetch(url).then(function (r) {
    return r.json().then(function (j) {
      if (!r.ok) throw new Error(j.error || ("HTTP " + r.status));
      return j;
    });
  });
}

// Values in the profile's unit, scaled as pprof scales them.
var SCALES = {
  nanoseconds: [[1, "ns"], [1e3, "us"], [1e6, "ms"], [1e9, "s"]],
  microseconds: [[1, "us"], [1e3, "ms"], [1e6, "s"]],
  milliseconds: [[1, "ms"], [1e3, "s"]],
  bytes: [[1, "B"], [1024, "kB"], [1048576, "MB"], [1073741824, "GB"]]
};
function fmt(v, unit) {
  var sc = SCALES[unit];
  if (!sc) return String(v);
  var best = sc[0];
  for (var i = 0; i < sc.length; i++) if (Math.abs(v) >= sc[i][0]) best = sc[i];
  return (v / best[0]).toFixed(2).replace(/\.?0+$/, "") + best[1];
}
function pct(p) { return (p || 0).toFixed(2) + "%"; }
function signed(v, unit) { return (v > 0 ? "+" : "") + fmt(v, unit); }

// A sortable table: columns [{key, label, num, show(row)}]; clicking a header sorts by it,
// again reverses; the arrow shows which and how.
function table(rows, cols, opts) {
  var t = el("table"), thead = el("thead"), tbody = el("tbody"), tr = el("tr");
  var sortKey = opts.sort || null, desc = true;
  cols.forEach(function (c) {
    var th = el("th", c.label, c.name ? "name" : "");
    th.dataset.k = c.key;
    th.appendChild(el("span", "", "arrow"));
    th.addEventListener("click", function () {
      if (sortKey === c.key) desc = !desc; else { sortKey = c.key; desc = !c.name; }
      fill();
    });
    tr.appendChild(th);
  });
  thead.appendChild(tr);
  t.appendChild(thead);
  t.appendChild(tbody);
  function fill() {
    var rs = rows.slice();
    if (sortKey) {
      var col = cols.filter(function (c) { return c.key === sortKey; })[0];
      rs.sort(function (a, b) {
        var x = col.value ? col.value(a) : a[sortKey], y = col.value ? col.value(b) : b[sortKey];
        var r = x < y ? -1 : x > y ? 1 : 0;
        return desc ? -r : r;
      });
    }
    Array.prototype.forEach.call(tr.children, function (th) {
      th.lastChild.textContent = th.dataset.k === sortKey ? (desc ? " \u25bc" : " \u25b2") : " \u21c5";
    });
    tbody.textContent = "";
    rs.forEach(function (r) {
      var row = el("tr");
      cols.forEach(function (c) {
        var td = el("td", c.show ? c.show(r) : r[c.key], c.name ? "name" : "");
        if (c.cls) td.className += " " + c.cls(r);
        if (c.name) td.addEventListener("click", function (ev) { menu(ev, r.name); });
        row.appendChild(td);
      });
      tbody.appendChild(row);
    });
  }
  fill();
  return t;
}

// The per-frame menu: focus on / ignore / hide this name (as an exact regex), peek, source.
function quote(name) { return "^" + name.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&") + "$"; }
function menu(ev, name) {
  var m = $("menu");
  $("menuname").textContent = name;
  m.dataset.name = name;
  m.hidden = false;
  m.style.left = Math.min(ev.clientX, window.innerWidth - 300) + "px";
  m.style.top = Math.min(ev.clientY, window.innerHeight - 160) + "px";
  ev.stopPropagation();
}
document.addEventListener("click", function () { $("menu").hidden = true; });
Array.prototype.forEach.call(document.querySelectorAll("#menu button"), function (b) {
  b.addEventListener("click", function () {
    var name = $("menu").dataset.name, act = b.dataset.act, re = quote(name);
    if (act === "peek" || act === "source") go({view: act, regex: re});
    else go({[act]: re});
  });
});

var views = {
  flame: function (main) {
    var f = el("iframe", null, "flame");
    f.title = "flame graph";
    f.src = "/ui/flame?" + apiQuery();
    // Right click on a frame: the same menu as a table row's name (the frame page is
    // same-origin, so its hit test is ours to call).
    f.addEventListener("load", function () {
      var w = f.contentWindow, c = w.document.getElementById("fg");
      if (!c || !w.flamegate) return;
      c.addEventListener("contextmenu", function (ev) {
        var r = c.getBoundingClientRect(), i = w.flamegate.hit(ev.clientX - r.left, ev.clientY - r.top);
        if (i === undefined || i === null || i <= 0) return;
        ev.preventDefault();
        var fr = f.getBoundingClientRect();
        menu({clientX: fr.left + ev.clientX, clientY: fr.top + ev.clientY, stopPropagation: function () {}},
             w.flamegate.tooltip(i).split("\n")[0]);
      });
      w.document.addEventListener("click", function () { $("menu").hidden = true; });
    });
    main.appendChild(f);
    return getJSON("/api/flame?" + apiQuery()).then(function (j) {
      status(j.title + " \u2014 " + j.frames + " frames (right-click one to focus on it or ignore it)");
    });
  },
  top: function (main) {
    return getJSON("/api/top?" + apiQuery()).then(function (j) {
      var u = j.unit;
      status(j.rows.length + " rows, " + fmt(j.shown, u) + " of " + fmt(j.total, u) + " total (" + j.sample_type + ")");
      main.appendChild(table(j.rows, [
        {key: "flat", label: "flat", show: function (r) { return fmt(r.flat, u); }},
        {key: "flat_percent", label: "flat%", show: function (r) { return pct(r.flat_percent); }},
        {key: "sum_percent", label: "sum%", show: function (r) { return pct(r.sum_percent); }},
        {key: "cum", label: "cum", show: function (r) { return fmt(r.cum, u); }},
        {key: "cum_percent", label: "cum%", show: function (r) { return pct(r.cum_percent); }},
        {key: "name", label: "name", name: true, show: function (r) { return r.name + (r.inline ? " " + r.inline : ""); }}
      ], {sort: state.get("sort") === "cum" ? "cum" : "flat"}));
    });
  },
  graph: function (main) {
    var url = "/ui/graph.svg?" + apiQuery();
    return fetch(url).then(function (r) {
      if (!r.ok) return r.json().then(function (j) { throw new Error(j.error); });
      var d = el("div", null, "graph"), img = el("img");
      img.alt = "call graph";
      img.src = url;
      d.appendChild(img);
      main.appendChild(d);
      status("Call graph (Graphviz dot); nodecount " + (state.get("nodecount") || state.get("n") || 80));
    });
  },
  peek: function (main) {
    if (!state.get("regex")) { status("Peek: give a regex (or pick \u201cPeek\u201d on a function)"); return Promise.resolve(); }
    return getJSON("/api/peek?" + apiQuery()).then(function (j) {
      var u = j.unit;
      status("Callers and callees of /" + j.regex + "/ (" + j.rows.length + " functions)");
      j.rows.forEach(function (r) {
        main.appendChild(el("h2", r.name));
        var rows = [];
        r.callers.forEach(function (c) { rows.push({kind: "caller", name: c.name, value: c.value, percent: c.percent}); });
        rows.push({kind: "self", name: r.name, value: r.cum, percent: r.cum_percent, flat: r.flat});
        r.callees.forEach(function (c) { rows.push({kind: "callee", name: c.name, value: c.value, percent: c.percent}); });
        var t = table(rows, [
          {key: "kind", label: ""},
          {key: "value", label: "value", show: function (x) { return fmt(x.value, u); }},
          {key: "percent", label: "%", show: function (x) { return pct(x.percent); }},
          {key: "name", label: "name", name: true}
        ], {});
        main.appendChild(t);
      });
    });
  },
  source: function (main) {
    if (!state.get("regex")) { status("Source: give a regex (or pick \u201cSource\u201d on a function)"); return Promise.resolve(); }
    return getJSON("/api/list?" + apiQuery()).then(function (j) {
      var u = j.unit;
      status("Source of /" + state.get("regex") + "/: " + j.routines.length + " routines");
      j.routines.forEach(function (r) {
        var d = el("div", null, "src");
        d.appendChild(el("h3", r.name + " in " + r.file + " \u2014 flat " + fmt(r.flat, u) + ", cum " + fmt(r.cum, u)));
        if (r.error) d.appendChild(el("p", r.error));
        var t = el("table"), tb = el("tbody");
        r.lines.forEach(function (l) {
          var tr = el("tr");
          tr.appendChild(el("td", l.flat ? fmt(l.flat, u) : "."));
          tr.appendChild(el("td", l.cum ? fmt(l.cum, u) : "."));
          tr.appendChild(el("td", l.line));
          tr.appendChild(el("td", l.text, "text"));
          tb.appendChild(tr);
        });
        t.appendChild(tb);
        d.appendChild(t);
        main.appendChild(d);
      });
      if (j.no_source.length) main.appendChild(el("p", "No source information for: " + j.no_source.join(", ")));
    });
  },
  diff: function (main) {
    return getJSON("/api/diff?" + apiQuery()).then(function (j) {
      var u = j.unit;
      status("Base " + j.base + " \u2192 candidate " + j.candidate + ": " + fmt(j.base_total, u) + " \u2192 " + fmt(j.candidate_total, u) + " (" + j.sample_type + ")");
      var cls = function (k) { return function (r) { return r[k] > 0 ? "grew" : r[k] < 0 ? "shrank" : ""; }; };
      main.appendChild(table(j.rows, [
        {key: "base_flat", label: "base flat", show: function (r) { return fmt(r.base_flat, u); }},
        {key: "candidate_flat", label: "candidate flat", show: function (r) { return fmt(r.candidate_flat, u); }},
        {key: "delta_flat", label: "delta flat", show: function (r) { return signed(r.delta_flat, u); }, cls: cls("delta_flat")},
        {key: "base_cum", label: "base cum", show: function (r) { return fmt(r.base_cum, u); }},
        {key: "candidate_cum", label: "candidate cum", show: function (r) { return fmt(r.candidate_cum, u); }},
        {key: "delta_cum", label: "delta cum", show: function (r) { return signed(r.delta_cum, u); }, cls: cls("delta_cum")},
        {key: "name", label: "name", name: true}
      ], {}));
      main.appendChild(el("h2", "Differential flame graph (red grew, blue shrank)"));
      var f = el("iframe", null, "flame");
      f.title = "differential flame graph";
      f.src = "/ui/flame?" + apiQuery({diff: "1"});
      main.appendChild(f);
    });
  }
};

function render() {
  var v = views[view()] ? view() : "flame";
  Array.prototype.forEach.call(document.querySelectorAll("#views a"), function (a) {
    a.className = a.dataset.view === v ? "active" : "";
    var q = new URLSearchParams(state);
    q.set("view", a.dataset.view);
    a.href = "?" + q.toString();
  });
  var form = $("filters");
  FILTERS.concat(["regex"]).forEach(function (k) { form.elements[k].value = state.get(k) || ""; });
  $("regexlabel").hidden = !(v === "peek" || v === "source");
  var main = $("main");
  main.textContent = "";
  status("Loading\u2026");
  document.body.dataset.view = v;
  document.body.dataset.ready = "";
  views[v](main).then(function () { document.body.dataset.ready = "1"; }, function (e) {
    status(e.message, true);
    document.body.dataset.ready = "error";
  });
}

$("filters").addEventListener("submit", function (ev) {
  ev.preventDefault();
  var c = {};
  FILTERS.concat(["regex"]).forEach(function (k) { c[k] = ev.target.elements[k].value; });
  go(c);
});
$("clearfilters").addEventListener("click", function () {
  var c = {};
  FILTERS.concat(["regex"]).forEach(function (k) { c[k] = null; });
  ["f", "i", "h", "s", "sf", "tf"].forEach(function (k) { c[k] = null; });
  go(c);
});
Array.prototype.forEach.call(document.querySelectorAll("#views a"), function (a) {
  a.addEventListener("click", function (ev) { ev.preventDefault(); go({view: a.dataset.view}); });
});
window.addEventListener("popstate", function () { state = new URLSearchParams(location.search); render(); });

// Profiles and sample types.
var profiles = [];
function loadProfiles() {
  return getJSON("/api/profiles").then(function (j) {
    profiles = j.profiles;
    var sel = $("profile");
    sel.textContent = "";
    var given = profiles.filter(function (p) { return !p.uploaded; });
    if (given.length > 1) sel.appendChild(el("option", "all " + given.length + " merged")).value = "";
    profiles.forEach(function (p) { var o = el("option", p.index + ": " + p.name); o.value = String(p.index); sel.appendChild(o); });
    sel.value = state.get("profile") || (given.length > 1 ? "" : "0");
    var cur = profiles[Number(sel.value || 0)];
    $("recapture").hidden = !(cur && cur.url);
    return getJSON("/api/info?profile=" + (sel.value || "0"));
  }).then(function (info) {
    var s = $("sample");
    s.textContent = "";
    info.sample_types.forEach(function (t) {
      var o = el("option", t.type + " (" + t.unit + ")" + (t["default"] ? " \u2605" : ""));
      o.value = t.type;
      if (t["default"]) o.selected = true;
      s.appendChild(o);
    });
    var si = state.get("sample_index") || state.get("si");
    if (si) s.value = si;
  }).catch(function (e) { status(e.message, true); });
}
$("profile").addEventListener("change", function (ev) { go({profile: ev.target.value}); loadProfiles(); });
$("sample").addEventListener("change", function (ev) { state.delete("si"); go({sample_index: ev.target.value}); });
$("recapture").addEventListener("click", function () {
  status("Capturing again\u2026");
  fetch("/api/profiles/" + (state.get("profile") || "0") + "/capture", {method: "POST"}).then(function (r) {
    if (!r.ok) return r.json().then(function (j) { throw new Error(j.error); });
    render();
  }).catch(function (e) { status(e.message, true); });
});
$("upload").addEventListener("change", function (ev) {
  var file = ev.target.files[0];
  if (!file) return;
  status("Uploading " + file.name + "\u2026");
  fetch("/api/profiles?name=" + encodeURIComponent(file.name), {method: "POST", body: file}).then(function (r) {
    return r.json().then(function (j) {
      if (!r.ok) throw new Error(j.error);
      state.set("profile", String(j.index));
      return loadProfiles().then(function () { go({profile: String(j.index)}); });
    });
  }).catch(function (e) { status(e.message, true); });
});

loadProfiles();
render();
})();
