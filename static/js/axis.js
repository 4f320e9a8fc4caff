// The axis's labelled items: over the overview's lanes, each item of the window in view as a bar
// for the time it covers (dashed when its date is uncertain) with its title and first actor
// under it, wherever they fit; a lane where they do not keeps the overview's density bars.
//
// Items come from axis.json, for a window somewhat wider than the view, only when the counts the
// page already has say the view holds few enough items to label; so a crisis of 100,000 events
// never sends more than one bounded window's items, and zooming or panning within it only moves
// the elements already made.

import { dayNumber } from "./overview.js";

export const ROW_HEIGHT = 22;
// Past this many items in view (by the page's counts) no lane could label them all: no request.
const FETCH_LIMIT = 250;
const LABEL_MAX = 170;
const GAP = 6;
const FETCH_DELAY_MS = 120;

// The days an item covers, [start, end): a range as given, an uncertain date as its whole week,
// month or year.
function extent(item) {
  const start = dayNumber(item.start);
  if (item.end) return [start, dayNumber(item.end) + 1];
  const date = new Date(start * 86400000);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (item.precision === "week") {
    const monday = start - ((date.getUTCDay() + 6) % 7);
    return [monday, monday + 7];
  }
  if (item.precision === "month") return [Date.UTC(y, m, 1) / 86400000, Date.UTC(y, m + 1, 1) / 86400000];
  if (item.precision === "year") return [Date.UTC(y, 0, 1) / 86400000, Date.UTC(y + 1, 0, 1) / 86400000];
  return [start, start + 1];
}

function labelText(item) {
  const actor = item.actors[0];
  if (!actor) return item.title;
  return item.kind === "event" ? `${item.title} · ${actor[1]}` : `${actor[1]}: ${item.title}`;
}

export class AxisItems {
  constructor(root, card, overview, { onSelect }) {
    this.root = root;
    this.card = card;
    this.overview = overview;
    this.onSelect = onSelect;
    this.items = []; // the loaded window's items, in the timeline's order
    this.loaded = null; // [start, end) days of the loaded window
    this.complete = false;
    this.source = ""; // the filters the loaded window was read with
    this.elements = new Map(); // one per item and lane it shows in
    this.selected = null;
    this.focused = null;
    this.pending = null;
    this.timer = null;
    this.ruler = document.createElement("canvas").getContext("2d");
    this.ruler.font = "12px system-ui, sans-serif";
    this.bind();
  }

  // The filters changed: what is loaded no longer answers for them.
  reset(source) {
    if (source === this.source) return;
    this.source = source;
    this.pending?.abort();
    this.pending = null;
    this.items = [];
    this.loaded = null;
    this.complete = false;
    for (const element of this.elements.values()) element.remove();
    this.elements.clear();
    this.focused = null;
  }

  // The lanes an item shows in (indices into the overview's lanes).
  lanesOf(item) {
    const { lanes, laneBy } = this.overview;
    const keys = laneBy === "actor" ? item.actors.map((a) => a[0]) : laneBy === "place" ? item.places : [item.lane];
    const rows = [];
    lanes.forEach((lane, row) => {
      if (keys.includes(lane.slug)) rows.push(row);
    });
    if (!rows.length && laneBy !== "category") rows.push(lanes.length - 1); // the others' lane
    return rows;
  }

  // Ask for the view's items when they could be labelled and are not loaded yet.
  want(start, end, inView) {
    if (inView > FETCH_LIMIT || inView === 0) return;
    if (this.covers(start, end)) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fetch(start, end), this.loaded ? FETCH_DELAY_MS : 0);
  }

  async fetch(start, end) {
    const o = this.overview;
    // A margin of a view's width each side, for panning, unless it holds too many to label.
    const span = end - start;
    let from = Math.floor(Math.max(start - span, o.first));
    let to = Math.ceil(Math.min(end + span, o.last));
    const count = (a, b) => o.lanes.reduce((n, lane) => n + o.count(lane.index, a, b), 0);
    if (count(from, to + 1) > FETCH_LIMIT) {
      from = Math.floor(Math.max(start, o.first));
      to = Math.ceil(Math.min(end, o.last));
    }
    const url = new URL(this.overview.data.url + "axis.json", location.href);
    const params = new URLSearchParams(this.source);
    for (const key of ["at", "after", "before", "lanes"]) params.delete(key);
    params.set("start", new Date(from * 86400000).toISOString().slice(0, 10));
    params.set("end", new Date(to * 86400000).toISOString().slice(0, 10));
    url.search = params.toString();
    this.pending?.abort();
    const controller = new AbortController();
    this.pending = controller;
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const answer = await response.json();
      if (controller !== this.pending) return;
      this.items = answer.items.map((item) => {
        const [s, e] = extent(item);
        const label = labelText(item);
        return { ...item, s, e, label, width: Math.min(LABEL_MAX, Math.ceil(this.ruler.measureText(label).width) + 8) };
      });
      // Past the first or last item there is nothing more to load.
      this.loaded = [from <= this.overview.first ? -Infinity : from, to >= this.overview.last ? Infinity : to + 1];
      this.complete = answer.complete;
      this.overview.draw();
      performance.mark("axis-items");
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    } finally {
      if (controller === this.pending) this.pending = null;
    }
  }

  covers(start, end) {
    return this.loaded !== null && this.loaded[0] <= start && end <= this.loaded[1];
  }

  // Place the items in view, lane by lane, each with its label or, where a label has no room, as
  // a bar alone. Returns, per lane (row of the overview) that has its items here, those that
  // found no room at all: the overview counts them in a strip of density bars.
  layout() {
    const o = this.overview;
    const labelled = new Map();
    const shown = new Set();
    if (this.complete && this.covers(o.viewStart, o.viewEnd)) {
      const perLane = o.lanes.map(() => []);
      for (const item of this.items) {
        if (item.e <= o.viewStart || item.s >= o.viewEnd) continue;
        for (const row of this.lanesOf(item)) perLane[row]?.push(item);
      }
      perLane.forEach((items, row) => {
        const [placed, overflow] = this.place(items);
        labelled.set(row, overflow);
        for (const [item, x, y, width, barLeft, barWidth, bare] of placed) {
          shown.add(this.show(item, row, x, row * o.laneHeight + 2 + y * ROW_HEIGHT, width, barLeft, barWidth, bare));
        }
      });
    }
    // The item the keyboard is on stays in sight, over the bars if its lane has no labels.
    if (this.focused && !shown.has(this.focused.key)) {
      const item = this.focused.item;
      const row = this.lanesOf(item)[0] ?? 0;
      const x0 = o.x(item.s);
      const x = Math.max(0, Math.min(x0, o.width - item.width));
      shown.add(this.show(item, row, x, row * o.laneHeight + 2, item.width, x0 - x, Math.max(6, o.x(item.e) - x0), false, true));
    }
    for (const [key, element] of this.elements) {
      if (!shown.has(key) && !element.hidden) element.hidden = true;
    }
    this.rove();
    return labelled;
  }

  // Greedy rows: each item in the first row with room for its label from its start, else for
  // its bar alone (its card still names it), else among the lane's overflow.
  place(items) {
    const o = this.overview;
    const ends = new Array(o.rowsPerLane).fill(-Infinity);
    const placed = [];
    const overflow = [];
    for (const item of items) {
      const x0 = o.x(item.s);
      const barWidth = Math.max(6, o.x(item.e) - x0);
      // A label starts where its bar does, or at the left edge for a range begun before the view.
      const x = Math.max(0, x0);
      const bar = Math.min(barWidth - (x - x0), o.width - x);
      const width = Math.max(Math.min(item.width, o.width - x), bar);
      let row = width >= 40 ? ends.findIndex((end) => end + GAP <= x) : -1;
      const bare = row < 0;
      if (bare) row = ends.findIndex((end) => end + 2 <= x);
      if (row < 0) {
        overflow.push(item);
        continue;
      }
      ends[row] = x + (bare ? bar : width);
      placed.push([item, x, row, bare ? bar : width, x0 - x, barWidth, bare]);
    }
    return [placed, overflow];
  }

  show(item, row, x, y, width, barLeft, barWidth, bare = false, forced = false) {
    const key = `${item.cursor}@${row}`;
    let element = this.elements.get(key);
    if (!element) {
      element = this.make(item, row, key);
      this.elements.set(key, element);
    }
    element.hidden = false;
    element.style.transform = `translate(${Math.round(x)}px, ${y}px)`;
    element.style.width = `${Math.round(width)}px`;
    const bar = element.firstChild;
    bar.style.left = `${Math.round(barLeft)}px`;
    bar.style.width = `${Math.round(barWidth)}px`;
    element.classList.toggle("forced", forced);
    element.classList.toggle("bare", bare);
    return key;
  }

  make(item, row, key) {
    const lane = this.overview.lanes[row];
    const element = document.createElement("a");
    element.className = `axis-item axis-${item.kind}`;
    if (item.end) element.classList.add("range");
    if (item.precision !== "day" || item.fallback) element.classList.add("uncertain");
    element.href = `#${item.anchor}`;
    element.tabIndex = -1;
    element.dataset.key = key;
    element.dataset.cursor = item.cursor;
    const bar = document.createElement("span");
    bar.className = "axis-bar";
    bar.setAttribute("aria-hidden", "true");
    bar.style.backgroundColor = lane?.colour || "#444b53";
    bar.style.borderColor = lane?.colour || "#444b53";
    const when = document.createElement("span");
    when.className = "visually-hidden";
    when.textContent = `${item.date_label}${item.precision !== "day" ? " (date not exact)" : ""}: `;
    const label = document.createElement("span");
    label.className = "axis-label";
    label.textContent = item.label;
    element.append(bar, when, label);
    element.axisItem = item;
    this.root.append(element);
    return element;
  }

  // One item of the axis takes Tab (the selected one, or the first in view); arrows do the rest.
  rove() {
    const visible = [...this.root.querySelectorAll(".axis-item:not([hidden])")];
    let current = visible.find((el) => el.tabIndex === 0);
    if (!current) {
      current =
        visible.find((el) => this.selected && el.dataset.cursor === this.selected) ||
        visible.reduce((best, el) => (!best || el.dataset.cursor < best.dataset.cursor ? el : best), null);
      if (current) current.tabIndex = 0;
    }
    for (const el of this.root.querySelectorAll(".axis-item[tabindex='0']")) {
      if (el !== current && el !== document.activeElement) el.tabIndex = -1;
    }
    this.root.hidden = false;
  }

  focusItem(item) {
    const o = this.overview;
    if (item.s < o.viewStart || item.s + 1 > o.viewEnd) o.centreOn(item.s);
    // Hiding the element that had the focus blurs it (and clears this.focused): keep our own.
    const focused = { item, key: null };
    this.focused = focused;
    o.draw();
    const element = [...this.elements.values()].find((el) => el.axisItem === item && !el.hidden);
    if (!element) return;
    focused.key = element.dataset.key;
    this.focused = focused;
    for (const el of this.root.querySelectorAll(".axis-item[tabindex='0']")) el.tabIndex = -1;
    element.tabIndex = 0;
    element.focus();
  }

  step(element, by) {
    const index = this.items.indexOf(element.axisItem);
    if (Math.abs(by) === 1 && (index + by < 0 || index + by >= this.items.length)) {
      this.beyond(by);
      return;
    }
    const next = this.items[Math.max(0, Math.min(this.items.length - 1, index + by))];
    if (next && next !== element.axisItem) this.focusItem(next);
  }

  // Past the first or last loaded item: on to the nearest day with items, by the page's counts,
  // whose window is then loaded.
  async beyond(direction) {
    const o = this.overview;
    const edge = direction > 0 ? this.loaded?.[1] : this.loaded?.[0];
    if (edge === undefined || !Number.isFinite(edge)) return;
    const busy = (day) => o.lanes.some((lane) => o.count(lane.index, day, day + 1) > 0);
    let day = direction > 0 ? edge : edge - 1;
    while (day >= o.first && day < o.last && !busy(day)) day += direction;
    if (day < o.first || day >= o.last) return;
    o.centreOn(day + 0.5);
    await this.fetch(o.viewStart, o.viewEnd);
    const ahead = this.items.filter((item) => (direction > 0 ? item.s >= day : item.s <= day));
    const next = direction > 0 ? ahead[0] : ahead[ahead.length - 1];
    if (next) this.focusItem(next);
  }

  select(item) {
    this.selected = item.cursor;
    for (const el of this.elements.values()) {
      const on = el.axisItem === item;
      el.classList.toggle("selected", on);
      if (on) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
    }
    this.onSelect(item);
  }

  showCard(element) {
    const item = element.axisItem;
    const card = this.card;
    card.replaceChildren();
    const add = (tag, className, text) => {
      const node = document.createElement(tag);
      node.className = className;
      node.textContent = text;
      card.append(node);
      return node;
    };
    const exact = item.precision === "day" && !item.fallback;
    add("p", "axis-card-date", `${item.date_label}${exact ? "" : " · date not exact"} · ${item.category}`);
    add("p", "axis-card-title", item.title);
    if (item.actors.length) add("p", "axis-card-actors", item.actors.map((a) => a[1]).join(", "));
    if (item.citation) {
      const quote = add("blockquote", "axis-card-citation", `“${item.citation.excerpt}”`);
      const outlet = document.createElement("cite");
      outlet.textContent = ` ${item.citation.outlet}`;
      quote.append(outlet);
    }
    card.hidden = false;
    const stage = this.root.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    const left = Math.max(0, Math.min(box.left - stage.left, stage.width - card.offsetWidth));
    card.style.left = `${Math.round(left)}px`;
    card.style.top = `${Math.round(box.bottom - stage.top + 4)}px`;
    element.setAttribute("aria-describedby", card.id);
  }

  hideCard(element) {
    this.card.hidden = true;
    element?.removeAttribute("aria-describedby");
  }

  bind() {
    const itemOf = (event) => event.target.closest?.(".axis-item");
    this.root.addEventListener("click", (event) => {
      const element = itemOf(event);
      if (!element) return;
      event.preventDefault();
      this.select(element.axisItem);
    });
    this.root.addEventListener("keydown", (event) => {
      const element = itemOf(event);
      if (!element) return;
      const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -1e6, End: 1e6 };
      if (event.key in moves) {
        event.preventDefault();
        this.step(element, moves[event.key]);
      } else if (event.key === "Escape") {
        this.hideCard(element);
      }
    });
    this.root.addEventListener("focusin", (event) => {
      const element = itemOf(event);
      if (!element) return;
      this.focused = { item: element.axisItem, key: element.dataset.key };
      this.showCard(element);
    });
    this.root.addEventListener("focusout", (event) => {
      const element = itemOf(event);
      if (!element) return;
      this.hideCard(element);
      if (!this.root.contains(event.relatedTarget)) {
        this.focused = null;
        requestAnimationFrame(() => this.overview.draw());
      }
    });
    this.root.addEventListener("pointerover", (event) => {
      const element = itemOf(event);
      if (element) this.showCard(element);
    });
    this.root.addEventListener("pointerout", (event) => {
      const element = itemOf(event);
      if (element && !element.contains(event.relatedTarget) && document.activeElement !== element) this.hideCard(element);
    });
  }

  // What the scale line says the axis shows.
  describe() {
    const o = this.overview;
    const count = this.root.querySelectorAll(".axis-item:not([hidden]):not(.bare)").length;
    return count ? `${count} item${count === 1 ? "" : "s"} labelled` : `one bar per ${o.unit}`;
  }
}
