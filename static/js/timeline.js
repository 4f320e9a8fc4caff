// The timeline page, enhanced: filters apply as you change them, every state is a URL (back and
// forward work), earlier and later items load in place, and the axis (overview.js) steers the
// reading view and follows it. Without this script the same page works through plain links and a
// GET form.

import { PlaceMap } from "./map.js";
import { Overview } from "./overview.js";

const app = document.getElementById("timeline-app");

function readData(root) {
  const script = root.querySelector("#timeline-data");
  return script ? JSON.parse(script.textContent) : null;
}

function parseHTML(html) {
  return new DOMParser().parseFromString(html, "text/html");
}

async function fetchPage(url) {
  const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok && response.status !== 400) throw new Error(`The page answered ${response.status}.`);
  return parseHTML(await response.text());
}

if (app) {
  document.documentElement.classList.add("js");
  const baseUrl = app.dataset.baseUrl;
  let data = readData(document);
  let overview = null;
  let placeMap = null;
  let observer = null;
  let pending = null;
  let shown = location.pathname + location.search; // the URL the reading view shows, fragment aside

  const reading = () => app.querySelector("[data-reading]");
  const form = () => app.querySelector("form[data-filters]");
  const lanesAsked = () => {
    const lanes = new URLSearchParams(location.search).get("lanes");
    return lanes === "actor" || lanes === "place" ? lanes : "category";
  };

  // Focus follows a jump: to the item (or the day's first item) the reading view now shows.
  function reveal(target) {
    if (!target) return;
    const item = target.matches("article.item") ? target : target.querySelector("article.item") || target;
    item.scrollIntoView({ block: "start" });
    if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
    item.focus({ preventScroll: true });
  }

  // An item chosen on the axis: marked in the list and scrolled to, loaded first if need be.
  async function showItem(item) {
    const find = () => app.querySelector(`[data-window] #${CSS.escape(item.anchor)}`);
    if (!find()) {
      const url = new URL(location.href);
      for (const key of ["at", "after", "before"]) url.searchParams.delete(key);
      url.searchParams.set("at", item.start);
      await navigate(url.pathname + url.search);
    }
    const target = find();
    if (!target) return;
    for (const marked of app.querySelectorAll("article.axis-selected")) marked.classList.remove("axis-selected");
    target.classList.add("axis-selected");
    reveal(target);
  }

  // Lanes by actor or place have counts of their own, read once per set of filters.
  async function axisData(pageData) {
    const lanes = lanesAsked();
    if (lanes === "category" || !pageData) return pageData;
    const params = new URLSearchParams(location.search);
    for (const key of ["at", "after", "before"]) params.delete(key);
    params.set("lanes", lanes);
    params.set("unit", pageData.unit === "week" ? "week" : "day");
    const response = await fetch(`${pageData.url}axis-lanes.json?${params}`, { headers: { Accept: "application/json" } });
    if (!response.ok) return pageData;
    const answer = await response.json();
    return { ...pageData, lanes: answer.lanes, bins: answer.bins, unit: answer.unit };
  }

  function drawLegend(lanes) {
    const legend = app.querySelector("[data-overview] .legend");
    if (!legend || lanesAsked() === "category") return;
    legend.replaceChildren(
      ...lanes
        .filter((lane) => lane.count)
        .map((lane) => {
          const li = document.createElement("li");
          const swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.setAttribute("aria-hidden", "true");
          swatch.style.backgroundColor = lane.colour;
          const count = document.createElement("span");
          count.className = "count";
          count.textContent = String(lane.count);
          li.append(swatch, `${lane.name} `, count);
          return li;
        }),
    );
  }

  async function showLanes(pageData) {
    if (!overview || !pageData) return;
    const source = location.search;
    const shownData = await axisData(pageData);
    if (source !== location.search) return; // the reader moved on meanwhile
    overview.laneBy = lanesAsked();
    const choice = app.querySelector("[data-lanes]");
    if (choice) choice.value = overview.laneBy;
    overview.setData(shownData, { source });
    drawLegend(shownData.lanes);
  }

  function jumpTo(isoDate) {
    // Already loaded? Scroll there instead of asking the server.
    const days = [...app.querySelectorAll(".day[data-date]")];
    const loaded = days.length && days[0].dataset.date <= isoDate && isoDate <= days[days.length - 1].dataset.date;
    const earlierLink = app.querySelector("[data-more=earlier]");
    const laterLink = app.querySelector("[data-more=later]");
    if (loaded || (days.length && !earlierLink && !laterLink)) {
      reveal(days.find((day) => day.dataset.date >= isoDate) || days[days.length - 1]);
      return;
    }
    const url = new URL(location.href);
    for (const key of ["at", "after", "before"]) url.searchParams.delete(key);
    url.searchParams.set("at", isoDate);
    navigate(url.pathname + url.search).then(() => reveal(app.querySelector(".day[data-date]")));
  }

  function filterUrl() {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form())) {
      if (String(value).trim() !== "") params.append(key, String(value).trim());
    }
    const query = params.toString();
    return query ? `${baseUrl}?${query}` : baseUrl;
  }

  // Replace the parts of the page that depend on the URL, keeping focus where it was.
  function swap(doc) {
    const active = document.activeElement;
    const activeId = active && active.id;
    // Only text fields have a caret to keep (setSelectionRange throws on checkboxes).
    const selection = active && active.type === "search" ? [active.selectionStart, active.selectionEnd] : null;
    const actorsScroll = app.querySelector(".checklist.actors")?.scrollTop || 0;
    for (const selector of ["[data-reading]", ".filters", ".legend", ".jump"]) {
      const fresh = doc.querySelector(`#timeline-app ${selector}`);
      const current = app.querySelector(selector);
      if (fresh && current) current.replaceWith(fresh);
      else if (current && !fresh) current.remove();
    }
    const legendless = !app.querySelector(".legend") && doc.querySelector(".legend");
    if (legendless) app.querySelector("[data-overview]").append(doc.querySelector(".legend"));
    const actors = app.querySelector(".checklist.actors");
    if (actors) actors.scrollTop = actorsScroll;
    if (activeId) {
      const again = document.getElementById(activeId);
      if (again && again !== document.activeElement) {
        again.focus({ preventScroll: true });
        if (selection && again.type === "search") again.setSelectionRange(...selection);
      }
    }
    data = readData(doc);
    showLanes(data);
    if (placeMap && data) placeMap.setData(data);
    document.title = doc.title;
    bindPage();
  }

  async function navigate(url, { push = true, scroll = false } = {}) {
    if (pending) pending.abort?.();
    const controller = new AbortController();
    pending = controller;
    reading()?.classList.add("loading");
    reading()?.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { headers: { Accept: "text/html" }, signal: controller.signal });
      const doc = parseHTML(await response.text());
      if (controller !== pending) return;
      if (push && url !== location.pathname + location.search) history.pushState({ timeline: true }, "", url);
      shown = location.pathname + location.search;
      swap(doc);
      if (scroll) reading()?.scrollIntoView({ block: "start" });
    } catch (error) {
      if (error.name !== "AbortError") location.assign(url); // fall back to a plain page load
    } finally {
      if (controller === pending) pending = null;
      reading()?.classList.remove("loading");
      reading()?.removeAttribute("aria-busy");
    }
  }

  // Earlier or later items, added to the reading view in place.
  async function loadMore(link) {
    const direction = link.dataset.more;
    link.setAttribute("aria-busy", "true");
    const doc = await fetchPage(link.href);
    const freshDays = doc.querySelector("[data-days]");
    const days = app.querySelector("[data-days]");
    const freshLink = doc.querySelector(`[data-more=${direction}]`);
    const paragraph = link.closest(".more");
    if (freshDays && days) {
      const groups = [...freshDays.children];
      if (direction === "later") {
        const last = days.lastElementChild;
        if (last && groups[0] && groups[0].dataset.label === last.dataset.label) {
          last.querySelector(".items").append(...groups.shift().querySelector(".items").children);
        }
        days.append(...groups);
      } else {
        const first = days.firstElementChild;
        if (first && groups.length && groups[groups.length - 1].dataset.label === first.dataset.label) {
          first.querySelector(".items").prepend(...groups.pop().querySelector(".items").children);
        }
        days.prepend(...groups);
      }
      const newData = readData(doc);
      if (data && data.window && newData && newData.window) {
        data.window = [
          newData.window[0] < data.window[0] ? newData.window[0] : data.window[0],
          newData.window[1] > data.window[1] ? newData.window[1] : data.window[1],
        ];
        overview?.setWindow(data.window);
      }
      observeDays();
    }
    if (freshLink) {
      paragraph.replaceWith(freshLink.closest(".more"));
    } else {
      paragraph.remove();
    }
    const next = app.querySelector(`[data-more=${direction}]`);
    if (next && document.activeElement === document.body) next.focus();
  }

  // Tell the overview which days are on screen.
  function observeDays() {
    if (!overview || !("IntersectionObserver" in window)) return;
    observer?.disconnect();
    const onScreen = new Set();
    observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) onScreen.add(entry.target);
        else onScreen.delete(entry.target);
      }
      const dates = [...onScreen].map((day) => day.dataset.date).sort();
      overview.setVisible(dates.length ? [dates[0], dates[dates.length - 1]] : null);
    });
    app.querySelectorAll(".day[data-date]").forEach((day) => observer.observe(day));
  }

  // Later items load by themselves when their link scrolls near the screen.
  let autoLoad = null;
  function watchLater() {
    if (!("IntersectionObserver" in window)) return;
    autoLoad?.disconnect();
    const link = app.querySelector("[data-more=later]");
    if (!link) return;
    autoLoad = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !link.getAttribute("aria-busy")) {
          autoLoad.disconnect();
          loadMore(link).then(watchLater, () => {});
        }
      },
      { rootMargin: "400px 0px" },
    );
    autoLoad.observe(link);
  }

  // On a phone the filters start folded, so the first event is on the first screen; the
  // reader's choice (and what they typed in "Find an actor") then holds across navigations.
  let filtersOpen = !window.matchMedia("(max-width: 40rem)").matches;
  let actorQuery = "";

  function findActors(query) {
    actorQuery = query;
    const words = query.trim().toLowerCase();
    for (const label of app.querySelectorAll(".checklist.actors > label")) {
      const input = label.querySelector("input");
      label.hidden = words !== "" && !input.checked && !label.textContent.toLowerCase().includes(words);
    }
  }

  function bindFilterPanel() {
    const panel = app.querySelector("[data-filters-panel]");
    if (panel && !panel.dataset.bound) {
      panel.dataset.bound = "1";
      panel.open = filtersOpen;
      panel.addEventListener("toggle", () => { filtersOpen = panel.open; });
    }
    const find = app.querySelector("[data-facet-find]");
    if (find && find.hidden) {
      find.hidden = false;
      const input = find.querySelector("input");
      input.value = actorQuery;
      findActors(actorQuery);
      input.addEventListener("input", () => findActors(input.value));
    }
  }

  let typing = null;
  function bindPage() {
    bindFilterPanel();
    const filters = form();
    if (filters && !filters.dataset.bound) {
      filters.dataset.bound = "1";
      filters.addEventListener("submit", (event) => {
        event.preventDefault();
        navigate(filterUrl());
      });
      filters.addEventListener("change", (event) => {
        if (event.target.name === "q" || !event.target.name) return; // "Find an actor" is no filter
        navigate(filterUrl());
      });
      filters.addEventListener("input", (event) => {
        if (event.target.name !== "q") return;
        clearTimeout(typing);
        typing = setTimeout(() => navigate(filterUrl()), 400);
      });
    }
    observeDays();
    watchLater();
  }

  app.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (link.dataset.more) {
      event.preventDefault();
      loadMore(link).then(watchLater, () => location.assign(link.href));
    } else if (link.matches("[data-nav], .jump a, .filters .actions a")) {
      event.preventDefault();
      navigate(link.getAttribute("href"), { scroll: link.closest(".jump") !== null });
    }
  });

  // A fragment link (the skip link, a day's anchor) also fires popstate: only a new query reloads.
  window.addEventListener("popstate", () => {
    const url = location.pathname + location.search;
    if (url !== shown) navigate(url, { push: false });
  });

  // A click on the map: that place's events only, or all places again.
  function togglePlace(slug) {
    const url = new URL(location.href);
    const chosen = url.searchParams.getAll("place");
    url.searchParams.delete("place");
    for (const key of ["at", "after", "before"]) url.searchParams.delete(key);
    const next = chosen.includes(slug) ? chosen.filter((s) => s !== slug) : [...chosen, slug];
    for (const place of next) url.searchParams.append("place", place);
    navigate(url.pathname + url.search);
  }

  const band = app.querySelector("[data-overview]");
  if (band && data) {
    overview = new Overview(band, data, {
      onJump: jumpTo,
      onView: (start, end) => placeMap?.setRange(start, end),
      onSelect: showItem,
      laneBy: "category",
    });
    app.overview = overview; // for the benchmark and the browser tests
    if (lanesAsked() !== "category") showLanes(data);
    // The axis sticks to the top as the list scrolls: what else sticks goes below it.
    const overviewSection = app.querySelector(".overview");
    new ResizeObserver(() => {
      app.style.setProperty("--axis-height", `${overviewSection.offsetHeight}px`);
    }).observe(overviewSection);
    band.querySelector("[data-lanes]")?.addEventListener("change", (event) => {
      const url = new URL(location.href);
      if (event.target.value === "category") url.searchParams.delete("lanes");
      else url.searchParams.set("lanes", event.target.value);
      navigate(url.pathname + url.search);
    });
  }
  const mapRoot = app.querySelector("[data-map]");
  if (mapRoot && data && window.d3 && window.topojson) {
    placeMap = new PlaceMap(mapRoot, data, { onPlace: togglePlace });
    if (overview) placeMap.setRange(overview.viewStart, overview.viewEnd);
    app.placeMap = placeMap;
  }
  bindPage();
  // For the benchmark: when the page, with its overview, first has everything drawn.
  requestAnimationFrame(() => performance.mark("timeline-ready"));
}
