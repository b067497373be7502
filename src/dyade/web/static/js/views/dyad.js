// Dyad view: two actors, their events per month by quad class and Goldstein; click a month for its events.

import { getJSON, status } from "../api.js";
import { el, fill } from "../dom.js";
import { actorInput, actorList, eventList, field, remember, seriesChart } from "../common.js";

export async function render(root, params) {
  let { a, b } = params;
  if (!a || !b) {
    const stats = await getJSON("/stats");
    const top = stats.top_dyads[0];
    a = a || (top ? top.a : "TUR");
    b = b || (top ? top.b : "RUS");
  }
  const by = params.by || "month";
  const inputA = actorInput("a", a, "TUR");
  const inputB = actorInput("b", b, "RUS");
  const bySelect = el("select", { name: "by" }, ...["month", "year", "day"].map((v) =>
    el("option", { value: v, selected: v === by }, v)));
  const form = el("form", { class: "controls" }, field("Actor A", inputA), field("Actor B", inputB),
    field("per", bySelect), el("button", { type: "submit" }, "Show"), actorList());
  const chart = el("div", { id: "dyad-chart", class: "chart" });
  const summary = el("p", { class: "summary" });
  const events = el("section", { id: "events-list" });
  fill(root, el("h1", {}, "Dyad"), form, summary, chart, events);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/dyad?a=${encodeURIComponent(inputA.value.trim())}&b=${encodeURIComponent(inputB.value.trim())}&by=${bySelect.value}`;
  });

  const pair = `${a},${b}`;
  const pick = (period) => {
    remember("dyad", { a, b, by, period });
    eventList(events, { dyad: pair, since: period, until: period }, `Events ${a}–${b} in ${period}`);
  };
  try {
    const series = await getJSON(`/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/series`, { by });
    const total = series.periods.reduce((sum, p) => sum + p.n, 0);
    const left = series.excluded.undated + series.excluded.too_coarse;
    summary.textContent = `${series.a}–${series.b}: ${total} dated events in ${series.periods.length} period(s)`
      + (left ? `; ${left} more with no date precise enough to place by ${by}` : "")
      + ". Click a bar to read its events.";
    await seriesChart(chart, series, pick);
    if (params.period) pick(params.period);
    else eventList(events, { dyad: pair, sort: "-date" }, `Latest events ${a}–${b}`);
  } catch (err) {
    status(err.message, true);
    fill(chart, el("p", { class: "error" }, err.message));
  }
}
