// Keyboard review in the admin: j/k move between drafts, a accepts, r rejects, e edits, x selects.
// Moving to a draft highlights and scrolls to its cited span in the article text.

const drafts = [...document.querySelectorAll(".draft")];
const form = document.getElementById("review-form");

function spanFor(draft) {
  return document.getElementById(`span-${draft.dataset.citation}`);
}

function highlight(draft) {
  document.querySelectorAll(".review-span.current").forEach((m) => m.classList.remove("current"));
  document.querySelectorAll(`mark[data-citations~="${draft.dataset.citation}"]`)
    .forEach((m) => m.classList.add("current"));
  const span = spanFor(draft);
  if (span) span.scrollIntoView({ block: "center", behavior: "smooth" });
}

function focusDraft(index) {
  if (!drafts.length) return;
  drafts[Math.max(0, Math.min(index, drafts.length - 1))].focus();
}

function act(draft, verb) {
  const control = draft.querySelector(`[data-verb="${verb}"]`);
  if (!control) return;
  if (control.tagName === "A") {
    window.location.assign(control.href);
  } else {
    form.requestSubmit(control);
  }
}

drafts.forEach((draft) => draft.addEventListener("focus", () => highlight(draft)));

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input[type=text], textarea, select")) return;
  const current = drafts.indexOf(document.activeElement.closest(".draft"));
  switch (event.key) {
    case "j": focusDraft(current + 1); break;
    case "k": focusDraft(current < 0 ? 0 : current - 1); break;
    case "a": if (current >= 0) act(drafts[current], "accept"); break;
    case "r": if (current >= 0) act(drafts[current], "reject"); break;
    case "e": if (current >= 0) act(drafts[current], "edit"); break;
    case "x": {
      if (current < 0) return;
      const box = drafts[current].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
      break;
    }
    default: return;
  }
  event.preventDefault();
});
