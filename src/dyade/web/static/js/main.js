// The dashboard's router: `#/view?param=value` picks a view and gives it its parameters.

import { status } from "./api.js";
import { el, fill } from "./dom.js";
import * as article from "./views/article.js";
import * as dyad from "./views/dyad.js";
import * as events from "./views/events.js";
import * as map from "./views/map.js";
import * as network from "./views/network.js";
import * as timeline from "./views/timeline.js";

const VIEWS = { dyad, network, timeline, map, events, article };

function parse(hash) {
  const [path, search] = (hash.replace(/^#\/?/, "") || "dyad").split("?");
  const parts = path.split("/").map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(search || ""));
  if (parts[0] === "article") params.id = parts.slice(1).join("/");
  return { name: parts[0], params };
}

async function route() {
  const { name, params } = parse(location.hash);
  const view = VIEWS[name] || dyad;
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.view === name);
  status("");
  const root = document.getElementById("view");
  const fresh = el("div", { class: `view view-${name}` });
  fill(root, fresh);
  document.body.dataset.view = name;
  try {
    await view.render(fresh, params);
  } catch (err) {
    status(err.message, true);
  }
  document.body.dataset.ready = name;
}

window.addEventListener("hashchange", () => {
  delete document.body.dataset.ready;
  route();
});
route();
