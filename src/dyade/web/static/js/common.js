// Pieces shared by the views: actor inputs, the series chart, the paged event list.

import { getJSON, status } from "./api.js";
import { QUADS, el, eventCard, fill } from "./dom.js";

const EMBED = () => ({
  actions: false,
  renderer: "svg",
  ast: true, // no eval: expressions run in Vega's interpreter (the page's CSP forbids eval)
  expr: window.vegaInterpreter.expressionInterpreter,
});

/** Render a Vega or Vega-Lite spec into `node`; resolves to the Vega view. */
export async function embed(node, spec) {
  const result = await window.vegaEmbed(node, spec, EMBED());
  return result.view;
}

let actorTimer = null;

/** A text input for an actor code or country, completed from GET /actors. */
export function actorInput(name, value, placeholder) {
  const input = el("input", { name, value: value || "", placeholder, list: "actor-list", size: 10,
    autocomplete: "off", spellcheck: "false" });
  input.addEventListener("input", () => {
    clearTimeout(actorTimer);
    actorTimer = setTimeout(() => completeActors(input.value), 200);
  });
  return input;
}

/** The shared <datalist> of actor suggestions. */
export function actorList() {
  return el("datalist", { id: "actor-list" });
}

async function completeActors(text) {
  const list = document.getElementById("actor-list");
  if (!list) return;
  try {
    const found = await getJSON("/actors", { q: text.trim(), limit: 15 });
    const options = [
      ...found.countries.map((c) => el("option", { value: c.code, label: `${c.name} (country, ${c.n})` })),
      ...found.actors.filter((a) => a.code.length > 3)
        .map((a) => el("option", { value: a.code, label: `${a.name || a.code} (${a.n})` })),
    ];
    fill(list, options);
  } catch (err) {
    status(err.message, true);
  }
}

/** Chart rows from series periods: one per (period, quad class); conflict counts below zero. */
function seriesRows(periods) {
  const rows = [];
  for (const p of periods) {
    const date = p.period.length === 4 ? `${p.period}-01-01` : p.period.length === 7 ? `${p.period}-01` : p.period;
    for (const quad of [1, 2, 3, 4]) {
      const count = p.quad[String(quad)] || 0;
      if (!count) continue;
      rows.push({ period: p.period, date, quad, label: QUADS[quad].label, count, signed: quad >= 3 ? -count : count });
    }
  }
  return rows;
}

const TIME_UNITS = { year: "utcyear", month: "utcyearmonth", day: "utcyearmonthdate" };

/** A Vega-Lite spec: stacked bars per period by quad class, mean Goldstein as a line. */
export function seriesSpec(series) {
  const unit = TIME_UNITS[series.by] || "utcyearmonth";
  const x = { field: "date", type: "temporal", timeUnit: unit, title: null };
  const gold = series.periods.filter((p) => p.goldstein_mean !== null).map((p) => ({
    period: p.period, goldstein: p.goldstein_mean, n: p.n,
    date: p.period.length === 4 ? `${p.period}-01-01` : p.period.length === 7 ? `${p.period}-01` : p.period,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: "container", height: 280, autosize: { type: "fit", contains: "padding" },
    layer: [
      {
        data: { values: seriesRows(series.periods) },
        mark: { type: "bar", cursor: "pointer" },
        encoding: {
          x,
          y: { field: "signed", type: "quantitative", stack: "zero", title: "events (conflict below 0)" },
          color: { field: "label", type: "nominal", title: null, legend: { orient: "top" },
            scale: { domain: [1, 2, 3, 4].map((q) => QUADS[q].label), range: [1, 2, 3, 4].map((q) => QUADS[q].color) } },
          tooltip: [{ field: "period", title: "period" }, { field: "label", title: "quad class" },
            { field: "count", title: "events" }],
        },
      },
      {
        data: { values: gold },
        mark: { type: "line", point: true, color: "#333", strokeDash: [4, 3], cursor: "pointer" },
        encoding: {
          x,
          y: { field: "goldstein", type: "quantitative", scale: { domain: [-10, 10] }, title: "mean Goldstein",
            axis: { orient: "right" } },
          tooltip: [{ field: "period" }, { field: "goldstein", title: "mean Goldstein" }, { field: "n", title: "events" }],
        },
      },
    ],
    resolve: { scale: { y: "independent" } },
  };
}

/** Draw a series chart; clicking a bar or point calls onPick(period). */
export async function seriesChart(node, series, onPick) {
  if (!series.periods.length) {
    fill(node, el("p", { class: "empty" }, "No dated event for this choice."));
    return null;
  }
  const view = await embed(node, seriesSpec(series));
  view.addEventListener("click", (_event, item) => {
    const datum = item && item.datum;
    if (datum && datum.period) onPick(datum.period);
  });
  return view;
}

/** A paged list of events from GET /events with these filters; "More" follows next_cursor. */
export async function eventList(node, params, title) {
  const list = el("div", { class: "event-items" });
  const more = el("button", { type: "button", class: "more", hidden: true }, "More events");
  const count = el("span", { class: "count" });
  fill(node, el("h2", {}, title || "Events", " ", count), list, more);
  let cursor = null;
  const load = async (first) => {
    more.disabled = true;
    try {
      const page = await getJSON("/events", { ...params, limit: 50, cursor, total: first ? "true" : undefined });
      if (first) count.textContent = `(${page.total})`;
      for (const record of page.items) list.append(eventCard(record, page.articles[record.article_id]));
      if (first && !page.items.length) list.append(el("p", { class: "empty" }, "No event matches."));
      cursor = page.next_cursor;
      more.hidden = !cursor;
    } catch (err) {
      status(err.message, true);
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", () => load(false));
  await load(true);
}

/** Record the view's state in the address bar without re-rendering (links stay shareable). */
export function remember(view, params) {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  const text = new URLSearchParams(clean).toString();
  history.replaceState(null, "", `#/${view}${text ? `?${text}` : ""}`);
}

/** A labelled form field. */
export function field(label, input) {
  return el("label", { class: "field" }, el("span", {}, label), input);
}
