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
