"""Charts drawn on the server as SVG: no script, no CDN; colours come from the stylesheet (CSP allows no inline style)."""

from markupsafe import Markup, escape


def bars(title: str, data: list[tuple[str, int]], label_width: int = 110, width: int = 420) -> Markup:
    """A horizontal bar chart: one labelled bar per (label, value)."""
    row, top = 22, 4
    height = top + row * len(data) + 4
    peak = max((v for _, v in data), default=0) or 1
    room = width - label_width - 50
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(data):
        y = top + i * row
        w = round(room * value / peak) if value else 0
        parts.append(
            f'<text class="label" x="{label_width - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 3}" width="{max(w, 1 if value else 0)}" height="{row - 6}">'
            f'<title>{escape(label)}: {value}</title></rect>'
            f'<text class="value" x="{label_width + w + 5}" y="{y + 15}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(title: str, data: list[tuple[str, int]], width: int = 420, height: int = 170) -> Markup:
    """A column chart over time: one column per (label, value), labels below (e.g. months)."""
    bottom, top = 36, 16
    peak = max((v for _, v in data), default=0) or 1
    step = (width - 10) / max(len(data), 1)
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line class="axis" x1="5" x2="{width - 5}" y1="{height - bottom}" y2="{height - bottom}"/>']
    room = height - bottom - top
    for i, (label, value) in enumerate(data):
        h = round(room * value / peak)
        x = 5 + i * step
        parts.append(
            f'<rect class="bar" x="{x + 3:.1f}" y="{height - bottom - h}" width="{step - 6:.1f}" height="{h}">'
            f'<title>{escape(label)}: {value}</title></rect>'
            f'<text class="value" x="{x + step / 2:.1f}" y="{height - bottom - h - 3}" text-anchor="middle">'
            f'{value if value else ""}</text>'
            f'<text class="label small" x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
            f'{escape(label.split(" ")[0])}</text>'
            f'<text class="label small" x="{x + step / 2:.1f}" y="{height - bottom + 27}" text-anchor="middle">'
            f'{escape(label.split(" ")[-1][-2:]) if " " in label else ""}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
