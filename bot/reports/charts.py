"""Charts drawn on the server as SVG: no script, no CDN; every label escaped."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Dict, Sequence, Tuple

PALETTE = ("#2f6db5", "#e08a1e", "#3a9a5b", "#b0413e", "#7d5ba6", "#6b7280")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 240, 40, 40, 16


def daily_bars(
    days: Sequence[dt.date],
    per_day: Dict[dt.date, Dict[str, int]],
    channels: Sequence[str],
    title: str = "每天的消息数（按渠道）",
) -> str:
    """Stacked bars, one per day, one colour per channel, with a legend."""
    peak = max([sum(per_day[day].values()) for day in days] + [1])
    plot_height = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(len(days), 1)
    bar = max(step * 0.7, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="12" font-size="11">最多 {peak} 条/天</text>',
    ]
    for index, day in enumerate(days):
        x, y = LEFT + index * step, float(HEIGHT - BOTTOM)
        for channel_index, channel in enumerate(channels):
            count = per_day[day].get(channel, 0)
            if not count:
                continue
            height = plot_height * count / peak
            y -= height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[channel_index % len(PALETTE)]}"><title>{day.isoformat()} '
                f"{escape(channel)}：{count}</title></rect>"
            )
        if len(days) <= 14 or index % max(len(days) // 10, 1) == 0:
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10">{day.month}/{day.day}</text>')
    for channel_index, channel in enumerate(channels):
        legend_x = LEFT + channel_index * 110
        parts.append(
            f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" '
            f'fill="{PALETTE[channel_index % len(PALETTE)]}"/>'
            f'<text x="{legend_x + 14}" y="{HEIGHT - 5}" font-size="11">{escape(channel)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def share_bar(shares: Sequence[Tuple[str, float]], title: str = "回答情况") -> str:
    """One horizontal bar split by share (answered, unsure, refused), each labelled with its percentage."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 56" role="img" '
        f'aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0.0
    for index, (label, share) in enumerate(shares):
        width = WIDTH * share
        if width > 0:
            parts.append(f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="28" fill="{PALETTE[index]}"/>')
        parts.append(f'<text x="{index * 200}" y="48" font-size="12">{escape(label)} {share:.1%}</text>')
        x += width
    parts.append("</svg>")
    return "".join(parts)
