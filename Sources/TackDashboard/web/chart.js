// The metric charts: one SVG per condition and account, the new version's values (solid line,
// round points) and the stable version's (dashed line, square points) over time, the limit as a
// horizontal line, and promotions and rollbacks as labelled vertical lines. Each chart carries a
// text summary (last values against the limit), so it reads without the picture or colour.

const svgNS = "http://www.w3.org/2000/svg";
const height = 220;
const margin = { top: 22, right: 14, bottom: 26, left: 64 };

/// The drawing's width in its own units: narrower on small screens, so that its text, scaled with
/// the drawing, stays readable.
function chartWidth() {
  return window.matchMedia("(max-width: 600px)").matches ? 400 : 640;
}

/// The unit of a metric view: its own, or guessed from the metric's name for older controllers.
export function unitOf(metric) {
  if (metric.unit) return metric.unit;
  if (metric.metric === "errorRate") return "ratio";
  if (metric.metric.startsWith("latency")) return "seconds";
  return "number";
}

/// A value in its unit for people: ratios as percent, seconds as ms below 1 s.
export function formatValue(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return "no data";
  switch (unit) {
    case "ratio": {
      const percent = value * 100;
      return `${trimNumber(percent, Math.abs(percent) < 10 ? 2 : 1)}%`;
    }
    case "seconds":
      return Math.abs(value) < 1 ? `${trimNumber(value * 1000, 1)} ms` : `${trimNumber(value, 2)} s`;
    default:
      return trimNumber(value, 2);
  }
}

function trimNumber(value, digits) {
  return String(Number(value.toFixed(digits)));
}

/// 21:50:34 in the browser's time zone.
export function formatClock(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(svgNS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/// The samples of a metric view as {time (ms or null), value, stable}, oldest first.
function samplesOf(metric) {
  if (Array.isArray(metric.points)) {
    return metric.points.map((point) => ({
      time: point.time ? Date.parse(point.time) : null,
      value: typeof point.value === "number" ? point.value : null,
      stable: typeof point.stable === "number" ? point.stable : null,
    }));
  }
  return (metric.values || []).map((value) => ({ time: null, value: typeof value === "number" ? value : null, stable: null }));
}

/// The words for a measurement phase, with an icon so that it does not depend on colour.
export function measurementPhase(phase) {
  switch (phase) {
    case "successful": return { icon: "✔", text: "passing", tone: "good" };
    case "failed": return { icon: "✖", text: "failed", tone: "bad" };
    case "inconclusive": return { icon: "?", text: "inconclusive", tone: "warn" };
    case "error": return { icon: "⚠", text: "query error", tone: "warn" };
    default: return { icon: "…", text: "not measured yet", tone: "neutral" };
  }
}

/// A figure with the chart of `metric` in `account` and its text summary. `labels` names the two
/// series ({value: "canary", stable: "stable"}); `markers` are [{time (ms), kind, label}].
export function metricChart(metric, { account, labels, markers }) {
  const unit = unitOf(metric);
  const samples = samplesOf(metric);
  const figure = document.createElement("figure");
  figure.className = "chart";

  const caption = document.createElement("figcaption");
  const name = document.createElement("strong");
  name.textContent = metric.condition || metric.metric;
  caption.append(name);
  figure.append(caption);

  const lastValue = [...samples].reverse().find((sample) => sample.value !== null)?.value ?? null;
  const lastStable = [...samples].reverse().find((sample) => sample.stable !== null)?.stable ?? null;
  const hasLimit = typeof metric.limit === "number";
  const summaryText = `${labels.value} ${formatValue(lastValue, unit)}, ${labels.stable} ${formatValue(lastStable, unit)}`
    + (hasLimit ? `, limit ${formatValue(metric.limit, unit)}` : "");

  const width = chartWidth();
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart-svg",
    "data-testid": "chart", "data-metric": metric.metric, "data-account": account, "data-points": samples.length,
    "aria-label": `${metric.condition || metric.metric} in ${account}, ${samples.length} measurements: last ${summaryText}`,
  });
  drawChart(chart, width, samples, unit, hasLimit ? metric.limit : null, markers || []);
  figure.append(chart);

  const phase = measurementPhase(metric.phase);
  const summary = document.createElement("p");
  summary.className = "chart-summary";
  const verdict = document.createElement("span");
  verdict.className = `tone-${phase.tone}`;
  verdict.textContent = `${phase.icon} ${phase.text}`;
  summary.append(`Last: ${summaryText}. `, verdict);
  if (metric.reason) summary.append(`: ${metric.reason}`);
  summary.append(` (${samples.length} ${samples.length === 1 ? "measurement" : "measurements"})`);
  figure.append(summary, legend(labels, hasLimit, markers || []));
  return figure;
}

function legend(labels, hasLimit, markers) {
  const list = document.createElement("ul");
  list.className = "legend";
  const entries = [["legend-value", `● ${labels.value} (solid)`], ["legend-stable", `□ ${labels.stable} (dashed)`]];
  if (hasLimit) entries.push(["legend-limit", "┄ limit"]);
  const kinds = new Set(markers.map((marker) => marker.kind));
  if (kinds.has("promotion")) entries.push(["legend-promotion", "│ promoted"]);
  if (kinds.has("rollback")) entries.push(["legend-rollback", "│ rollback"]);
  for (const [className, text] of entries) {
    const item = document.createElement("li");
    item.className = className;
    item.textContent = text;
    list.append(item);
  }
  return list;
}

function drawChart(chart, width, samples, unit, limit, markers) {
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const timed = samples.length > 0 && samples.every((sample) => sample.time !== null);
  const xs = timed ? samples.map((sample) => sample.time) : samples.map((_, index) => index);

  let start = xs.length ? xs[0] : Date.now();
  let end = xs.length ? xs[xs.length - 1] : start + 1;
  const shownMarkers = timed ? markers.filter((marker) => marker.time >= start) : [];
  for (const marker of shownMarkers) end = Math.max(end, marker.time);
  if (end <= start) end = start + (timed ? 1000 : 1);

  const values = samples.flatMap((sample) => [sample.value, sample.stable]).filter((value) => value !== null);
  if (limit !== null) values.push(limit);
  let top = Math.max(0, ...values) * 1.15;
  if (top <= 0) top = unit === "ratio" ? 0.01 : 1;
  const bottom = Math.min(0, ...values);

  const x = (value) => margin.left + ((value - start) / (end - start)) * plotWidth;
  const y = (value) => margin.top + plotHeight - ((value - bottom) / (top - bottom)) * plotHeight;

  // Axes and their labels.
  chart.append(svg("rect", { class: "plot-area", x: margin.left, y: margin.top, width: plotWidth, height: plotHeight }));
  for (const value of [bottom, (bottom + top) / 2, top]) {
    chart.append(svg("line", { class: "grid", x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }));
    chart.append(svg("text", { class: "axis-label", x: margin.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatValue(value, unit)));
  }
  if (timed) {
    chart.append(svg("text", { class: "axis-label", x: margin.left, y: height - 6 }, formatClock(new Date(start))));
    chart.append(svg("text", { class: "axis-label", x: width - margin.right, y: height - 6, "text-anchor": "end" }, formatClock(new Date(end))));
  } else if (samples.length) {
    chart.append(svg("text", { class: "axis-label", x: margin.left, y: height - 6 }, `last ${samples.length} measurements`));
  }
  if (samples.length === 0) {
    chart.append(svg("text", { class: "empty-label", x: width / 2, y: height / 2, "text-anchor": "middle" }, "no measurements yet"));
  }

  if (limit !== null) {
    chart.append(svg("line", { class: "limit", "data-limit": limit, x1: margin.left, x2: width - margin.right, y1: y(limit), y2: y(limit) }));
    // At the left, where the marker labels (mostly at the right) do not reach.
    chart.append(svg("text", { class: "limit-label", x: margin.left + 4, y: y(limit) - 5 }, `limit ${formatValue(limit, unit)}`));
  }

  // Labels of markers close together go one line lower each, so that they do not overlap.
  let previous = -Infinity;
  let row = 0;
  for (const marker of [...shownMarkers].sort((a, b) => a.time - b.time)) {
    const at = x(marker.time);
    row = at - previous < 110 ? row + 1 : 0;
    previous = at;
    const group = svg("g", { class: `marker marker-${marker.kind}`, "data-marker": marker.kind });
    group.append(svg("title", {}, `${marker.label} at ${formatClock(new Date(marker.time))}`));
    group.append(svg("line", { x1: at, x2: at, y1: margin.top - 4, y2: margin.top + plotHeight }));
    const anchor = at > width - 120 ? "end" : "start";
    const labelY = margin.top - 8 + (row % 3) * 14;
    group.append(svg("text", { x: anchor === "end" ? at - 4 : at + 4, y: labelY, "text-anchor": anchor }, marker.label));
    chart.append(group);
  }

  drawSeries(chart, samples, xs, "stable", x, y, unit);
  drawSeries(chart, samples, xs, "value", x, y, unit);
}

/// One series: a line through its values (broken where a round had none) and one point per value.
function drawSeries(chart, samples, xs, key, x, y, unit) {
  const series = key === "value" ? "canary" : "stable";
  let path = "";
  let drawing = false;
  samples.forEach((sample, index) => {
    const value = sample[key];
    if (value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? "L" : "M"}${x(xs[index]).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  });
  if (path) chart.append(svg("path", { class: `series series-${series}`, d: path }));
  const group = svg("g", { class: `points points-${series}` });
  samples.forEach((sample, index) => {
    const value = sample[key];
    if (value === null) return;
    const cx = x(xs[index]);
    const cy = y(value);
    const point = series === "canary"
      ? svg("circle", { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 3.5, "data-point": series })
      : svg("rect", { x: (cx - 3).toFixed(1), y: (cy - 3).toFixed(1), width: 6, height: 6, "data-point": series });
    const when = sample.time !== null ? ` at ${formatClock(new Date(sample.time))}` : "";
    point.append(svg("title", {}, `${series} ${formatValue(value, unit)}${when}`));
    group.append(point);
  });
  chart.append(group);
}
