"""Prints go tool trace's goroutine analysis as TSV (see make-goroutines.sh)."""
import html, re, sys, urllib.parse, urllib.request
from html.parser import HTMLParser

base = sys.argv[1]

def get(path):
    with urllib.request.urlopen(base + path) as r:
        return r.read().decode()

def ns(text):
    """Go's time.Duration.String() back to nanoseconds."""
    text = text.strip()
    if text == "0s":
        return 0
    units = {"h": 3600e9, "m": 60e9, "s": 1e9, "ms": 1e6, "µs": 1e3, "us": 1e3, "ns": 1}
    total = 0
    for num, unit in re.findall(r"([0-9.]+)(h|ms|µs|us|ns|m|s)", text):
        whole, _, frac = num.partition(".")
        scale = int(units[unit])
        total += int(whole) * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)
    return total

class Tables(HTMLParser):
    """Collects the rows of every <table class="details">: header cells and data cells."""
    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.row, self.in_details = [], None, None, False
    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "details") in attrs:
            self.in_details = True
            self.tables.append([])
        elif self.in_details and tag == "tr":
            self.row = []
        elif self.in_details and tag in ("td", "th") and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag == "table":
            self.in_details = False
        elif self.in_details and tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif self.in_details and tag == "tr" and self.row is not None:
            self.tables[-1].append(self.row)
            self.row = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

groups = [html.unescape(urllib.parse.unquote(g)) for g in re.findall(r'href="/goroutine\?name=([^"]*)"', get("/goroutines"))]
for group in groups:
    p = Tables()
    p.feed(get("/goroutine?name=" + urllib.parse.quote(group)))
    for table in p.tables:
        header = table[0]
        for row in table[1:]:
            # The first table has an empty header cell over a bar graph, and no cell for it in the rows' text.
            cells = [c for c in row]
            names = [h for h in header if h != ""] if len(cells) < len(header) else header
            if len(cells) != len(names):
                sys.exit(f"{group}: {len(cells)} cells under {len(names)} headers: {row}")
            gid = cells[0]
            for name, value in zip(names[1:], cells[1:]):
                if name:
                    print(f"{gid}\t{group}\t{name}\t{ns(value)}")
