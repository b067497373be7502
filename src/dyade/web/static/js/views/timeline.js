// Actor timeline: one actor's events per period, click a bar for its events.

import { getJSON, status } from "../api.js";
import { el, fill } from "../dom.js";
import { actorInput, actorList, eventList, field, remember, seriesChart } from "../common.js";

export async function render(root, params) {
  let actor = params.actor;
  if (!actor) {
    const found = await getJSON("/actors", { limit: 1 });
    actor = found.countries.length ? found.countries[0].code : "TUR";
  }
  const by = params.by || "month";
  const input = actorInput("actor", actor, "TUR");
  const type = el("input", { name: "type", value: params.type || "", placeholder: "ASSAULT,COERCE", size: 14 });
  const form = el("form", { class: "controls" }, field("Actor", input), field("PLOVER types", type),
    el("button", { type: "submit" }, "Show"), actorList());
  const chart = el("div", { id: "timeline-chart", class: "chart" });
  const summary = el("p", { class: "summary" });
  const events = el("section", { id: "events-list" });
  fill(root, el("h1", {}, "Actor timeline"), form, summary, chart, events);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember("timeline", { actor: input.value.trim(), type: type.value.trim(), by });
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
  const filters = { actor, type: params.type || undefined };
  const pick = (period) => {
    remember("timeline", { ...params, actor, period });
    eventList(events, { ...filters, since: period, until: period }, `Events of ${actor} in ${period}`);
  };
  try {
    const series = await getJSON(`/actors/${encodeURIComponent(actor)}/series`, { by, type: params.type || undefined });
    const total = series.periods.reduce((sum, p) => sum + p.n, 0);
    summary.textContent = `${series.actor}: ${total} dated events as source or target. Click a bar to read them.`;
    await seriesChart(chart, series, pick);
    if (params.period) pick(params.period);
  } catch (err) {
    status(err.message, true);
    fill(chart, el("p", { class: "error" }, err.message));
  }
}
