// The axis: the whole crisis on one zoomable time line, in lanes by category (or by actor or
// place, the reader's choice), with the items of the view labelled where they fit (axis.js) and
// how many items fall on each day where they do not. Zoom (years → months → weeks → days) and
// pan with buttons, the wheel, dragging or keys; a click, a drag of the marked window or Enter
// moves the reading view to that date.
//
// The server sends counts per day (or week) already grouped in the database; here they become
// prefix sums per lane, so any bin's count is one subtraction and a redraw only touches the bins
// in view, whatever the number of events.

import { AxisItems, ROW_HEIGHT } from "./axis.js";

const DAY_MS = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const UNITS = ["day", "week", "month", "year"];
const UNIT_DAYS = { day: 1, week: 7, month: 30.44, year: 365.25 };
// The lanes' label rows share about this much height, so the axis stays a band when it sticks.
const LABEL_BUDGET = { wide: 210, narrow: 132 };
const AXIS_HEIGHT = 22;
const MIN_SPAN_DAYS = 10;
// Under a lane's labels, a strip of density bars counts the items that found no room.
const OVERFLOW_HEIGHT = 5;

export function dayNumber(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function isoDate(day) {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function parts(day) {
  const date = new Date(day * DAY_MS);
  return { y: date.getUTCFullYear(), m: date.getUTCMonth(), d: date.getUTCDate(), wd: date.getUTCDay() };
}

// The first day of the bin of `unit` that holds `day`.
function binStart(day, unit) {
  if (unit === "day") return Math.floor(day);
  const { y, m, wd } = parts(Math.floor(day));
  if (unit === "week") return Math.floor(day) - ((wd + 6) % 7);
  if (unit === "month") return Date.UTC(y, m, 1) / DAY_MS;
  return Date.UTC(y, 0, 1) / DAY_MS;
}

function nextBin(day, unit) {
  if (unit === "day") return day + 1;
  if (unit === "week") return day + 7;
  const { y, m } = parts(day);
  if (unit === "month") return Date.UTC(y, m + 1, 1) / DAY_MS;
  return Date.UTC(y + 1, 0, 1) / DAY_MS;
}

export function binLabel(day, unit) {
  const { y, m, d } = parts(day);
  if (unit === "year") return String(y);
  if (unit === "month") return `${MONTHS[m]} ${y}`;
  if (unit === "week") return `week of ${d} ${MONTHS[m]} ${y}`;
  return `${d} ${MONTHS[m]} ${y}`;
}

function tickLabel(day, unit) {
  const { y, m, d } = parts(day);
  if (unit === "year") return String(y);
  if (unit === "month") return m === 0 ? String(y) : MONTHS[m];
  return `${d} ${MONTHS[m]}`;
}

export class Overview {
  constructor(root, data, { onJump, onView, onSelect, laneBy = "category" }) {
    this.root = root;
    this.onView = onView;
    this.laneBy = laneBy;
    this.stage = root.querySelector("[data-stage]");
    this.track = root.querySelector("[data-track]");
    this.items = new AxisItems(root.querySelector("[data-axis-items]"), root.querySelector("[data-axis-card]"), this, {
      onSelect,
    });
    this.canvas = root.querySelector("[data-canvas]");
    this.scaleLabel = root.querySelector("[data-scale]");
    this.onJump = onJump;
    this.visible = null;
    this.rowsPerLane = 1;
    this.laneHeight = ROW_HEIGHT;
    this.setData(data, { resetView: true });
    this.bind();
    root.hidden = false;
    this.resize();
  }

  setData(data, { resetView = false, source = location.search } = {}) {
    this.data = data;
    this.items.reset(source);
    this.dataUnit = data.unit || "day";
    const rows = data.bins || [];
    const activeLanes = new Set(rows.map((row) => row[1]));
    this.lanes = data.lanes.map((lane, index) => ({ ...lane, index })).filter((lane) => activeLanes.has(lane.index));
    const days = rows.map((row) => dayNumber(row[0]));
    const first = days.length ? Math.min(...days) : dayNumber(new Date().toISOString().slice(0, 10));
    const last = days.length ? Math.max(...days) : first;
    this.origin = first - 1;
    this.length = last - this.origin + 2;
    // Prefix sums per lane: sums[lane][i] = items before day origin + i.
    this.sums = new Map();
    for (const lane of this.lanes) this.sums.set(lane.index, new Float64Array(this.length + 1));
    for (let i = 0; i < rows.length; i++) this.sums.get(rows[i][1])[days[i] - this.origin + 1] += rows[i][2];
    for (const sums of this.sums.values()) for (let i = 1; i < sums.length; i++) sums[i] += sums[i - 1];
    this.first = first;
    this.last = last + 1;
    this.window = data.window ? [dayNumber(data.window[0]), dayNumber(data.window[1]) + 1] : null;
    if (resetView || this.viewStart === undefined) {
      const pad = Math.max(1, (this.last - this.first) * 0.02);
      this.viewStart = this.first - pad;
      this.viewEnd = this.last + pad;
      // A few outliers (a 2014 annexation in a 2022 crisis) would squeeze everything else into
      // a sliver: open on the middle 80% of the items when they fill under a third of the span.
      const [low, high] = this.quantiles(0.1, 0.9);
      if (high - low < (this.last - this.first) * 0.3) {
        const margin = Math.max(3, (high - low) * 0.15);
        this.viewStart = low - margin;
        this.viewEnd = high + 1 + margin;
      }
      this.cursor = this.window ? this.window[0] : this.first;
      this.clampView();
    }
    this.track.setAttribute("aria-valuemin", "0");
    this.track.setAttribute("aria-valuemax", String(Math.max(0, this.last - this.first)));
    if (this.width) this.resize();
  }

  // More of the reading view loaded: its window grew.
  setWindow(window) {
    this.window = window ? [dayNumber(window[0]), dayNumber(window[1]) + 1] : null;
    this.draw();
  }

  // The days below which the fractions `a` and `b` of all items fall.
  quantiles(a, b) {
    let total = 0;
    for (const sums of this.sums.values()) total += sums[this.length];
    const result = [this.first, this.last - 1];
    if (!total) return result;
    let seen = 0;
    let found = 0;
    for (let i = 0; i < this.length && found < 2; i++) {
      for (const sums of this.sums.values()) seen += sums[i + 1] - sums[i];
      if (found === 0 && seen > total * a) {
        result[0] = this.origin + i;
        found = 1;
      }
      if (found === 1 && seen >= total * b) {
        result[1] = this.origin + i;
        found = 2;
      }
    }
    return result;
  }

  count(lane, from, to) {
    const sums = this.sums.get(lane);
    const a = Math.min(Math.max(Math.floor(from) - this.origin, 0), this.length);
    const b = Math.min(Math.max(Math.floor(to) - this.origin, 0), this.length);
    return sums[b] - sums[a];
  }

  // Bars no thinner than ~6 px: the finest unit that fits, never finer than the data.
  get unit() {
    const pxPerDay = this.width / (this.viewEnd - this.viewStart);
    const minimum = UNITS.indexOf(this.dataUnit);
    for (let i = minimum; i < UNITS.length; i++) {
      if (UNIT_DAYS[UNITS[i]] * pxPerDay >= 6) return UNITS[i];
    }
    return "year";
  }

  get tickUnit() {
    const pxPerDay = this.width / (this.viewEnd - this.viewStart);
    for (const unit of UNITS) if (UNIT_DAYS[unit] * pxPerDay >= 46) return unit;
    return "year";
  }

  x(day) {
    return ((day - this.viewStart) / (this.viewEnd - this.viewStart)) * this.width;
  }

  dayAt(x) {
    return this.viewStart + (x / this.width) * (this.viewEnd - this.viewStart);
  }

  clampView() {
    const total = this.last - this.first;
    const maxSpan = Math.max(total * 1.2, MIN_SPAN_DAYS * 3);
    let span = Math.min(Math.max(this.viewEnd - this.viewStart, MIN_SPAN_DAYS), maxSpan);
    const margin = span * 0.5;
    let start = Math.min(Math.max(this.viewStart, this.first - margin), this.last + margin - span);
    this.viewStart = start;
    this.viewEnd = start + span;
  }

  zoom(factor, around = (this.viewStart + this.viewEnd) / 2) {
    const start = around - (around - this.viewStart) / factor;
    const end = around + (this.viewEnd - around) / factor;
    this.viewStart = start;
    this.viewEnd = end;
    this.clampView();
    this.draw();
  }

  centreOn(day) {
    const span = this.viewEnd - this.viewStart;
    this.viewStart = day - span / 2;
    this.viewEnd = day + span / 2;
    this.clampView();
  }

  pan(fraction) {
    const shift = (this.viewEnd - this.viewStart) * fraction;
    this.viewStart += shift;
    this.viewEnd += shift;
    this.clampView();
    this.draw();
  }

  // The reader scrolled: mark the days now on screen, and bring them into the axis's view.
  setVisible(range) {
    this.visible = range ? [dayNumber(range[0]), dayNumber(range[1]) + 1] : null;
    const [start, end] = this.visible || [];
    if (this.visible && (end <= this.viewStart || start >= this.viewEnd)) {
      const span = this.viewEnd - this.viewStart;
      this.viewStart = start - span * 0.25;
      this.viewEnd = this.viewStart + span;
      this.clampView();
    }
    this.draw();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    this.width = Math.max(200, this.track.clientWidth);
    const lanes = Math.max(1, this.lanes.length);
    const budget = this.width < 600 ? LABEL_BUDGET.narrow : LABEL_BUDGET.wide;
    this.rowsPerLane = Math.max(1, Math.min(3, Math.floor(budget / (lanes * ROW_HEIGHT))));
    this.laneHeight = this.rowsPerLane * ROW_HEIGHT + OVERFLOW_HEIGHT + 1;
    this.height = lanes * this.laneHeight + AXIS_HEIGHT + 6;
    this.stage.style.setProperty("--lane-height", `${this.laneHeight}px`);
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.canvas.style.height = `${this.height}px`;
    this.ratio = ratio;
    this.draw();
  }

  draw() {
    if (!this.width) return;
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this;
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#fafbfc";
    ctx.fillRect(0, 0, width, height - AXIS_HEIGHT);

    // Ticks and labels.
    const tickUnit = this.tickUnit;
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "top";
    for (let day = binStart(this.viewStart, tickUnit); day < this.viewEnd; day = nextBin(day, tickUnit)) {
      const x = Math.round(this.x(day)) + 0.5;
      ctx.fillStyle = "#e1e5ea";
      ctx.fillRect(x, 0, 1, height - AXIS_HEIGHT + 4);
      ctx.fillStyle = "#4a5560";
      if (x > -40 && x < width - 8) ctx.fillText(tickLabel(day, tickUnit), x + 3, height - AXIS_HEIGHT + 6);
    }

    // Items where they fit (asked for when the counts say they might), bars elsewhere.
    const unit = this.unit;
    let inView = 0;
    for (const lane of this.lanes) inView += this.count(lane.index, this.viewStart, this.viewEnd + 1);
    this.items.want(this.viewStart, this.viewEnd, inView);
    const labelled = this.items.layout();

    // Bars: heights relative to the busiest bin in view, per lane.
    const bins = [];
    let peak = 0;
    for (let day = binStart(this.viewStart, unit); day < this.viewEnd; day = nextBin(day, unit)) {
      const next = nextBin(day, unit);
      const counts = this.lanes.map((lane) => this.count(lane.index, day, next));
      for (const n of counts) peak = Math.max(peak, n);
      bins.push([day, next, counts]);
    }
    const barHeight = this.laneHeight - 3;
    this.lanes.forEach((lane, row) => {
      const top = row * this.laneHeight + 2;
      if (row % 2) {
        ctx.fillStyle = "#f1f3f5";
        ctx.fillRect(0, top - 1, width, this.laneHeight);
      }
      ctx.fillStyle = lane.colour;
      const overflow = labelled.get(row);
      if (overflow) {
        this.drawOverflow(ctx, overflow, top + this.laneHeight - OVERFLOW_HEIGHT - 1);
        return;
      }
      for (const [day, next, counts] of bins) {
        const n = counts[row];
        if (!n) continue;
        const x0 = this.x(day);
        const w = Math.max(1, this.x(next) - x0 - (unit === "year" ? 2 : 1));
        const h = Math.max(2, Math.round(barHeight * Math.sqrt(n / peak)));
        ctx.fillRect(x0, top + barHeight - h, w, h);
      }
    });

    // The window the reading view holds, and the part of it on screen.
    const laneBottom = height - AXIS_HEIGHT;
    if (this.window) {
      const x0 = this.x(this.window[0]);
      const w = Math.max(3, this.x(this.window[1]) - x0);
      ctx.fillStyle = "rgba(11, 87, 164, 0.10)";
      ctx.fillRect(x0, 0, w, laneBottom);
      ctx.strokeStyle = "#0b57a4";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x0 + 0.75, 0.75, w - 1.5, laneBottom - 1.5);
      this.windowBox = [x0, x0 + w];
    } else {
      this.windowBox = null;
    }
    if (this.visible) {
      const x0 = this.x(this.visible[0]);
      const w = Math.max(3, this.x(this.visible[1]) - x0);
      ctx.fillStyle = "#0b57a4";
      ctx.fillRect(x0, laneBottom - 3, w, 3);
    }
    // The keyboard cursor.
    if (document.activeElement === this.track) {
      const x = Math.round(this.x(this.cursor + 0.5)) + 0.5;
      ctx.fillStyle = "#b35900";
      ctx.fillRect(x - 1, 0, 2, laneBottom);
    }

    this.root.dataset.unit = unit;
    this.root.dataset.labelled = String(labelled.size);
    const span = `${binLabel(Math.ceil(this.viewStart), "month")} – ${binLabel(Math.floor(this.viewEnd), "month")}`;
    const text = `${span} · ${this.items.describe()}`;
    if (this.scaleLabel.textContent !== text) this.scaleLabel.textContent = text;
    this.describeCursor();
    this.onView?.(this.viewStart, this.viewEnd);
  }

  drawOverflow(ctx, items, top) {
    if (!items.length) return;
    const counts = new Map();
    for (const item of items) {
      const x = Math.floor(this.x(item.s) / 4) * 4;
      counts.set(x, (counts.get(x) || 0) + 1);
    }
    const peak = Math.max(...counts.values());
    for (const [x, n] of counts) {
      const h = Math.max(2, Math.round(OVERFLOW_HEIGHT * Math.sqrt(n / peak)));
      ctx.fillRect(x, top + OVERFLOW_HEIGHT - h, 3, h);
    }
  }

  describeCursor() {
    const unit = this.unit;
    const start = binStart(this.cursor, unit);
    const end = nextBin(start, unit);
    const total = this.lanes.reduce((sum, lane) => sum + this.count(lane.index, start, end), 0);
    this.track.setAttribute("aria-valuenow", String(Math.round(this.cursor - this.first)));
    this.track.setAttribute(
      "aria-valuetext",
      `${binLabel(start, unit)}: ${total} item${total === 1 ? "" : "s"}`,
    );
  }

  jump(day) {
    this.cursor = Math.floor(day);
    this.draw();
    this.onJump(isoDate(Math.max(this.first, Math.min(Math.floor(day), this.last - 1))));
  }

  moveCursor(bins) {
    const unit = this.unit;
    let day = binStart(this.cursor, unit);
    for (let i = 0; i < Math.abs(bins); i++) {
      day = bins > 0 ? nextBin(day, unit) : binStart(day - 1, unit);
    }
    this.cursor = Math.max(binStart(this.first, unit), Math.min(day, this.last - 1));
    const span = this.viewEnd - this.viewStart;
    if (this.cursor < this.viewStart || this.cursor + 1 > this.viewEnd) {
      this.viewStart = this.cursor - span / 2;
      this.viewEnd = this.viewStart + span;
      this.clampView();
    }
    this.draw();
  }

  bind() {
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.zoom) this.zoom(button.dataset.zoom === "in" ? 2 : 0.5, this.focusPoint());
      if (button.dataset.pan) this.pan(Number(button.dataset.pan) * 0.5);
    });

    this.track.addEventListener("keydown", (event) => {
      const handled = {
        ArrowLeft: () => this.moveCursor(event.shiftKey ? -10 : -1),
        ArrowRight: () => this.moveCursor(event.shiftKey ? 10 : 1),
        PageUp: () => this.moveCursor(-10),
        PageDown: () => this.moveCursor(10),
        Home: () => this.moveCursor(-1e6),
        End: () => this.moveCursor(1e6),
        "+": () => this.zoom(2, this.cursor),
        "=": () => this.zoom(2, this.cursor),
        "-": () => this.zoom(0.5, this.cursor),
        Enter: () => this.jump(this.cursor),
        " ": () => this.jump(this.cursor),
      }[event.key];
      if (handled) {
        event.preventDefault();
        handled();
      }
    });
    this.track.addEventListener("focus", () => {
      if (this.cursor < this.viewStart || this.cursor > this.viewEnd) this.cursor = Math.floor((this.viewStart + this.viewEnd) / 2);
      this.draw();
    });
    this.track.addEventListener("blur", () => this.draw());

    // The stage holds the track and the items over it: both pan, zoom and drag alike.
    this.stage.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const x = event.clientX - this.track.getBoundingClientRect().left;
        if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
          this.pan(event.deltaX / this.width);
        } else {
          this.zoom(event.deltaY < 0 ? 1.25 : 0.8, this.dayAt(x));
        }
      },
      { passive: false },
    );

    let drag = null;
    let dragged = false;
    this.stage.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      const x = event.clientX - this.track.getBoundingClientRect().left;
      const onItem = Boolean(event.target.closest(".axis-item"));
      const onWindow = !onItem && this.windowBox && x >= this.windowBox[0] - 4 && x <= this.windowBox[1] + 4;
      drag = { x, moved: false, onItem, onWindow, start: this.viewStart, end: this.viewEnd, window: this.window && [...this.window] };
      dragged = false;
    });
    this.stage.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const x = event.clientX - this.track.getBoundingClientRect().left;
      if (!drag.moved && Math.abs(x - drag.x) < 4) return;
      if (!drag.moved) this.stage.setPointerCapture(event.pointerId); // a click on an item stays one
      drag.moved = true;
      dragged = true;
      this.track.classList.add("dragging");
      const days = ((x - drag.x) / this.width) * (drag.end - drag.start);
      if (drag.onWindow && drag.window) {
        this.window = [drag.window[0] + days, drag.window[1] + days];
      } else {
        this.viewStart = drag.start - days;
        this.viewEnd = drag.end - days;
        this.clampView();
      }
      this.draw();
    });
    const end = (event) => {
      if (!drag) return;
      const x = event.clientX - this.track.getBoundingClientRect().left;
      this.track.classList.remove("dragging");
      if (!drag.moved && !drag.onItem) this.jump(this.dayAt(x));
      else if (drag.moved && drag.onWindow && this.window) this.jump(this.window[0]);
      drag = null;
    };
    // A drag that began on an item pans; it does not also select the item.
    this.stage.addEventListener(
      "click",
      (event) => {
        if (dragged) {
          event.preventDefault();
          event.stopPropagation();
          dragged = false;
        }
      },
      true,
    );
    this.stage.addEventListener("pointerup", end);
    this.stage.addEventListener("pointercancel", () => {
      drag = null;
      this.track.classList.remove("dragging");
    });

    new ResizeObserver(() => {
      if (Math.abs(this.track.clientWidth - this.width) > 1) this.resize();
    }).observe(this.track);
  }

  // Where the zoom buttons zoom: the keyboard cursor, or else the busiest bin in view, so zooming
  // in on a sparse crisis lands on its events rather than on empty years.
  focusPoint() {
    if (document.activeElement === this.track) return this.cursor;
    const unit = this.unit;
    let best = (this.viewStart + this.viewEnd) / 2;
    let peak = 0;
    for (let day = binStart(this.viewStart, unit); day < this.viewEnd; day = nextBin(day, unit)) {
      const next = nextBin(day, unit);
      const n = this.lanes.reduce((total, lane) => total + this.count(lane.index, day, next), 0);
      if (n > peak) {
        peak = n;
        best = (day + next) / 2;
      }
    }
    return best;
  }
}
