"""The HTML report: charts as inline SVG (no network, no JavaScript needed to draw them),
sections built from the analytics and attribution marts."""
