// Map of events with places: country outlines shipped with the page (world-atlas), no tile server.

import { getJSON, status } from "../api.js";
import { el, fill } from "../dom.js";
import { actorInput, actorList, field, remember } from "../common.js";

let outlines = null;

async function countries() {
  if (!outlines) {
    const response = await fetch("/static/vendor/countries-110m.json");
    const topo = await response.json();
    outlines = window.topojson.feature(topo, topo.objects.countries);
    outlines.features = outlines.features.filter((f) => f.id !== "010").map(unwrap); // 010: Antarctica
  }
  return outlines;
}

/** Shift the western half of a country crossing the 180th meridian east, so Leaflet draws no band across the map. */
function unwrap(feature) {
  const rings = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const crosses = rings.some((polygon) => polygon.some((ring) =>
    ring.some((point, i) => i > 0 && Math.abs(point[0] - ring[i - 1][0]) > 180)));
  if (!crosses) return feature;
  for (const polygon of rings) for (const ring of polygon) for (const point of ring) if (point[0] < 0) point[0] += 360;
  return feature;
}

function popup(place, params) {
  const events = `#/events?place=${encodeURIComponent(place.name || "")}`
    + (params.actor ? `&actor=${encodeURIComponent(params.actor)}` : "")
    + (params.since ? `&since=${encodeURIComponent(params.since)}` : "")
    + (params.until ? `&until=${encodeURIComponent(params.until)}` : "");
  return el("div", { class: "popup" },
    el("strong", {}, place.name || "?"), ` (${place.country || "?"})`, el("br"),
    `${place.n} events: ${place.cooperation} cooperation, ${place.conflict} conflict`, el("br"),
    el("a", { href: events }, "Read them"));
}

export async function render(root, params) {
  const actor = actorInput("actor", params.actor, "any actor");
  const since = el("input", { name: "since", value: params.since || "", placeholder: "2022-01", size: 10 });
  const until = el("input", { name: "until", value: params.until || "", placeholder: "2023-12", size: 10 });
  const form = el("form", { class: "controls" }, field("Actor", actor), field("Since", since), field("Until", until),
    el("button", { type: "submit" }, "Show"), actorList());
  const box = el("div", { id: "map", class: "map" });
  const summary = el("p", { class: "summary" });
  fill(root, el("h1", {}, "Map of events"), form, summary, box);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    remember("map", { actor: actor.value.trim(), since: since.value.trim(), until: until.value.trim() });
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
  const L = window.L;
  const map = L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: 9 }).setView([30, 20], 2);
  map.attributionControl.setPrefix("Leaflet");
  try {
    L.geoJSON(await countries(), {
      style: { color: "#8a96a3", weight: 0.6, fillColor: "#e9edf1", fillOpacity: 1 },
      attribution: "Natural Earth (world-atlas)",
    }).addTo(map);
    const found = await getJSON("/places", { actor: params.actor, since: params.since, until: params.until });
    const total = found.places.reduce((sum, p) => sum + p.n, 0);
    summary.textContent = `${found.places.length} places, ${total} located events. Circle size: events; colour: blue cooperation, red conflict.`;
    const markers = [];
    for (const place of found.places) {
      const conflictShare = place.n ? place.conflict / place.n : 0;
      const color = conflictShare > 0.5 ? "#c0392b" : conflictShare > 0 ? "#8e44ad" : "#1f5fa8";
      const marker = L.circleMarker([place.lat, place.lon], {
        radius: 4 + 3 * Math.sqrt(place.n), color, weight: 1, fillColor: color, fillOpacity: 0.55,
      }).bindPopup(() => popup(place, params));
      marker.addTo(map);
      markers.push(marker);
    }
    if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), { maxZoom: 5 });
  } catch (err) {
    status(err.message, true);
  }
}
