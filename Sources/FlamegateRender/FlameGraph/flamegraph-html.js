"use strict";
(function () {
var D = JSON.parse(document.getElementById("fgdata").textContent);
var N = D.n.length, names = D.names, nm = D.n, dep = D.d, val = D.v, slf = D.s;
var diff = D.diff, base = D.b, wv = D.w || D.v;
var start = new Float64Array(N), end = new Int32Array(N), parent = new Int32Array(N);
var maxDepth = 0;
(function layout() {
  var stack = [], cursor = new Float64Array(N);
  for (var i = 0; i < N; i++) {
    while (stack.length && dep[stack[stack.length - 1]] >= dep[i]) end[stack.pop()] = i;
    if (i > 0) { var p = stack[stack.length - 1]; parent[i] = p; start[i] = cursor[p]; cursor[p] += wv[i]; cursor[i] = start[i]; } else parent[0] = -1;
    if (dep[i] > maxDepth) maxDepth = dep[i];
    stack.push(i);
  }
  while (stack.length) end[stack.pop()] = N;
})();
var units = [["nanoseconds", [[1, "ns"], [1e3, "us"], [1e6, "ms"], [1e9, "s"], [3600e9, "hrs"]]],
             ["microseconds", [[1, "us"], [1e3, "ms"], [1e6, "s"], [3600e6, "hrs"]]],
             ["milliseconds", [[1, "ms"], [1e3, "s"], [3600e3, "hrs"]]],
             ["seconds", [[1, "s"], [3600, "hrs"]]],
             ["bytes", [[1, "B"], [1024, "kB"], [1048576, "MB"], [1073741824, "GB"], [1099511627776, "TB"]]]];
function commas(v) { var s = String(Math.round(Math.abs(v))); return (v < 0 ? "-" : "") + s.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
// Decimal folded counts are stored x10^k (unit "count/10^k"): show whole counts, as flamegraph.pl.
var fraction = /^count\/1(0+)$/.test(D.unit) ? Math.pow(10, D.unit.length - 7) : 0;
function fmt(v) {
  if (fraction) v = Math.round(v / fraction);
  if (D.countName) return commas(v) + " " + D.countName;
  if (fraction) return commas(v) + " " + D.sampleType;
  var u = D.unit.toLowerCase();
  for (var k = 0; k < units.length; k++) {
    if (u == units[k][0] || u + "s" == units[k][0]) {
      var sc = units[k][1], best = sc[0];
      for (var m = 0; m < sc.length; m++) if (Math.abs(v) >= sc[m][0]) best = sc[m];
      var x = (v / best[0]).toFixed(2).replace(/\.00$/, "");
      return x == "0" ? "0" : x + best[1];
    }
  }
  return commas(v) + " " + (u == "count" || u == "" ? D.sampleType : D.unit);
}
function pct(a, b) { return b ? (100 * a / b).toFixed(2) : "0.00"; }
function display(i) { return i == 0 ? "all" : names[nm[i]].replace(/_\[[kwij]\]$/, ""); }
function baseOf(i) { return base[i] * D.baseScale; }
function tooltip(i) {
  var s = display(i) + "\n";
  if (diff) {
    var b = baseOf(i), c = val[i], d = c - b;
    s += "base " + fmt(b) + ", candidate " + fmt(c) + ", delta " + (d > 0 ? "+" : d < 0 ? "-" : "±") + fmt(Math.abs(d)) +
         " (" + (b ? (d >= 0 ? "+" : "") + pct(d, b) + "%" : (c ? "new" : "0.00%")) + ")" + (c == 0 && b > 0 ? ", only in base" : "");
  } else {
    s += fmt(val[i]) + " (" + pct(val[i], val[0]) + "%" + (i > 0 ? " of total, " + pct(val[i], val[parent[i]]) + "% of parent" : "") + "), self " + fmt(slf[i]);
  }
  return s;
}
// flamegraph.pl's differential scheme, as Palette.diff computes it for the SVG.
function diffColor(i) {
  var d = val[i] - baseOf(i);
  if (D.negate) d = -d;
  var m = D.maxDelta > 0 ? D.maxDelta : 1, a = Math.min(Math.abs(d), m), c = Math.trunc(210 * (m - a) / m);
  return d > 0 ? "rgb(255," + c + "," + c + ")" : d < 0 ? "rgb(" + c + "," + c + ",255)" : "rgb(255,255,255)";
}
// A frame's fill without search highlighting: the SVG's fill for the same frame.
function colorOf(i) {
  if (diff) return val[i] == 0 && base[i] > 0 ? "url(#onlybase)" : diffColor(i);
  return i == 0 ? D.rootColor : D.colors[nm[i]];
}
var canvas = document.getElementById("fg"), ctx = canvas.getContext("2d"), tip = document.getElementById("tip");
var FH = D.frameHeight, PAD = 10, focus = 0, icicle = D.inverted, matches = null, hatch = null;
var cssW = 0, viewH = 0, fullH = 0, wrap = document.getElementById("wrap"), spacer = document.getElementById("spacer");
// The canvas is only as tall as the view (a 500-deep graph is 8000 px; past Chromium's canvas
// limits a tall canvas draws nothing): it sticks to the top of #wrap, a spacer gives #wrap the
// graph's full height, and draw() paints the rows scrolled into view.
var scrollY = 0;  // wrap.scrollTop, read once a draw (a DOM read per frame is slow)
function yOf(d) { return (icicle ? d * FH : (maxDepth - d) * FH) - scrollY; }
function resize(initial) {
  var r = window.devicePixelRatio || 1;
  cssW = wrap.clientWidth || 1200;
  fullH = (maxDepth + 1) * FH;
  viewH = Math.min(fullH, Math.max(200, Math.floor(window.innerHeight * 0.7)));
  canvas.style.height = viewH + "px";
  spacer.style.height = (fullH - viewH) + "px";
  wrap.style.height = viewH + "px";
  canvas.width = Math.floor(cssW * r);
  canvas.height = Math.floor(viewH * r);
  ctx.setTransform(r, 0, 0, r, 0, 0);
  if (initial !== true) draw();
}
// Root in view: the bottom of a flame graph, the top of an icicle.
function showRoot() { wrap.scrollTop = icicle ? 0 : fullH - viewH; draw(); }
function isAncestor(a, i) { return a <= i && i < end[a]; }
function view() {
  var x0 = start[focus], w = wv[focus] || 1;
  return {x0: x0, k: (cssW - 2 * PAD) / w};
}
function draw() {
  var v = view();
  ctx.clearRect(0, 0, cssW, viewH);
  ctx.font = D.fontSize + "px " + D.fontType + ", sans-serif";
  ctx.textBaseline = "middle";
  var charW = D.fontSize * 0.59, drawn = 0;
  scrollY = wrap.scrollTop;
  // Depths in view: deeper frames' subtrees are skipped whole, so a first draw costs the
  // rows in view, not the million frames above them.
  var rowLo = Math.floor(scrollY / FH), rowHi = Math.ceil((scrollY + viewH) / FH);
  var dHi = icicle ? rowHi : maxDepth - rowLo;
  var i = 0;
  while (i < N) {
    var anc = i != focus && isAncestor(i, focus);
    var x, w;
    if (anc) { x = PAD; w = cssW - 2 * PAD; }
    else if (isAncestor(focus, i)) { x = PAD + (start[i] - v.x0) * v.k; w = wv[i] * v.k; }
    else { i = end[i]; continue; }
    if (w < 0.3) { i = end[i]; continue; }
    if (dep[i] > dHi) { i = end[i]; continue; }
    var y = yOf(dep[i]);
    if (y <= -FH || y >= viewH) { i++; continue; }
    var only = diff && val[i] == 0 && base[i] > 0;
    if (matches && i > 0 && matches[nm[i]]) ctx.fillStyle = "rgb(230,0,230)";
    else if (only) ctx.fillStyle = hatch || "rgb(215,215,255)";
    else ctx.fillStyle = colorOf(i);
    ctx.globalAlpha = anc ? 0.55 : 1;
    ctx.fillRect(x, y, Math.max(w - 0.5, 0.3), FH - 1);
    if (only) { ctx.strokeStyle = "rgb(60,60,200)"; ctx.setLineDash([3, 2]); ctx.strokeRect(x + 0.5, y + 0.5, Math.max(w - 1.5, 0.3), FH - 2); ctx.setLineDash([]); }
    var chars = Math.floor((w - 3) / charW);
    if (chars >= 3) {
      var t = display(i);
      if (t.length > chars) t = t.substring(0, chars - 2) + "..";
      ctx.fillStyle = "#000";
      ctx.fillText(t, x + 3, y + FH / 2);
    }
    ctx.globalAlpha = 1;
    drawn++;
    i++;
  }
  canvas.setAttribute("data-drawn", drawn);
  if (!canvas.hasAttribute("data-first-draw-ms")) canvas.setAttribute("data-first-draw-ms", Math.round(performance.now()));
  canvas.setAttribute("data-focus", focus);
  canvas.setAttribute("data-focus-name", display(focus));
  canvas.setAttribute("data-icicle", icicle ? "1" : "0");
}
function rectOf(i, v) {
  if (i != focus && isAncestor(i, focus)) return [PAD, cssW - 2 * PAD];
  if (isAncestor(focus, i)) return [PAD + (start[i] - v.x0) * v.k, wv[i] * v.k];
  return null;
}
function hit(mx, my) {
  my += scrollY;
  var d = icicle ? Math.floor(my / FH) : maxDepth - Math.floor(my / FH);
  if (d < 0 || d > maxDepth) return -1;
  var v = view(), i = 0;
  while (dep[i] < d) {
    var next = -1;
    for (var c = i + 1; c < end[i]; c = end[c]) {
      var r = rectOf(c, v);
      if (r && mx >= r[0] && mx < r[0] + r[1]) { next = c; break; }
    }
    if (next < 0) return -1;
    i = next;
  }
  var r0 = rectOf(i, v);
  return r0 && mx >= r0[0] && mx < r0[0] + r0[1] ? i : -1;
}
function zoom(i) {
  focus = i;
  document.getElementById("reset").disabled = focus == 0;
  draw();
  if (typeof renderTable == "function" && rowsFor >= 0) renderTable();
}
canvas.addEventListener("mousemove", function (e) {
  var r = canvas.getBoundingClientRect(), i = hit(e.clientX - r.left, e.clientY - r.top);
  if (i < 0) { tip.style.display = "none"; document.getElementById("details").textContent = " "; return; }
  var t = tooltip(i);
  tip.textContent = t;
  tip.style.display = "block";
  tip.style.left = Math.min(e.clientX + 12, window.innerWidth - tip.offsetWidth - 4) + "px";
  tip.style.top = (e.clientY + 16) + "px";
  document.getElementById("details").textContent = D.nameType + " " + t.replace("\n", " — ");
});
canvas.addEventListener("mouseleave", function () { tip.style.display = "none"; });
canvas.addEventListener("click", function (e) {
  var r = canvas.getBoundingClientRect(), i = hit(e.clientX - r.left, e.clientY - r.top);
  if (i >= 0) zoom(i);
});
document.getElementById("reset").addEventListener("click", function () { zoom(0); });
document.getElementById("icicle").checked = icicle;
document.getElementById("icicle").addEventListener("change", function (e) { icicle = e.target.checked; showRoot(); });
wrap.addEventListener("scroll", function () { window.requestAnimationFrame(draw); });
var term = document.getElementById("term"), ic = document.getElementById("ic"), matched = document.getElementById("matched");
function search(s) {
  if (s === undefined) s = term.value; else term.value = s;
  if (!s) { matches = null; matched.textContent = ""; draw(); renderTable(); return; }
  var re;
  try { re = new RegExp(s, ic.checked ? "i" : ""); } catch (err) { matched.textContent = "Bad regexp"; return; }
  matches = new Uint8Array(names.length);
  for (var k = 0; k < names.length; k++) matches[k] = re.test(names[k]) ? 1 : 0;
  // Matched share: frames that match, not counting matches below a match.
  var sum = 0, i = 1;
  while (i < N) { if (matches[nm[i]]) { sum += val[i]; i = end[i]; } else i++; }
  var p = val[0] ? 100 * sum / val[0] : 0;
  matched.textContent = "Matched: " + (p == 100 ? "100" : p.toFixed(1)) + "% of total";
  draw();
  renderTable();
}
term.addEventListener("keydown", function (e) { if (e.key == "Enter") search(); if (e.key == "Escape") { term.value = ""; search(""); } });
// Search as you type: after a short pause, so a 1 M-frame graph is not redrawn per keystroke.
var typing = 0;
term.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(function () { search(); }, N > 200000 ? 250 : 60); });
ic.addEventListener("change", function () { search(); });
document.getElementById("clear").addEventListener("click", function () { search(""); });
window.addEventListener("keydown", function (e) {
  if ((e.ctrlKey || e.metaKey) && e.keyCode === 70) { e.preventDefault(); term.focus(); term.select(); }
});
// Function table: every function (virtualized: only the rows in view are in the DOM),
// sorted by the clicked column (arrow on it), for the zoomed frame's subtree.
var rows = [], rowsFor = -1, sortKey = "self", sortDesc = true, ROWH = 20;
var tableWrap = document.getElementById("tablewrap"), shownRows = [];
// Self and total per function under frame f (total counts a function once per stack, as pprof).
function tableRows(f) {
  var out = [];
  if (f == 0) {
    for (var k = 0; k < D.fn.length; k++) out.push({n: D.fn[k], self: D.fs[k], total: D.ft[k]});
    return out;
  }
  var selfBy = new Float64Array(names.length), totBy = new Float64Array(names.length), seen = new Uint8Array(names.length);
  var onStack = new Int32Array(names.length), stack = [];
  for (var i = f; i < end[f]; i++) {
    while (stack.length && end[stack[stack.length - 1]] <= i) onStack[nm[stack.pop()]]--;
    var n = nm[i];
    selfBy[n] += slf[i];
    if (onStack[n] == 0) totBy[n] += val[i];
    seen[n] = 1;
    onStack[n]++;
    stack.push(i);
  }
  for (var k = 0; k < names.length; k++) if (seen[k] && (totBy[k] || selfBy[k])) out.push({n: k, self: selfBy[k], total: totBy[k]});
  return out;
}
function renderTable() {
  if (rowsFor != focus) { rows = tableRows(focus); rowsFor = focus; }
  var key = sortKey == "selfp" ? "self" : sortKey == "totalp" ? "total" : sortKey;
  rows.sort(function (a, b) {
    var c = key == "name" ? (names[a.n] < names[b.n] ? -1 : names[a.n] > names[b.n] ? 1 : 0) : a[key] - b[key];
    if (c == 0) c = a.n - b.n;
    return sortDesc ? -c : c;
  });
  shownRows = matches ? rows.filter(function (r) { return matches[r.n]; }) : rows;
  var ths = document.querySelectorAll("#fntable th");
  for (var t = 0; t < ths.length; t++) {
    var k = ths[t].getAttribute("data-k");
    ths[t].setAttribute("data-arrow", k == sortKey ? (sortDesc ? "▼" : "▲") : "");
    ths[t].setAttribute("aria-sort", k == sortKey ? (sortDesc ? "descending" : "ascending") : "none");
  }
  var tbl = document.getElementById("fntable");
  tbl.setAttribute("data-rows", shownRows.length);
  tbl.setAttribute("data-focus", focus);
  document.getElementById("tablecap").textContent = shownRows.length + " functions" +
    (focus ? " under " + display(focus) : "") + (matches ? " matching" : "");
  drawRows();
}
// Rows in view (plus a margin); spacer rows keep the scroll height of all rows.
function drawRows() {
  var body = document.querySelector("#fntable tbody");
  var h = tableWrap.clientHeight || 400, top = tableWrap.scrollTop;
  var first = Math.max(0, Math.floor(top / ROWH) - 10), last = Math.min(shownRows.length, Math.ceil((top + h) / ROWH) + 10);
  var whole = val[focus] || 1;
  body.textContent = "";
  function spacer(px) { var tr = document.createElement("tr"); tr.className = "spacer"; tr.style.height = px + "px"; body.appendChild(tr); }
  if (first > 0) spacer(first * ROWH);
  for (var k = first; k < last; k++) {
    var r = shownRows[k];
    var tr = document.createElement("tr");
    var cells = [names[r.n], fmt(r.self), pct(r.self, whole) + "%", fmt(r.total), pct(r.total, whole) + "%"];
    for (var c = 0; c < cells.length; c++) {
      var td = document.createElement("td");
      if (c == 0) { td.className = "name"; td.setAttribute("data-n", r.n); td.title = cells[c]; }
      td.textContent = cells[c];
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  if (last < shownRows.length) spacer((shownRows.length - last) * ROWH);
}
tableWrap.addEventListener("scroll", function () { window.requestAnimationFrame(drawRows); });
document.querySelector("#fntable thead").addEventListener("click", function (e) {
  var k = e.target.getAttribute("data-k");
  if (!k) return;
  if (k == sortKey) sortDesc = !sortDesc; else { sortKey = k; sortDesc = k != "name"; }
  renderTable();
});
document.querySelector("#fntable tbody").addEventListener("click", function (e) {
  var n = e.target.getAttribute("data-n");
  if (n !== null) search("^" + names[+n].replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "$");
});
// Legend: the same list as the SVG's (Palette.legend), built as text nodes.
(function legend() {
  var el = document.getElementById("legend");
  for (var k = 0; k < D.legend.length; k++) {
    var fill = D.legend[k][0];
    if (fill) {
      var sw = document.createElement("span");
      if (fill == "url(#onlybase)") { sw.className = "onlybase"; } else sw.style.background = fill;
      el.appendChild(sw);
      el.appendChild(document.createTextNode(D.legend[k][1]));
    } else {
      var note = document.createElement("em");
      note.textContent = D.legend[k][1];
      el.appendChild(note);
    }
  }
})();
if (diff) {
  var pc = document.createElement("canvas"); pc.width = pc.height = 6;
  var px = pc.getContext("2d"); px.fillStyle = "rgb(215,215,255)"; px.fillRect(0, 0, 6, 6);
  px.strokeStyle = "rgb(90,90,220)"; px.lineWidth = 2; px.beginPath(); px.moveTo(0, 6); px.lineTo(6, 0); px.stroke();
  hatch = ctx.createPattern(pc, "repeat");
}
window.addEventListener("resize", function () { resize(); });
window.flamegate = {search: search, colorOf: colorOf, zoom: zoom, reset: function () { zoom(0); }, hit: hit, tooltip: tooltip,
  setIcicle: function (b) { icicle = b; document.getElementById("icicle").checked = b; showRoot(); },
  sortBy: function (k, desc) { sortKey = k; sortDesc = desc; renderTable(); },
  tableRows: function () { return shownRows.map(function (r) { return [names[r.n], r.self, r.total]; }); },
  find: function (name) { for (var i = 0; i < N; i++) if (i > 0 && names[nm[i]] == name) return i; return -1; },
  count: N};
resize(true);
showRoot();
renderTable();
var q = /[?&]s=([^&]*)/.exec(window.location.search);
if (q) search(decodeURIComponent(q[1]));
})();
