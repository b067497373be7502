// Article view: the full text with every event's sentence, source, target and predicate highlighted.

import { getJSON, status } from "../api.js";
import { el, eventCard, eventSpans, fill, runs, safeLink } from "../dom.js";

/** The article text as runs of plain text and marks; each mark knows the events it belongs to. */
function markedText(text, events) {
  const spans = [];
  events.forEach((record, owner) => {
    const ev = record.evidence || {};
    if (Number.isInteger(ev.start) && ev.end > ev.start) spans.push({ start: ev.start, end: ev.end, cls: "sent", owner });
    for (const span of eventSpans(record)) spans.push({ ...span, owner });
  });
  const node = el("div", { class: "article-text", id: "article-text" });
  for (const run of runs(text, 0, spans)) {
    if (!run.classes.length) {
      node.append(document.createTextNode(run.text));
      continue;
    }
    const tag = run.classes.some((c) => c !== "sent") ? "mark" : "span";
    node.append(el(tag, { class: run.classes.join(" "), dataset: { events: run.owners.join(" ") } }, run.text));
  }
  return node;
}

function select(root, events, index) {
  for (const node of root.querySelectorAll(".selected")) node.classList.remove("selected");
  if (index < 0) return;
  const owned = [...root.querySelectorAll("#article-text [data-events]")]
    .filter((node) => node.dataset.events.split(" ").includes(String(index)));
  for (const node of owned) node.classList.add("selected");
  const card = root.querySelector(`.event[data-event-id="${CSS.escape(events[index].event_id)}"]`);
  if (card) card.classList.add("selected");
  (owned[0] || card)?.scrollIntoView({ block: "center" });
}

export async function render(root, params) {
  const id = params.id;
  fill(root, el("p", {}, "Loading…"));
  let article;
  try {
    article = await getJSON(`/articles/${encodeURIComponent(id)}`);
  } catch (err) {
    status(err.message, true);
    fill(root, el("p", { class: "error" }, err.message));
    return;
  }
  const events = article.events;
  const meta = el("p", { class: "meta" }, [article.source, article.published].filter(Boolean).join(" · "),
    article.url ? " · " : "", article.url ? safeLink(article.url, "original") : "",
    ` · ${events.length} event(s) · id ${article.id}`);
  const legend = el("p", { class: "legend" }, el("mark", { class: "src" }, "source"), " ",
    el("mark", { class: "tgt" }, "target"), " ", el("mark", { class: "pred" }, "predicate"), " ",
    el("span", { class: "sent" }, "sentence of an event"));
  const body = article.text !== null
    ? markedText(article.text, events)
    : el("p", { class: "empty" }, "The store does not hold this article's text (serve with --texts FILE to add it).");
  const cards = el("div", { class: "article-events" },
    ...events.map((record, i) => {
      const card = eventCard(record, article);
      card.addEventListener("click", (event) => {
        if (event.target.closest("a")) return;
        select(root, events, i);
      });
      return card;
    }));
  fill(root, el("h1", { id: "article-title" }, article.title || article.id), meta, legend,
    el("div", { class: "article-layout" }, body, cards));
  body.addEventListener?.("click", (event) => {
    const owners = event.target.dataset && event.target.dataset.events;
    if (owners) select(root, events, Number(owners.split(" ")[0]));
  });
  const wanted = events.findIndex((record) => record.event_id === params.event);
  if (wanted >= 0) select(root, events, wanted);
}
