// DOM helpers. Article text is untrusted: it only ever goes into textContent, never innerHTML.

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A link to an outside page, only for http(s) addresses (a `javascript:` URL stays plain text). */
export function safeLink(url, label) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") {
      return el("a", { href: parsed.href, rel: "noopener noreferrer nofollow", target: "_blank" }, label);
    }
  } catch (_) { /* not a URL */ }
  return el("span", {}, label);
}

export const QUADS = {
  1: { label: "verbal cooperation", color: "#7fb3e0" },
  2: { label: "material cooperation", color: "#1f5fa8" },
  3: { label: "verbal conflict", color: "#f4a259" },
  4: { label: "material conflict", color: "#c0392b" },
};

/** The spans to highlight for an event: source, target, predicate (absolute offsets). */
export function eventSpans(record) {
  const spans = [];
  const add = (part, cls) => {
    if (part && Number.isInteger(part.start) && Number.isInteger(part.end) && part.end > part.start) {
      spans.push({ start: part.start, end: part.end, cls });
    }
  };
  add(record.source, "src");
  add(record.target, "tgt");
  add(record.evidence && record.evidence.trigger, "pred");
  return spans;
}

/**
 * Split `text` (whose first character is at offset `base` of the article) into runs covered by
 * the same spans; returns [{text, classes, owners}] where owners are the spans' `owner` values.
 */
export function runs(text, base, spans) {
  const cuts = new Set([0, text.length]);
  const local = [];
  for (const span of spans) {
    const start = Math.max(0, Math.min(text.length, span.start - base));
    const end = Math.max(0, Math.min(text.length, span.end - base));
    if (end <= start) continue;
    local.push({ ...span, start, end });
    cuts.add(start);
    cuts.add(end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const covering = local.filter((s) => s.start <= from && s.end >= to);
    out.push({
      text: text.slice(from, to),
      classes: [...new Set(covering.map((s) => s.cls))],
      owners: [...new Set(covering.map((s) => s.owner).filter((o) => o !== undefined))],
    });
  }
  return out;
}

/** The evidence sentence of an event with source, target and predicate marked. */
export function highlightedSentence(record) {
  const evidence = record.evidence || {};
  const text = evidence.text || "";
  const aligned = Number.isInteger(evidence.start) && evidence.end - evidence.start === text.length;
  const node = el("blockquote", { class: "evidence" });
  for (const run of runs(text, aligned ? evidence.start : 0, aligned ? eventSpans(record) : [])) {
    if (!run.classes.length) node.append(document.createTextNode(run.text));
    else node.append(el("mark", { class: run.classes.join(" ") }, run.text));
  }
  return node;
}

/** "Source -> Target" with names, or the codes when there is no name. */
export function actorLabel(actor) {
  if (!actor) return "—";
  return actor.name ? `${actor.name} (${actor.code || actor.country || "?"})` : actor.code || actor.country || "?";
}

/** One event as a card: what, who, when, where, the sentence, a link to the article. */
export function eventCard(record, article) {
  const quad = record.cameo && QUADS[record.cameo.quad_class];
  const plover = record.plover || {};
  const flags = [record.negated && "negated", record.background && "background",
    record.modality && record.modality !== "asserted" && record.modality].filter(Boolean);
  const head = el("div", { class: "event-head" },
    el("span", { class: "date" }, record.event_date || "undated"),
    el("span", { class: `type quad${record.cameo ? record.cameo.quad_class : ""}`, title: quad ? quad.label : "" },
      plover.type || "?", plover.mode ? ` (${plover.mode})` : ""),
    el("span", { class: "who" }, el("span", { class: "src-label" }, actorLabel(record.source)), " → ",
      el("span", { class: "tgt-label" }, actorLabel(record.target))),
    record.cameo && record.cameo.goldstein !== null ? el("span", { class: "goldstein" }, `Goldstein ${record.cameo.goldstein}`) : null,
    record.location ? el("span", { class: "place" }, record.location.name) : null,
    flags.length ? el("span", { class: "flags" }, flags.join(", ")) : null,
    record.n_mentions > 1 ? el("span", { class: "mentions" }, `${record.n_mentions} mentions`) : null);
  const meta = article || {};
  const foot = el("div", { class: "event-foot" },
    el("a", { href: `#/article/${encodeURIComponent(record.article_id)}?event=${encodeURIComponent(record.event_id)}`,
      class: "article-link" }, meta.title || record.article_id),
    meta.source ? ` · ${meta.source}` : "", meta.published ? ` · ${meta.published}` : "");
  return el("article", { class: "event", dataset: { eventId: record.event_id } }, head, highlightedSentence(record), foot);
}

/** Empty a node and put new children in. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}
