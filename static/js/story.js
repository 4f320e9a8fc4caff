// Story mode, enhanced: ← and → (or a swipe, or Previous and Next) move between slides in place,
// the URL follows (back and forward work), and the move is announced. Every slide is a page of
// its own, so without this script the same links simply load it.

const root = document.querySelector("[data-story]");
// The parts of the page that change from slide to slide, replaced from the next slide's page.
const PARTS = ["[data-story-bar]", "[data-story-stage]", "[data-story-nav]", "[data-story-axis]"];
const SWIPE_PX = 50; // a shorter or more vertical move scrolls, as it would anywhere

function parseHTML(html) {
  return new DOMParser().parseFromString(html, "text/html");
}

if (root) {
  document.documentElement.classList.add("js");
  const pages = new Map(); // URL -> Promise of its parsed page: neighbours are fetched ahead
  const announcer = root.querySelector("[data-story-announce]");
  let moving = 0; // the latest move wins when keys are pressed faster than pages arrive

  function load(url) {
    if (!pages.has(url)) {
      const page = fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" }).then(
        async (response) => {
          if (!response.ok) throw new Error(`The story answered ${response.status}.`);
          return parseHTML(await response.text());
        },
      );
      page.catch(() => pages.delete(url)); // try again next time
      pages.set(url, page);
    }
    return pages.get(url);
  }

  function stepLink(direction) {
    return root.querySelector(`[data-story-nav] [data-story-go=${direction}]`);
  }

  function prefetchNeighbours() {
    for (const direction of ["previous", "next"]) {
      const link = stepLink(direction);
      if (link) load(link.href).catch(() => {});
    }
  }

  function announce(text) {
    // Emptied first, so that the same words twice (two title slides) are read twice.
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function slide() {
    return root.querySelector("#slide");
  }

  async function go(url, { push = true, via = null } = {}) {
    const move = ++moving;
    let doc;
    try {
      doc = await load(url);
    } catch {
      window.location.assign(url); // the server will say what is wrong, as a page
      return;
    }
    if (move !== moving) return;
    const focusWasInStage = root.querySelector("[data-story-stage]").contains(document.activeElement);
    for (const selector of PARTS) {
      const fresh = doc.querySelector(selector);
      const current = root.querySelector(selector);
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      else if (current) current.remove();
      else if (fresh) root.querySelector(PARTS[PARTS.indexOf(selector) - 1]).after(document.importNode(fresh, true));
    }
    const crumbs = doc.querySelector(".breadcrumbs");
    const currentCrumbs = document.querySelector(".breadcrumbs");
    if (crumbs && currentCrumbs) currentCrumbs.replaceWith(document.importNode(crumbs, true));
    document.title = doc.title;
    if (push) history.pushState({ story: true }, "", url);

    // Focus stays on the control that moved (press Next again to go on), unless it is gone (the
    // last slide has no Next); after a key or a swipe it goes to the slide, as after a link.
    const control = via && root.querySelector(`[data-story-nav] [data-story-go=${via}]`);
    if (control) control.focus();
    else if (via || focusWasInStage || document.activeElement === document.body) {
      slide().focus({ preventScroll: true });
    }
    const top = slide().getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) slide().scrollIntoView({ block: "start" });
    announce(slide().dataset.announcement || "");
    prefetchNeighbours();
  }

  function step(direction, via = null) {
    const link = stepLink(direction);
    if (link) go(link.href, { via });
  }

  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const inStory = link.closest("[data-story-nav], [data-story-axis], .story-show") || link.dataset.storyGo;
    if (!inStory || new URL(link.href).pathname !== location.pathname) return;
    event.preventDefault();
    const via = link.closest("[data-story-nav]") ? link.dataset.storyGo : null;
    go(link.href, { via });
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "ArrowRight") {
      event.preventDefault();
      const next = stepLink("next") || root.querySelector("[data-story-go=start]");
      if (next) go(next.href);
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      step("previous");
    }
  });

  // Swipes: a touch or pen moved mostly sideways over the slide.
  let start = null;
  root.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" || !event.target.closest("[data-story-stage]")) return;
    start = { x: event.clientX, y: event.clientY, id: event.pointerId };
  });
  root.addEventListener("pointerup", (event) => {
    if (!start || event.pointerId !== start.id) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    start = null;
    if (Math.abs(dx) < SWIPE_PX || Math.abs(dx) < 1.5 * Math.abs(dy)) return;
    if (dx < 0) {
      const next = stepLink("next") || root.querySelector("[data-story-go=start]");
      if (next) go(next.href);
    } else {
      step("previous");
    }
  });
  root.addEventListener("pointercancel", () => {
    start = null;
  });

  // An outlet's picture that does not load (moved, or refused to other sites) is left out.
  root.addEventListener(
    "error",
    (event) => {
      const figure = event.target.closest && event.target.closest(".slide-image");
      if (!figure) return;
      figure.closest(".slide").classList.remove("with-image");
      figure.remove();
    },
    true,
  );

  window.addEventListener("popstate", () => {
    go(location.href, { push: false });
  });

  prefetchNeighbours();
}
