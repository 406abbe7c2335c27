// An accreditation body's status history as a timeline: one row per arrangement × activity (× standard),
// one bar per dated status on a shared date axis. Status is told by colour, by pattern AND by words
// (each bar carries its status and dates as text), so the chart does not depend on colour vision.

import { h } from "./dom.js";
import { period } from "./format.js";
import { describe } from "./vocabulary.js";

const DAY = 86_400_000;
const time = (iso) => Date.parse(`${iso}T00:00:00Z`);

function rowKey(status) {
  return [status.arrangement.code, status.activity || "activity not stated", status.standard].filter(Boolean).join(" · ");
}

/** The axis: whole years around every dated status and today, so ticks fall on 1 January. */
function axisBounds(statuses, today) {
  const dates = [today];
  for (const status of statuses) {
    if (status.validFrom) dates.push(status.validFrom);
    if (status.validTo) dates.push(status.validTo);
  }
  const years = dates.map((iso) => Number(iso.slice(0, 4)));
  const first = Math.min(...years);
  const last = Math.max(...years) + 1;
  return { start: time(`${first}-01-01`), end: time(`${last}-01-01`), first, last };
}

function yearTicks(first, last) {
  const span = last - first;
  const step = [1, 2, 5, 10, 20, 50].find((candidate) => span / candidate <= 8) || 100;
  const ticks = [];
  for (let year = Math.ceil(first / step) * step; year <= last; year += step) ticks.push(year);
  return ticks;
}

export function renderTimeline(statuses, today) {
  const { start, end, first, last } = axisBounds(statuses, today);
  const fraction = (ms) => Math.min(1, Math.max(0, (ms - start) / (end - start)));
  const percent = (value) => `${(value * 100).toFixed(3)}%`;

  const rows = new Map();
  for (const status of statuses) {
    const key = rowKey(status);
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(status);
  }

  const ticks = yearTicks(first, last).map((year) => {
    const tick = h("span", { class: "timeline__tick" }, String(year));
    tick.style.left = percent(fraction(time(`${year}-01-01`)));
    return tick;
  });
  const todayLine = () => {
    const marker = h("span", { class: "timeline__today", title: `today, ${today}` });
    marker.style.left = percent(fraction(time(today)));
    return marker;
  };

  const rowElements = [...rows.entries()].map(([key, records]) => {
    const bars = records
      .slice()
      .sort((a, b) => (a.validFrom || "").localeCompare(b.validFrom || ""))
      .map((status) => {
        const from = status.validFrom ? fraction(time(status.validFrom)) : 0;
        // validTo is the last day it holds: the bar ends at the end of that day.
        const to = status.validTo ? fraction(time(status.validTo) + DAY) : 1;
        const label = `${status.status} ${period(status.validFrom, status.validTo)}`;
        const bar = h("li", {
          class: [
            "timeline__bar", `timeline__bar--${status.status.toLowerCase()}`,
            status.validFrom ? "" : "timeline__bar--open-start", status.validTo ? "" : "timeline__bar--open-end",
          ].filter(Boolean).join(" "),
          title: status.reportedSince ? `${label} (reported since ${status.reportedSince})` : label,
          dataset: { status: status.status },
        }, h("span", { class: "timeline__bar-text" }, label));
        bar.style.left = percent(from);
        bar.style.width = percent(Math.max(0, to - from));
        return bar;
      });
    return h("li", { class: "timeline__row" },
      h("span", { class: "timeline__label" }, key),
      h("div", { class: "timeline__track" },
        h("ol", { class: "timeline__bars", "aria-label": `statuses in ${key}` }, bars), todayLine()));
  });

  return h("figure", { class: "timeline" },
    h("figcaption", {}, `Status history, ${first} – ${last}; the thin line marks today (${today}).`),
    h("div", { class: "timeline__grid" },
      h("div", { class: "timeline__axis", "aria-hidden": "true" }, h("span", { class: "timeline__label" }),
        h("div", { class: "timeline__track" }, ticks, todayLine())),
      h("ol", { class: "timeline__rows" }, rowElements)),
    legend(statuses));
}

function legend(statuses) {
  const present = [...new Set(statuses.map((status) => status.status))];
  return h("ul", { class: "timeline__legend", "aria-label": "legend" }, present.map((status) =>
    h("li", {}, h("span", { class: `timeline__swatch timeline__bar--${status.toLowerCase()}`, "aria-hidden": "true" }),
      `${describe("SignatoryStatus", status).label} (${status})`)));
}
