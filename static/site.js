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
