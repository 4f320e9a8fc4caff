// The timeline page's "Embed this view" code: kept in step with the filters the reader has
// chosen since the page loaded (the reading view changes the address without reloading), and
// copied to the clipboard with one click.

const FILTERS = ["q", "actor", "place", "category", "verification", "source", "date_from", "date_to", "at"];

function embedAddress(base) {
  const here = new URLSearchParams(window.location.search);
  const kept = new URLSearchParams();
  for (const [key, value] of here) {
    if (FILTERS.includes(key)) kept.append(key, value);
  }
  const url = new URL(base);
  url.search = kept.toString();
  return url.toString();
}

function setUp(panel) {
  const code = panel.querySelector("[data-embed-html]");
  const copy = panel.querySelector("[data-embed-copy]");
  const status = panel.querySelector("[data-embed-status]");
  const base = code.dataset.embedSrc;
  const refresh = () => {
    const template = document.createElement("template");
    template.innerHTML = code.value;
    const frame = template.content.querySelector("iframe");
    if (!frame) return;
    frame.setAttribute("src", embedAddress(base));
    code.value = frame.outerHTML;
  };
  panel.addEventListener("toggle", () => { if (panel.open) refresh(); });
  code.addEventListener("focus", () => { refresh(); code.select(); });
  if (!navigator.clipboard) return;
  copy.hidden = false;
  copy.addEventListener("click", async () => {
    refresh();
    try {
      await navigator.clipboard.writeText(code.value);
      status.textContent = "Copied.";
    } catch {
      code.select();
      status.textContent = "Press Ctrl+C (⌘C) to copy the selected code.";
    }
  });
}

document.querySelectorAll("[data-embed-code]").forEach(setUp);
