// Sourcebook's small enhancements. Every page works without this file.
//
// On a page opened at a passage anchor, move keyboard focus to the passage, so keyboard and
// screen-reader users land where sighted users see the highlight.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("li.block.current") ||
    (location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1))));
  if (target && target.matches("li.block")) {
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
});

// Search as you type: under the search box, the first matches of what has been typed so far,
// each a link to its passage, claim or record, and a link to all of them. Enter still
// submits the search; Escape hides the matches.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.search-box[data-live]");
  const input = form?.querySelector("input[name=q]");
  const live = form?.querySelector(".live");
  if (!form || !input || !live) return;
  let timer, pending;
  const hide = () => { live.hidden = true; live.replaceChildren(); };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) { pending?.abort(); hide(); return; }
    timer = setTimeout(async () => {
      pending?.abort();
      pending = new AbortController();
      try {
        const r = await fetch(form.dataset.live + "?per_page=6&q=" + encodeURIComponent(q), { signal: pending.signal });
        if (!r.ok) { hide(); return; }
        show(await r.json(), q);
      } catch (e) {
        if (e.name !== "AbortError") hide();
      }
    }, 150);
  });
  input.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });

  function show(res, q) {
    const all = document.createElement("a");
    all.href = "/search?q=" + encodeURIComponent(q);
    const summary = document.createElement("p");
    summary.className = "meta";
    if (res.hits.length === 0) {
      summary.textContent = "Nothing matches “" + q + "” yet.";
      live.replaceChildren(summary);
    } else {
      all.textContent = (res.total_exact ? "all " : "more than ") + res.total + " results";
      summary.append("First matches; ", all, ".");
      const list = document.createElement("ol");
      for (const h of res.hits) {
        const li = document.createElement("li");
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = h.kind === "block" ? "passage" : h.kind;
        const link = document.createElement("a");
        link.href = h.url;
        link.textContent = h.title;
        const snippet = document.createElement("p");
        snippet.className = "snippet";
        snippet.append(...marked(h.snippet_html));
        li.append(kind, " ", link, snippet);
        list.append(li);
      }
      live.replaceChildren(summary, list);
    }
    live.hidden = false;
  }

  // marked turns the API's snippet HTML (escaped text with <mark>s) into nodes, keeping only
  // text and marks whatever else it might hold.
  function marked(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    return [...doc.body.childNodes].map((n) => {
      if (n.nodeName !== "MARK") return document.createTextNode(n.textContent);
      const m = document.createElement("mark");
      m.textContent = n.textContent;
      return m;
    });
  }
});
