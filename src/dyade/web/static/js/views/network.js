// Actor network for a period: a force layout of who acts on whom; click a node or an edge to drill down.

import { getJSON, status } from "../api.js";
import { el, fill } from "../dom.js";
import { embed, field, remember } from "../common.js";

/** One undirected link per pair of actors, summing both directions. */
function pairs(edges) {
  const byPair = new Map();
  for (const e of edges) {
    const [from, to] = e.source < e.target ? [e.source, e.target] : [e.target, e.source];
    const key = `${from} ${to}`;
    const link = byPair.get(key) || { from, to, n: 0, cooperation: 0, conflict: 0 };
    link.n += e.n;
    link.cooperation += e.cooperation;
    link.conflict += e.conflict;
    byPair.set(key, link);
  }
  return [...byPair.values()];
}

function networkSpec(graph, width) {
  const index = new Map(graph.nodes.map((node, i) => [node.id, i]));
  const links = pairs(graph.edges).map((e) => ({
    ...e, source: index.get(e.from), target: index.get(e.to), balance: e.n ? (e.cooperation - e.conflict) / e.n : 0,
  }));
  return {
    $schema: "https://vega.github.io/schema/vega/v6.json",
    width, height: 540, autosize: "none",
    signals: [{ name: "cx", update: "width / 2" }, { name: "cy", update: "height / 2" }],
    data: [{ name: "node-data", values: graph.nodes }, { name: "link-data", values: links }],
    scales: [
      { name: "size", type: "sqrt", domain: { data: "node-data", field: "n" }, range: [60, 1400] },
      { name: "width", type: "sqrt", domain: { data: "link-data", field: "n" }, range: [1, 9] },
      { name: "tone", type: "linear", domain: [-1, 0, 1], range: ["#c0392b", "#b0b0b0", "#1f5fa8"] },
    ],
    marks: [
      {
        name: "nodes", type: "symbol", zindex: 1, from: { data: "node-data" },
        encode: { enter: { fill: { value: "#3d4a5c" }, stroke: { value: "#fff" }, cursor: { value: "pointer" },
          size: { scale: "size", field: "n" }, tooltip: { signal: "datum.label + ' — ' + datum.n + ' events'" } } },
        transform: [{ type: "force", iterations: 300, static: true, forces: [
          { force: "center", x: { signal: "cx" }, y: { signal: "cy" } },
          { force: "collide", radius: 22 },
          { force: "nbody", strength: -160 },
          { force: "link", links: "link-data", distance: 110 },
        ] }],
      },
      {
        type: "path", from: { data: "link-data" }, interactive: true,
        encode: { update: { stroke: { scale: "tone", field: "balance" }, strokeWidth: { scale: "width", field: "n" },
          strokeOpacity: { value: 0.75 }, cursor: { value: "pointer" },
          tooltip: { signal: "datum.from + ' – ' + datum.to + ': ' + datum.n + ' events (' + datum.cooperation + ' cooperation, ' + datum.conflict + ' conflict)'" } } },
        transform: [{ type: "linkpath", shape: "line", sourceX: "datum.source.x", sourceY: "datum.source.y",
          targetX: "datum.target.x", targetY: "datum.target.y" }],
      },
      {
        type: "text", from: { data: "nodes" }, interactive: false,
        encode: { update: { x: { field: "x" }, y: { field: "y" }, dy: { value: -12 }, align: { value: "center" },
          text: { field: "datum.label" }, fontSize: { value: 12 }, fill: { value: "#111" } } },
      },
    ],
  };
}

export async function render(root, params) {
  const inputs = {
    since: el("input", { name: "since", value: params.since || "", placeholder: "2022-01", size: 10 }),
    until: el("input", { name: "until", value: params.until || "", placeholder: "2023-12", size: 10 }),
    type: el("input", { name: "type", value: params.type || "", placeholder: "ASSAULT,COERCE", size: 14 }),
    min_count: el("input", { name: "min_count", type: "number", min: 1, value: params.min_count || 1, size: 4 }),
  };
  const level = el("select", { name: "level" }, ...["country", "code"].map((v) =>
    el("option", { value: v, selected: v === (params.level || "country") }, v === "country" ? "countries" : "actor codes")));
  const form = el("form", { class: "controls" }, field("Since", inputs.since), field("Until", inputs.until),
    field("PLOVER types", inputs.type), field("Min. events", inputs.min_count), field("Nodes", level),
    el("button", { type: "submit" }, "Show"));
  const chart = el("div", { id: "network-chart", class: "chart network" });
  const legend = el("p", { class: "summary" }, "Edge colour: blue cooperation, red conflict; width: number of events. ",
    "Click a node for its timeline, an edge for the dyad.");
  fill(root, el("h1", {}, "Actor network"), form, legend, chart);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = { level: level.value };
    for (const [key, input] of Object.entries(inputs)) next[key] = input.value.trim();
    remember("network", next);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
  try {
    const graph = await getJSON("/network", { since: params.since, until: params.until, type: params.type,
      min_count: params.min_count, level: params.level, limit: 150 });
    if (!graph.edges.length) {
      fill(chart, el("p", { class: "empty" }, "No edge between two actors for this choice."));
      return;
    }
    const view = await embed(chart, networkSpec(graph, Math.max(400, chart.clientWidth || 900)));
    view.addEventListener("click", (_event, item) => {
      if (!item || !item.datum) return;
      const d = item.datum;
      if (d.from && d.to) location.hash = `#/dyad?a=${encodeURIComponent(d.from)}&b=${encodeURIComponent(d.to)}`;
      else if (d.id) location.hash = `#/timeline?actor=${encodeURIComponent(d.id)}`;
    });
  } catch (err) {
    status(err.message, true);
    fill(chart, el("p", { class: "error" }, err.message));
  }
}
