// The two live charts (uPlot, served from node_modules): throughput by status, and latency.
import uPlot from '/vendor/uPlot.esm.js';

export const STATUS_CLASSES = ['200', '400', '403', '409', '413', '429', '5xx', 'other'];
const STATUS_COLORS = {
  200: '#16a34a',
  400: '#d97706',
  403: '#7c3aed',
  409: '#db2777',
  413: '#92400e',
  429: '#0891b2',
  '5xx': '#dc2626',
  other: '#6b7280',
};
const HISTORY_SECONDS = 300;

function sizeOf(element) {
  return {
    width: Math.max(300, element.clientWidth),
    height: element.classList.contains('small') ? 160 : 220,
  };
}

/** Keeps per-second rows (as the server sends them) and draws them. */
export class Charts {
  constructor(throughputElement, latencyElement) {
    this.rows = [];
    this.throughputElement = throughputElement;
    this.latencyElement = latencyElement;
    const axes = [{}, { size: 50 }];
    this.throughput = new uPlot(
      {
        ...sizeOf(throughputElement),
        axes,
        legend: { live: false },
        scales: { x: { time: true } },
        series: [
          {},
          { label: 'readings/s', stroke: '#2563eb', width: 2, fill: 'rgba(37,99,235,0.08)' },
          ...STATUS_CLASSES.map((c) => ({
            label: `${c}/s`,
            stroke: STATUS_COLORS[c],
            width: 1.5,
            show: c !== 'other',
          })),
        ],
      },
      this.throughputData(),
      throughputElement,
    );
    this.latency = new uPlot(
      {
        ...sizeOf(latencyElement),
        axes,
        legend: { live: false },
        scales: { x: { time: true } },
        series: [
          {},
          { label: 'p50 ms', stroke: '#0891b2', width: 1.5, spanGaps: false },
          { label: 'p99 ms', stroke: '#dc2626', width: 1.5, spanGaps: false },
        ],
      },
      this.latencyData(),
      latencyElement,
    );
    window.addEventListener('resize', () => {
      this.throughput.setSize(sizeOf(throughputElement));
      this.latency.setSize(sizeOf(latencyElement));
    });
  }

  /** Replaces every row (a snapshot). */
  reset(rows) {
    this.rows = rows.slice(-HISTORY_SECONDS);
    this.redraw();
  }

  /** Appends the seconds after the last one shown. */
  append(rows) {
    const last = this.rows.at(-1)?.t ?? 0;
    for (const row of rows) if (row.t > last) this.rows.push(row);
    if (this.rows.length > HISTORY_SECONDS) this.rows.splice(0, this.rows.length - HISTORY_SECONDS);
    this.redraw();
  }

  redraw() {
    this.throughput.setData(this.throughputData());
    this.latency.setData(this.latencyData());
  }

  throughputData() {
    const t = this.rows.map((r) => r.t);
    return [
      t,
      this.rows.map((r) => r.readings),
      ...STATUS_CLASSES.map((c) => this.rows.map((r) => r.requests[c])),
    ];
  }

  latencyData() {
    return [this.rows.map((r) => r.t), this.rows.map((r) => r.p50), this.rows.map((r) => r.p99)];
  }
}
