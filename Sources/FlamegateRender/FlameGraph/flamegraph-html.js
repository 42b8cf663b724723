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
function fmt(v) {
  if (D.countName) return commas(v) + " " + D.countName;
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
var cssW = 0;
function yOf(d) { return icicle ? d * FH : (maxDepth - d) * FH; }
function resize() {
  var r = window.devicePixelRatio || 1;
  cssW = canvas.parentNode.clientWidth || 1200;
  var h = (maxDepth + 1) * FH;
  canvas.style.height = h + "px";
  canvas.width = Math.floor(cssW * r);
  canvas.height = Math.floor(h * r);
  ctx.setTransform(r, 0, 0, r, 0, 0);
  draw();
}
function isAncestor(a, i) { return a <= i && i < end[a]; }
function view() {
  var x0 = start[focus], w = wv[focus] || 1;
  return {x0: x0, k: (cssW - 2 * PAD) / w};
}
function draw() {
  var v = view();
  ctx.clearRect(0, 0, cssW, canvas.height);
  ctx.font = D.fontSize + "px " + D.fontType + ", sans-serif";
  ctx.textBaseline = "middle";
  var charW = D.fontSize * 0.59, drawn = 0;
  var i = 0;
  while (i < N) {
    var anc = i != focus && isAncestor(i, focus);
    var x, w;
    if (anc) { x = PAD; w = cssW - 2 * PAD; }
    else if (isAncestor(focus, i)) { x = PAD + (start[i] - v.x0) * v.k; w = wv[i] * v.k; }
    else { i = end[i]; continue; }
    if (w < 0.3) { i = end[i]; continue; }
    var y = yOf(dep[i]);
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
document.getElementById("icicle").addEventListener("change", function (e) { icicle = e.target.checked; draw(); });
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
// Function table.
var rows = [], sortKey = "self", sortDesc = true;
for (var k = 0; k < D.fn.length; k++) rows.push({n: D.fn[k], self: D.fs[k], total: D.ft[k]});
function renderTable() {
  var key = sortKey == "selfp" ? "self" : sortKey == "totalp" ? "total" : sortKey;
  rows.sort(function (a, b) {
    var c = key == "name" ? (names[a.n] < names[b.n] ? -1 : names[a.n] > names[b.n] ? 1 : 0) : a[key] - b[key];
    if (c == 0) c = a.n - b.n;
    return sortDesc ? -c : c;
  });
  var body = document.querySelector("#fntable tbody");
  body.textContent = "";
  var shown = 0;
  for (var k = 0; k < rows.length && shown < 500; k++) {
    var r = rows[k];
    if (matches && !matches[r.n]) continue;
    var tr = document.createElement("tr");
    var cells = [names[r.n], fmt(r.self), pct(r.self, val[0]) + "%", fmt(r.total), pct(r.total, val[0]) + "%"];
    for (var c = 0; c < cells.length; c++) {
      var td = document.createElement("td");
      if (c == 0) { td.className = "name"; td.setAttribute("data-n", r.n); }
      td.textContent = cells[c];
      tr.appendChild(td);
    }
    body.appendChild(tr);
    shown++;
  }
  document.getElementById("fntable").setAttribute("data-rows", shown);
}
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
    } else el.appendChild(document.createTextNode(" "));
    el.appendChild(document.createTextNode(D.legend[k][1]));
  }
})();
if (diff) {
  var pc = document.createElement("canvas"); pc.width = pc.height = 6;
  var px = pc.getContext("2d"); px.fillStyle = "rgb(215,215,255)"; px.fillRect(0, 0, 6, 6);
  px.strokeStyle = "rgb(90,90,220)"; px.lineWidth = 2; px.beginPath(); px.moveTo(0, 6); px.lineTo(6, 0); px.stroke();
  hatch = ctx.createPattern(pc, "repeat");
}
window.addEventListener("resize", resize);
window.flamegate = {search: search, colorOf: colorOf, zoom: zoom, reset: function () { zoom(0); }, hit: hit, tooltip: tooltip,
  setIcicle: function (b) { icicle = b; document.getElementById("icicle").checked = b; draw(); },
  sortBy: function (k, desc) { sortKey = k; sortDesc = desc; renderTable(); },
  find: function (name) { for (var i = 0; i < N; i++) if (i > 0 && names[nm[i]] == name) return i; return -1; },
  count: N};
resize();
renderTable();
var q = /[?&]s=([^&]*)/.exec(window.location.search);
if (q) search(decodeURIComponent(q[1]));
})();
