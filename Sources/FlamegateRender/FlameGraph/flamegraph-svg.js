"use strict";
var details, searchbtn, unzoombtn, matchedtxt, svg, frames, searching = false, currentTerm = null, ignorecase = false, icbtn;
var F = [];  // per frame: {g, rect, text, name, x, w, y}
function init(evt) {
  details = document.getElementById("details").firstChild;
  searchbtn = document.getElementById("search");
  icbtn = document.getElementById("ignorecase");
  unzoombtn = document.getElementById("unzoom");
  matchedtxt = document.getElementById("matched");
  svg = document.getElementsByTagName("svg")[0];
  frames = document.getElementById("frames");
  var gs = frames.children;
  for (var i = 0; i < gs.length; i++) {
    var g = gs[i], r = g.querySelector("rect"), t = g.querySelector("text"), ti = g.querySelector("title");
    var full = ti ? ti.textContent : "";
    var nl = full.indexOf("\n");
    g.setAttribute("data-i", i);
    F.push({g: g, rect: r, text: t, title: full, name: nl < 0 ? full : full.substring(0, nl),
            x: parseFloat(r.getAttribute("x")), w: parseFloat(r.getAttribute("width")),
            y: parseFloat(r.getAttribute("y")), fill: r.getAttribute("fill")});
  }
  var q = params();
  if (q.s) search(q.s);
  window.flamegate = {zoom: function (i) { zoom(F[i]); }, unzoom: unzoom, search: search,
                      resetSearch: resetSearch, frames: F, matched: function () { return matchedtxt.textContent; }};
}
function params() {
  var out = {}, parts = window.location.search.substring(1).split("&");
  for (var i = 0; i < parts.length; i++) {
    var kv = parts[i].split("=");
    if (kv[0] && kv[1]) out[kv[0]] = decodeURIComponent(kv[1]);
  }
  return out;
}
function frameOf(node) {
  while (node && node.parentNode) {
    if (node.parentNode === frames) return F[parseInt(node.getAttribute("data-i"))];
    node = node.parentNode;
  }
  return null;
}
window.addEventListener("click", function (e) {
  var f = frameOf(e.target);
  if (f) {
    if (f.g.classList.contains("parent")) unzoom(true);
    zoom(f);
  } else if (e.target.id == "unzoom") unzoom();
  else if (e.target.id == "search") searchPrompt();
  else if (e.target.id == "ignorecase") { ignorecase = !ignorecase; icbtn.classList.toggle("show", ignorecase); if (currentTerm !== null) search(currentTerm); }
}, false);
window.addEventListener("mouseover", function (e) {
  var f = frameOf(e.target);
  if (f) { details.nodeValue = FG.nametype + " " + f.title.replace("\n", " — "); showLegend(false); }
}, false);
window.addEventListener("mouseout", function (e) {
  if (frameOf(e.target)) { details.nodeValue = " "; showLegend(true); }
}, false);
// The legend shares the bottom line with the details: it gives way while they are shown.
function showLegend(on) {
  var l = document.getElementById("legend");
  if (l) l.classList.toggle("hide", !on);
}
window.addEventListener("keydown", function (e) {
  if (e.keyCode === 114 || (e.ctrlKey && e.keyCode === 70)) { e.preventDefault(); searchPrompt(); }
  else if (e.ctrlKey && e.keyCode === 73) { e.preventDefault(); ignorecase = !ignorecase; icbtn.classList.toggle("show", ignorecase); if (currentTerm !== null) search(currentTerm); }
}, false);
function label(f, w) {
  var chars = Math.floor(w / (FG.fontsize * FG.fontwidth));
  if (chars < 3) return "";
  var n = f.name.replace(/_\[[kwij]\]$/, "");
  return chars >= n.length ? n : n.substring(0, chars - 2) + "..";
}
function place(f, x, w) {
  f.rect.setAttribute("x", x.toFixed(1));
  f.rect.setAttribute("width", w.toFixed(1));
  f.text.setAttribute("x", (x + 3).toFixed(2));
  f.text.textContent = label(f, w);
}
function zoom(f) {
  var full = parseFloat(svg.getAttribute("width")) - 2 * FG.xpad;
  var ratio = full / f.w;
  unzoombtn.classList.remove("hide");
  for (var i = 0; i < F.length; i++) {
    var e = F[i];
    e.g.classList.remove("parent", "hide");
    var up = FG.inverted ? e.y < f.y : e.y > f.y;
    if (up) {
      if (e.x <= f.x + 0.0001 && e.x + e.w + 0.0001 >= f.x + f.w) { e.g.classList.add("parent"); place(e, FG.xpad, full); }
      else e.g.classList.add("hide");
    } else if (e.x < f.x - 0.0001 || e.x + 0.0001 >= f.x + f.w) {
      e.g.classList.add("hide");
    } else {
      place(e, (e.x - f.x) * ratio + FG.xpad, e.w * ratio);
    }
  }
  svg.setAttribute("data-zoomed", f.name);
  if (currentTerm !== null) search(currentTerm);
}
function unzoom() {
  unzoombtn.classList.add("hide");
  for (var i = 0; i < F.length; i++) {
    F[i].g.classList.remove("parent", "hide");
    place(F[i], F[i].x, F[i].w);
  }
  svg.removeAttribute("data-zoomed");
  if (currentTerm !== null) search(currentTerm);
}
function searchPrompt() {
  if (!searching) {
    var term = prompt("Enter a search term (regexp allowed, eg: ^ext4_)" + (ignorecase ? ", ignoring case" : "") + "\nPress Ctrl-i to toggle case sensitivity", "");
    if (term != null) search(term);
  } else resetSearch();
}
function resetSearch() {
  for (var i = 0; i < F.length; i++) F[i].rect.setAttribute("fill", F[i].fill);
  searching = false;
  currentTerm = null;
  searchbtn.classList.remove("show");
  searchbtn.firstChild.nodeValue = "Search";
  matchedtxt.classList.add("hide");
  matchedtxt.firstChild.nodeValue = " ";
}
function search(term) {
  var re;
  try { re = new RegExp(term, ignorecase ? "i" : ""); } catch (err) { matchedtxt.classList.remove("hide"); matchedtxt.firstChild.nodeValue = "Bad regexp"; return; }
  currentTerm = term;
  var widest = {}, maxw = 0, any = false;
  for (var i = 0; i < F.length; i++) {
    var f = F[i];
    if (f.w > maxw) maxw = f.w;
    if (i > 0 && re.test(f.name)) {
      f.rect.setAttribute("fill", "rgb(230,0,230)");
      if (!(f.x in widest) || widest[f.x] < f.w) widest[f.x] = f.w;
      any = true;
    } else f.rect.setAttribute("fill", f.fill);
  }
  searching = true;
  searchbtn.classList.add("show");
  searchbtn.firstChild.nodeValue = "Reset Search";
  var xs = Object.keys(widest).map(parseFloat).sort(function (a, b) { return a - b; });
  var sum = 0, lastEnd = -1;
  for (var k = 0; k < xs.length; k++) {
    var w = widest[xs[k]];
    if (xs[k] >= lastEnd - 0.0001) { sum += w; lastEnd = xs[k] + w; }
  }
  var pct = maxw > 0 ? 100 * sum / maxw : 0;
  matchedtxt.classList.remove("hide");
  matchedtxt.firstChild.nodeValue = "Matched: " + (pct == 100 ? "100" : pct.toFixed(1)) + "%";
}
