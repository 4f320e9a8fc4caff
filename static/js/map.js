// The map beside the timeline: one marker per place where the filtered events happened, sized by
// how many fall in the overview's window and coloured by the lane (category) most of them are
// in. Zooming or panning the overview resizes the markers; clicking one filters the timeline to
// that place (and clicking it again lifts the filter). The Places filter in the form is the same
// information as a list, for keyboard and screen-reader users.
//
// Country shapes are Natural Earth's (world-atlas, vendored in static/vendor with d3-geo and
// topojson-client): no tile server, no network.

import { dayNumber, isoDate } from "./overview.js";

const SVG = "http://www.w3.org/2000/svg";
const MIN_RADIUS = 3;
const MAX_RADIUS = 16;
const MIN_SPAN_DEGREES = 8;

let atlas = null;

async function countries(url) {
  if (!atlas) {
    atlas = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`The base map answered ${response.status}.`);
        return response.json();
      })
      .then((world) => window.topojson.feature(world, world.objects.countries).features);
  }
  return atlas;
}

export class PlaceMap {
  constructor(root, data, { onPlace }) {
    this.root = root;
    this.svg = root.querySelector("[data-map-svg]");
    this.caption = root.querySelector("[data-map-caption]");
    this.onPlace = onPlace;
    this.range = null;
    this.shapes = null;
    this.setData(data);
    this.svg.addEventListener("click", (event) => {
      const marker = event.target.closest("[data-place]");
      if (marker) this.onPlace(marker.dataset.place);
    });
    new ResizeObserver(() => this.layout()).observe(this.svg);
    this.ready = countries(root.dataset.atlas).then(
      (features) => {
        this.shapes = features;
        this.layout();
        performance.mark("map-ready"); // for the benchmark
      },
      () => this.layout(), // markers still show without the countries
    );
  }

  setData(data) {
    const map = data.map || { places: [], bins: [], selected: [] };
    this.places = map.places;
    this.lanes = data.lanes;
    this.selected = new Set(map.selected);
    // Rows sorted by day: a window's counts are one pass over the rows inside it.
    this.days = Float64Array.from(map.bins, (row) => dayNumber(row[0]));
    this.rows = map.bins;
    this.root.hidden = this.places.length === 0;
    if (this.width) this.layout();
  }

  // The overview's window moved: recount each place for the days [start, end).
  setRange(start, end) {
    this.range = [start, end];
    if (this.markers) this.paint();
  }

  counts() {
    const perPlace = this.places.map(() => new Map());
    const [start, end] = this.range || [-Infinity, Infinity];
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid] < Math.floor(start)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.rows.length && this.days[i] < end; i++) {
      const [, place, lane, n] = this.rows[i];
      const lanes = perPlace[place];
      lanes.set(lane, (lanes.get(lane) || 0) + n);
    }
    return perPlace.map((lanes) => {
      let total = 0;
      let top = null;
      for (const [lane, n] of lanes) {
        total += n;
        if (top === null || n > lanes.get(top)) top = lane;
      }
      return { total, lane: top };
    });
  }

  projection() {
    const d3 = window.d3;
    const lons = this.places.map((p) => p.lon);
    const lats = this.places.map((p) => p.lat);
    let [west, east] = [Math.min(...lons), Math.max(...lons)];
    let [south, north] = [Math.min(...lats), Math.max(...lats)];
    const padLon = Math.max(MIN_SPAN_DEGREES - (east - west), 0) / 2 + (east - west) * 0.15;
    const padLat = Math.max(MIN_SPAN_DEGREES - (north - south), 0) / 2 + (north - south) * 0.15;
    west = Math.max(-180, west - padLon);
    east = Math.min(180, east + padLon);
    south = Math.max(-85, south - padLat);
    north = Math.min(85, north + padLat);
    const frame = {
      type: "MultiPoint",
      coordinates: [[west, south], [east, north], [west, north], [east, south]],
    };
    return d3.geoNaturalEarth1().fitExtent([[8, 8], [this.width - 8, this.height - 8]], frame);
  }

  layout() {
    const box = this.svg.getBoundingClientRect();
    if (!box.width || !this.places.length) return;
    this.width = box.width;
    this.height = box.height;
    this.svg.setAttribute("viewBox", `0 0 ${this.width} ${this.height}`);
    const projection = this.projection();
    const path = window.d3.geoPath(projection);
    const doc = document;
    const land = doc.createElementNS(SVG, "g");
    land.setAttribute("class", "map-land");
    if (this.shapes) {
      for (const feature of this.shapes) {
        const d = path(feature);
        if (!d) continue;
        const shape = doc.createElementNS(SVG, "path");
        shape.setAttribute("d", d);
        land.append(shape);
      }
    }
    const markers = doc.createElementNS(SVG, "g");
    markers.setAttribute("class", "map-markers");
    this.markers = this.places.map((place) => {
      const [x, y] = projection([place.lon, place.lat]);
      const marker = doc.createElementNS(SVG, "circle");
      marker.setAttribute("cx", x.toFixed(1));
      marker.setAttribute("cy", y.toFixed(1));
      marker.dataset.place = place.slug;
      const title = doc.createElementNS(SVG, "title");
      marker.append(title);
      markers.append(marker);
      return marker;
    });
    this.svg.replaceChildren(land, markers);
    this.paint();
  }

  // Sizes, colours and titles for the current window; the biggest drawn first, so small
  // markers stay clickable on top.
  paint() {
    const counts = this.counts();
    const most = Math.max(1, ...counts.map((c) => c.total));
    const order = [];
    let shown = 0;
    let events = 0;
    counts.forEach((count, i) => {
      const marker = this.markers[i];
      const place = this.places[i];
      marker.setAttribute("display", count.total ? "inline" : "none");
      if (!count.total) return;
      shown += 1;
      events += count.total;
      const radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(count.total / most);
      marker.setAttribute("r", radius.toFixed(1));
      const lane = this.lanes[count.lane];
      marker.setAttribute("fill", lane ? lane.colour : "#5b6770");
      marker.classList.toggle("selected", this.selected.has(place.slug));
      marker.firstChild.textContent = `${place.name}: ${count.total} event${count.total === 1 ? "" : "s"}`;
      order.push([radius, marker]);
    });
    order.sort((a, b) => b[0] - a[0]);
    const group = this.svg.querySelector(".map-markers");
    for (const [, marker] of order) group.append(marker);
    const when = this.range
      ? ` from ${isoDate(Math.ceil(this.range[0]))} to ${isoDate(Math.floor(this.range[1]))}`
      : "";
    const text = `${events} event${events === 1 ? "" : "s"} at ${shown} place${shown === 1 ? "" : "s"}${when}.`;
    if (this.caption.textContent !== text) this.caption.textContent = text;
    this.root.dataset.shown = String(shown);
  }
}
