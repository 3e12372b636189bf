// DOM helpers and the panels' rendering. Every value from the pipeline goes in as text, never HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function statusClassOf(status) {
  if (status >= 500 && status <= 599) return '5xx';
  return ['200', '400', '403', '409', '413', '429'].includes(String(status))
    ? String(status)
    : 'other';
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
export const clock = (ms) => timeFormat.format(new Date(ms));

export function formatNumber(value) {
  return new Intl.NumberFormat().format(value);
}

/** What the API answered, for the requests table: field errors of a 400, conflicts of a 409. */
function requestDetail(request) {
  const items = [];
  for (const e of request.errors ?? []) {
    const where = [e.index !== null ? `[${e.index}]` : '', e.field ?? ''].join('') || 'body';
    items.push(el('li', { className: 'field-error' }, el('code', {}, where), ': ', e.message));
  }
  for (const c of request.conflicts ?? []) {
    items.push(el('li', { className: 'conflict' }, `[${c.index}] id `, el('code', {}, c.id)));
  }
  const more = (request.detailCount ?? 0) - items.length;
  if (more > 0) items.push(el('li', {}, `… and ${more} more`));
  return el(
    'td',
    { className: 'detail' },
    request.message && request.status !== 200 ? el('div', {}, request.message) : null,
    items.length > 0 ? el('ul', {}, items) : null,
  );
}

export function requestRow(request) {
  const statusClass = statusClassOf(request.status);
  return el(
    'tr',
    { 'data-status': request.status, 'data-class': statusClass, title: request.requestId },
    el('td', {}, clock(request.time)),
    el('td', {}, el('span', { className: 'badge', 'data-class': statusClass }, request.status)),
    el('td', { className: 'num' }, request.latencyMs.toFixed(1)),
    el('td', { className: 'num' }, request.readings),
    requestDetail(request),
  );
}

/** A function log line: Powertools JSON is shown as level, message and its fields. */
export function logLine(line) {
  let text = line.message;
  if (text.startsWith('{')) {
    try {
      const { level, message, timestamp, service, ...rest } = JSON.parse(text);
      const fields = Object.entries(rest)
        .filter(([name]) => !/^(function_|cold_start|xray_trace_id|sampling_rate)/.test(name))
        .map(
          ([name, value]) => `${name}=${typeof value === 'object' ? JSON.stringify(value) : value}`,
        );
      text = [level, message, ...fields].filter(Boolean).join(' ');
    } catch {
      // not JSON after all: shown as it is
    }
  }
  return el(
    'div',
    { className: `${line.source} ${line.level}` },
    el('span', { className: 'time' }, `${clock(line.time)} `),
    line.source === 'runtime' ? '[runtime] ' : '',
    text,
  );
}

export function resultTable(columns, rows) {
  return el(
    'table',
    { className: 'result' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { title: c.type }, c.name)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          columns.map((c) => {
            const value = row[c.name];
            return el(
              'td',
              {},
              value === null || value === undefined
                ? '∅'
                : typeof value === 'object'
                  ? JSON.stringify(value)
                  : String(value),
            );
          }),
        ),
      ),
    ),
  );
}

export function objectDetail(object) {
  let shown = object.body;
  try {
    shown = JSON.stringify(JSON.parse(object.body), null, 2);
  } catch {
    // not JSON: shown as stored
  }
  return [
    el(
      'dl',
      {},
      el('dt', {}, 'key'),
      el('dd', { id: 'object-key' }, object.key),
      el('dt', {}, 'content type'),
      el('dd', { id: 'object-content-type' }, object.contentType ?? '—'),
      el('dt', {}, 'size'),
      el('dd', { id: 'object-size' }, `${formatNumber(object.size)} bytes`),
      el('dt', {}, 'last modified'),
      el('dd', {}, object.lastModified ?? '—'),
    ),
    el('pre', { className: 'json', id: 'object-body' }, shown),
  ];
}

/** JSON from a data endpoint; a refusal becomes an Error with the server's message. */
export async function fetchJson(url, init) {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.message ?? `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}
