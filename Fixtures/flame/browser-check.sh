#!/usr/bin/env bash
# Loads a Flamegate SVG and HTML flame graph in headless Chromium, drives search, zoom
# (and, for HTML, the icicle toggle and the function table) through a script injected into
# test copies, and checks the DOM afterwards; also checks that a frame named
# `</title><script>alert(1)</script>` is shown as text and runs nothing.
#
# Needs chromium (apt-get install -y chromium). Not run in CI (Chromium is heavy).
# Usage: Fixtures/flame/browser-check.sh [path/to/flamegate]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-${FLAMEGATE:-}}
if [ -z "$BIN" ]; then
  swift build --scratch-path .build-flame >/dev/null
  BIN=.build-flame/debug/flamegate
fi
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROME" ] || { echo "chromium not found (apt-get install -y chromium)"; exit 2; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config XDG_CACHE_HOME=$T/cache
cat > "$T/in.folded" <<'IN'
main;work;parse 30
main;work;emit 15
main;idle 20
main;</title><script>alert(1)</script> 5
other;work 10
IN
"$BIN" flame "$T/in.folded" -o "$T/fg.svg"
"$BIN" flame "$T/in.folded" -o "$T/fg.html"

PWN='window.alert = function () { document.documentElement.setAttribute("data-pwned", "1"); };'

# SVG test copy: alert trap first, self-test last.
python3 - "$T/fg.svg" "$T/test.svg" "$PWN" <<'PY'
import sys
src, dst, pwn = sys.argv[1:4]
s = open(src, encoding="utf-8").read()
trap = '<script type="text/ecmascript"><![CDATA[' + pwn + ']]></script>\n'
i = s.index('<script type="text/ecmascript">')
s = s[:i] + trap + s[i:]
test = r'''<script type="text/ecmascript"><![CDATA[
window.addEventListener("load", function () { setTimeout(function () {
  var fg = window.flamegate, out = {};
  fg.search("^work$");
  out.matched = fg.matched();
  out.highlighted = document.querySelectorAll('#frames rect[fill="rgb(230,0,230)"]').length;
  var w = -1; for (var i = 0; i < fg.frames.length; i++) if (fg.frames[i].name == "work" && fg.frames[i].w > 200) w = i;
  fg.zoom(w);
  out.zoomed = document.documentElement.getAttribute("data-zoomed");
  out.zoomWidth = fg.frames[w].rect.getAttribute("width");
  out.hiddenAfterZoom = document.querySelectorAll("#frames .hide").length;
  out.unzoomVisible = !document.getElementById("unzoom").classList.contains("hide");
  fg.unzoom();
  out.hiddenAfterReset = document.querySelectorAll("#frames .hide").length;
  fg.resetSearch();
  out.matchedAfterReset = fg.matched();
  var t = document.createElementNS("http://www.w3.org/2000/svg", "text");
  t.setAttribute("id", "selftest");
  t.textContent = JSON.stringify(out);
  document.documentElement.appendChild(t);
}, 0); });
]]></script>
'''
s = s.replace("</svg>\n", test + "</svg>\n")
open(dst, "w", encoding="utf-8").write(s)
PY

# HTML test copy.
python3 - "$T/fg.html" "$T/test.html" "$PWN" <<'PY'
import sys
src, dst, pwn = sys.argv[1:4]
s = open(src, encoding="utf-8").read()
s = s.replace("<head>", "<head>\n<script>" + pwn + "</script>", 1)
test = r'''<script>
window.addEventListener("load", function () { setTimeout(function () {
  var fg = window.flamegate, out = {};
  var c = document.getElementById("fg");
  out.drawn = +c.getAttribute("data-drawn");
  fg.search("^work$");
  out.matched = document.getElementById("matched").textContent;
  out.tableRowsOnSearch = +document.getElementById("fntable").getAttribute("data-rows");
  var w = fg.find("work");
  out.tooltip = fg.tooltip(w);
  fg.zoom(w);
  out.focus = c.getAttribute("data-focus-name");
  out.resetEnabled = !document.getElementById("reset").disabled;
  var rect = c.getBoundingClientRect();
  out.hitAtLeft = fg.hit(15, c.clientHeight - 16 * 2 - 2) ;
  fg.reset();
  out.focusAfterReset = c.getAttribute("data-focus-name");
  fg.setIcicle(true);
  out.icicle = c.getAttribute("data-icicle");
  fg.search("");
  fg.sortBy("total", true);
  out.firstByTotal = document.querySelector("#fntable tbody td.name").textContent;
  fg.sortBy("self", true);
  out.firstBySelf = document.querySelector("#fntable tbody td.name").textContent;
  out.tableRows = +document.getElementById("fntable").getAttribute("data-rows");
  var d = document.createElement("pre");
  d.id = "selftest";
  d.textContent = JSON.stringify(out);
  document.body.appendChild(d);
}, 0); });
</script>
'''
s = s.replace("</body>", test + "</body>", 1)
open(dst, "w", encoding="utf-8").write(s)
PY

run() {
  "$CHROME" --headless --no-sandbox --disable-gpu --user-data-dir="$T/profile" --window-size=1400,900 \
    --virtual-time-budget=5000 --dump-dom "file://$1" 2>"$T/chrome.err"
}
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

run "$T/test.svg" > "$T/svg.dom"
SVG=$(python3 -c 'import re,sys,html; m=re.search(r"<text id=\"selftest\">(.*?)</text>", open(sys.argv[1]).read(), re.S); print(html.unescape(m.group(1)) if m else "{}")' "$T/svg.dom")
echo "svg: $SVG"
j() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print(v)' "$1" "$2"; }
check "svg: search matched 55/80 (68.8%, from 0.1 px widths)" 'j "$SVG" matched | grep -Eq "^Matched: 68\.[78]%$"'
check "svg: 2 frames highlighted" '[ "$(j "$SVG" highlighted)" = 2 ]'
check "svg: zoom on work fills the width" '[ "$(j "$SVG" zoomWidth)" = 1180.0 ] && [ "$(j "$SVG" zoomed)" = work ]'
check "svg: zoom hid frames outside work" '[ "$(j "$SVG" hiddenAfterZoom)" -gt 0 ] && [ "$(j "$SVG" unzoomVisible)" = True ]'
check "svg: reset zoom shows everything" '[ "$(j "$SVG" hiddenAfterReset)" = 0 ]'
check "svg: reset search" '[ "$(j "$SVG" matchedAfterReset)" = " " ]'
check "svg: hostile name did not run" '! grep -q "data-pwned=" "$T/svg.dom"'
check "svg: hostile name shown as text" 'grep -q "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" "$T/svg.dom"'

run "$T/test.html" > "$T/html.dom"
HTML=$(python3 -c 'import re,sys,html; m=re.search(r"<pre id=\"selftest\">(.*?)</pre>", open(sys.argv[1]).read(), re.S); print(html.unescape(m.group(1)) if m else "{}")' "$T/html.dom")
echo "html: $HTML"
check "html: frames drawn" '[ "$(j "$HTML" drawn)" -ge 8 ]'
check "html: search matched 68.8%" '[ "$(j "$HTML" matched)" = "Matched: 68.8%" ]'
check "html: table filtered to matches" '[ "$(j "$HTML" tableRowsOnSearch)" = 1 ]'
check "html: tooltip" 'j "$HTML" tooltip | grep -q "of total"'
check "html: zoom" '[ "$(j "$HTML" focus)" = work ] && [ "$(j "$HTML" resetEnabled)" = True ]'
check "html: reset" '[ "$(j "$HTML" focusAfterReset)" = all ]'
check "html: icicle toggle" '[ "$(j "$HTML" icicle)" = 1 ]'
check "html: table sorted by total" '[ "$(j "$HTML" firstByTotal)" = main ]'
check "html: table sorted by self" '[ "$(j "$HTML" firstBySelf)" = parse ]'
check "html: hostile name did not run" '! grep -q "data-pwned=" "$T/html.dom" && ! grep -q "<script>alert" "$T/html.dom"'
# Positive control: the alert trap does catch a script that runs.
printf '<!DOCTYPE html><html><head><script>%s</script></head><body><script>alert(1)</script></body></html>' "$PWN" > "$T/control.html"
run "$T/control.html" > "$T/control.dom"
check "control: the alert trap catches a running script" 'grep -q "data-pwned=" "$T/control.dom"'
# A screenshot of each original output, for a look by eye when KEEP=dir is set.
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP"
  "$CHROME" --headless --no-sandbox --disable-gpu --user-data-dir="$T/profile" --window-size=1400,900 \
    --screenshot="$KEEP/svg.png" "file://$T/fg.svg" 2>/dev/null
  "$CHROME" --headless --no-sandbox --disable-gpu --user-data-dir="$T/profile" --window-size=1400,900 \
    --virtual-time-budget=3000 --screenshot="$KEEP/html.png" "file://$T/fg.html" 2>/dev/null
fi
exit $fail
