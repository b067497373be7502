// Event list: every filter of GET /events, sorted, paged.

import { el, fill } from "../dom.js";
import { actorInput, actorList, eventList, field, remember } from "../common.js";

const FIELDS = [
  ["actor", "Actor", "TUR"], ["dyad", "Dyad", "TUR,RUS"], ["country", "Country", "SYR"],
  ["type", "PLOVER types", "ASSAULT,COERCE"], ["quad", "Quad classes", "3,4"], ["since", "Since", "2022-01"],
  ["until", "Until", "2023-12"], ["place", "Place", "Idleb"], ["q", "Words in sentence", "cessez-le-feu"],
];
const SORTS = ["date", "-date", "goldstein", "-goldstein", "confidence", "-confidence"];

export async function render(root, params) {
  const inputs = {};
  for (const [name, , placeholder] of FIELDS) {
    inputs[name] = name === "actor" ? actorInput(name, params[name], placeholder)
      : el("input", { name, value: params[name] || "", placeholder, size: 12 });
  }
  const sort = el("select", { name: "sort" }, ...SORTS.map((s) => el("option", { value: s, selected: s === (params.sort || "date") }, s)));
  const form = el("form", { class: "controls" }, ...FIELDS.map(([name, label]) => field(label, inputs[name])),
    field("Sort", sort), el("button", { type: "submit" }, "Search"), actorList());
  const list = el("section", { id: "events-list" });
  fill(root, el("h1", {}, "Events"), form, list);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = { sort: sort.value };
    for (const [name, input] of Object.entries(inputs)) next[name] = input.value.trim();
    remember("events", next);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
  const filters = {};
  for (const [name] of FIELDS) if (params[name]) filters[name] = params[name];
  await eventList(list, { ...filters, sort: params.sort || "date" }, "Events");
}
