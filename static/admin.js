// The admin's one enhancement: select words in a passage to quote them in a new claim.
// The form works without it (type the quote and pick the passage); with it, a selection
// fills in the passage, the exact quote and its offsets. Offsets are counted in UTF-16 code
// units, as the DOM counts them; the server converts them to code points against the text.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("claim-form");
  if (!form) return;
  document.addEventListener("mouseup", fill);
  document.addEventListener("keyup", (e) => { if (e.shiftKey) fill(); });

  function fill() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const block = closestBlock(range.startContainer);
    if (!block || block !== closestBlock(range.endContainer)) return;
    const start = offsetIn(block, range.startContainer, range.startOffset);
    const end = offsetIn(block, range.endContainer, range.endOffset);
    const text = block.dataset.text;
    if (start < 0 || end <= start || text.slice(start, end) !== range.toString()) return;
    form.elements.block.value = block.dataset.key;
    form.elements.quote.value = text.slice(start, end);
    form.elements.start16.value = start;
    form.elements.end16.value = end;
    form.elements.occurrence.value = "";
  }

  function closestBlock(node) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return el && el.closest("[data-key]");
  }

  // offsetIn counts the characters of block's text before (node, offset). Footnote markers
  // are shown as superscripts but are "[^N]" in the text, so the text walk follows the
  // rendered text nodes and maps them back onto the data-text string in order.
  function offsetIn(block, node, offset) {
    const text = block.dataset.text;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let pos = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = text.indexOf(n.data, pos);
      if (at < 0) return -1;
      if (n === node) return at + offset;
      pos = at + n.data.length;
    }
    return -1;
  }
});

// A missing actor is added without leaving the page: each "New actor" disclosure posts its
// name to /admin/actors.json (same-origin, so the admin's cross-origin protection lets it
// through, with the session cookie), adds the actor to the speaker, holder and reported-by
// lists, and chooses it in the list it was asked from. The words selected in a passage stay
// in the form. Without the script the Add button submits the whole form, which comes back
// with everything kept.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("claim-form");
  if (!form) return;
  const lists = ["speaker", "holder", "reported_by"].map((n) => form.elements[n]).filter(Boolean);
  const status = form.querySelector(".added-actor");

  form.addEventListener("click", (e) => {
    const button = e.target.closest("button[name=add_actor]");
    if (!button) return;
    e.preventDefault();
    add(button.closest("details.new-actor"));
  });
  // Enter in a single-line field presses the form's first button, the hidden Save: in a new
  // actor's name it adds that actor instead, without leaving the page.
  form.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.isComposing || e.target.tagName !== "INPUT") return;
    e.preventDefault();
    const box = e.target.closest("details.new-actor");
    if (box) add(box);
    else form.requestSubmit(form.querySelector("button[name=save]"));
  });

  async function add(box) {
    const role = box.dataset.for;
    const name = box.querySelector("[data-role=name]");
    const kind = box.querySelector("[data-role=kind]");
    const error = box.querySelector("[data-role=error]");
    const say = (msg) => {
      error.textContent = msg;
      name.setAttribute("aria-invalid", msg ? "true" : "false");
      if (msg) name.focus();
    };
    if (!name.value.trim()) return say("Type the new actor's name first.");
    let answer, body;
    try {
      answer = await fetch("/admin/actors.json", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ name: name.value, kind: kind.value }),
      });
      body = await answer.json();
    } catch {
      return say("The actor could not be added: the server did not answer. Nothing was lost; try again.");
    }
    if (!answer.ok) return say(body.error || "The actor could not be added.");
    say("");
    for (const list of lists) {
      const option = new Option(body.name, body.slug);
      list.add(option);
      if (list.name === role) list.value = body.slug;
    }
    name.value = "";
    box.open = false;
    form.elements[role].focus();
    if (status) status.textContent = "Added " + body.name + " to the lists, and chose them where you asked.";
  }
});

// The claim panel sticks to the top of the window, and scrolls inside itself. Before the
// page is scrolled it starts lower down, below the source's title, so a fixed max-height
// would leave its bottom (the stance fields and Save) below the window: its height is
// fitted to the window from wherever its top is now. Without the script the stylesheet's
// height holds, and scrolling the page a little brings the bottom into view.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector(".claim-form-wrap");
  if (!panel) return;
  let queued = false;
  const fit = () => {
    queued = false;
    if (getComputedStyle(panel).position !== "sticky") {
      panel.style.maxHeight = "";
      return;
    }
    const top = Math.max(panel.getBoundingClientRect().top, 8);
    panel.style.maxHeight = Math.max(innerHeight - top - 8, 240) + "px";
  };
  const queue = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(fit);
    }
  };
  addEventListener("scroll", queue, { passive: true });
  addEventListener("resize", queue);
  fit();
});

// The import form is a form of its own, but what the editor has typed into the source form
// below it (a field the page may not state: where it was captured, the notes...) goes with
// the import, which keeps every field the page does not fill. The text is left behind: the
// import replaces it.
for (const imp of document.querySelectorAll("form.import-form")) {
  imp.addEventListener("submit", () => {
    const src = document.querySelector("form.source-form");
    if (!src) return;
    for (const old of imp.querySelectorAll("input[data-copied]")) old.remove();
    for (const el of src.elements) {
      if (!el.name || el.name === "text" || el.type === "file" || el.type === "submit" || el.type === "button") continue;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) continue;
      // The preview's review of the old text (kinds, keeps, fingerprints) is not the new one's.
      if (/^(kind|keep|seen)-/.test(el.name) || el.name === "op") continue;
      const copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = el.name;
      copy.value = el.value;
      copy.dataset.copied = "";
      imp.append(copy);
    }
  });
}
