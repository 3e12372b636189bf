// The console page: one server-sent event stream for everything live, fetches for the rest.
import { Charts, STATUS_CLASSES } from './charts.mjs';
import {
  clock,
  el,
  fetchJson,
  formatNumber,
  logLine,
  objectDetail,
  requestRow,
  resultTable,
} from './panels.mjs';

const $ = (id) => document.getElementById(id);
const MAX_REQUEST_ROWS = 200;
const MAX_LOG_LINES = 500;

const charts = new Charts($('chart-throughput'), $('chart-latency'));
const requests = [];
/** New readings bring their objects into the list, at most this often. */
const OBJECTS_REFRESH_MS = 2000;
const MAX_OBJECT_ROWS = 200;
let objectsCheckedAt = 0;
let readingsChecked = -1;
let shownPrefix;

/**
 * The keys the latest answers stored join the list at the top: the bucket is listed again only
 * for a partition the list lacks, never while readings pour in (a big partition costs a scan).
 */
async function addNewObjects(readings) {
  if (readings === readingsChecked || Date.now() - objectsCheckedAt < OBJECTS_REFRESH_MS) return;
  readingsChecked = readings;
  objectsCheckedAt = Date.now();
  const { keys } = await fetchJson('/api/objects/recent');
  const known = new Set([...$('partitions').children].map((li) => li.dataset.prefix));
  if (keys.some(({ key }) => !known.has(key.slice(0, key.lastIndexOf('/') + 1)))) {
    await loadPartitions();
    return;
  }
  const list = $('objects');
  const shown = new Set([...list.children].map((li) => li.dataset.key));
  const fresh = keys.filter(({ key }) => key.startsWith(shownPrefix ?? '\0') && !shown.has(key));
  list.prepend(
    ...fresh.map(({ key, time }) => objectItem(key, shownPrefix, `new · ${clock(time)}`)),
  );
  while (list.childElementCount > MAX_OBJECT_ROWS) list.lastElementChild.remove();
}

function objectItem(key, prefix, meta) {
  const li = el(
    'li',
    { 'data-key': key, title: key },
    key.slice(prefix.length),
    el('span', { className: 'meta' }, meta),
  );
  li.addEventListener('click', () => showObject(key, li));
  return li;
}

// --- header --------------------------------------------------------------------------------
async function loadOverview() {
  const overview = await fetchJson('/api/overview');
  $('api-url').textContent = overview.apiUrl;
  $('api-key').textContent = overview.apiKey;
  $('s3').textContent = `${overview.s3Endpoint} · ${overview.bucket}`;
  $('bucket-name').textContent = overview.bucket;
  if (!overview.sql) {
    $('sql-note').textContent =
      'SQL is not available: the console was started without a query engine.';
    $('sql-run').disabled = true;
  }
  if (!overview.faults) showFaultsUnavailable();
  return overview;
}

// --- live stream ---------------------------------------------------------------------------
function showTotals(totals, latency, lastSecond) {
  $('total-readings').textContent = formatNumber(totals.readings);
  $('total-requests').textContent = formatNumber(totals.requests);
  $('total-errors').textContent = formatNumber(totals.requests - totals.byStatus['200']);
  $('p50').textContent = latency.p50 === null ? '–' : `${latency.p50} ms`;
  $('p99').textContent = latency.p99 === null ? '–' : `${latency.p99} ms`;
  if (lastSecond) {
    const requestsPerSecond = Object.values(lastSecond.requests).reduce((a, b) => a + b, 0);
    $('rate-readings').textContent = formatNumber(lastSecond.readings);
    $('rate-requests').textContent = formatNumber(requestsPerSecond);
  }
  $('status-counts').textContent = STATUS_CLASSES.filter((c) => totals.byStatus[c] > 0)
    .map((c) => `${c}: ${formatNumber(totals.byStatus[c])}`)
    .join(' · ');
}

function renderRequests() {
  const errorsOnly = $('errors-only').checked;
  const shown = requests
    .filter((r) => !errorsOnly || r.status !== 200)
    .slice(-100)
    .reverse();
  $('requests').tBodies[0].replaceChildren(...shown.map(requestRow));
}

function addRequests(list, skipped) {
  requests.push(...list);
  if (requests.length > MAX_REQUEST_ROWS) requests.splice(0, requests.length - MAX_REQUEST_ROWS);
  if (skipped > 0)
    $('requests-note').textContent =
      `${formatNumber(skipped)} 200s not listed in the last second (every other status is)`;
  else if (list.length > 0) $('requests-note').textContent = '';
  renderRequests();
}

function addLogs(lines, skipped) {
  const box = $('logs');
  if (skipped > 0) {
    box.append(
      el(
        'div',
        { className: 'runtime warn' },
        `… ${formatNumber(skipped)} lines skipped (too many to follow)`,
      ),
    );
  }
  box.append(...lines.map(logLine));
  while (box.childElementCount > MAX_LOG_LINES) box.firstElementChild.remove();
  if ($('follow').checked) box.scrollTop = box.scrollHeight;
}

function connect() {
  const stream = new EventSource('/api/stream');
  const state = $('connection');
  stream.addEventListener('open', () => {
    state.dataset.state = 'live';
    state.textContent = 'live';
  });
  stream.addEventListener('error', () => {
    state.dataset.state = 'lost';
    state.textContent = 'reconnecting…';
  });
  stream.addEventListener('snapshot', (event) => {
    const snapshot = JSON.parse(event.data);
    charts.reset(snapshot.seconds);
    showTotals(snapshot.totals, snapshot.latency, snapshot.seconds.at(-1));
    requests.length = 0;
    addRequests(snapshot.requests, 0);
    $('logs').replaceChildren();
    addLogs(snapshot.logs, 0);
    if (snapshot.faults) renderFaults(snapshot.faults);
  });
  stream.addEventListener('tick', (event) => {
    const tick = JSON.parse(event.data);
    charts.append(tick.seconds);
    showTotals(tick.totals, tick.latency, tick.seconds.at(-1));
    if (tick.requests.length > 0 || tick.requestsSkipped > 0)
      addRequests(tick.requests, tick.requestsSkipped);
    if (tick.logs.length > 0 || tick.logsSkipped > 0) addLogs(tick.logs, tick.logsSkipped);
    if (tick.faults) renderFaults(tick.faults);
    addNewObjects(tick.totals.readings).catch(() => {});
  });
}

// --- stored objects ------------------------------------------------------------------------
function select(list, item) {
  for (const li of list.children) li.setAttribute('aria-selected', li === item ? 'true' : 'false');
}

async function showObject(key, item) {
  select($('objects'), item);
  const detail = $('object-detail');
  try {
    const object = await fetchJson(`/api/object?key=${encodeURIComponent(key)}`);
    detail.replaceChildren(...objectDetail(object));
  } catch (error) {
    detail.replaceChildren(el('p', { className: 'note error' }, error.message));
  }
}

async function showPartition(partition, item) {
  select($('partitions'), item);
  const note = $('objects-note');
  note.textContent = 'listing…';
  try {
    const listing = await fetchJson(`/api/objects?dt=${partition.dt}&hour=${partition.hour}`);
    note.textContent = `${listing.objects.length} newest of ${formatNumber(listing.scanned)}${listing.complete ? '' : '+'} in ${listing.prefix}`;
    shownPrefix = listing.prefix;
    $('objects').replaceChildren(
      ...listing.objects.map((o) =>
        objectItem(
          o.key,
          listing.prefix,
          `${o.size} B · ${o.lastModified ? clock(Date.parse(o.lastModified)) : ''}`,
        ),
      ),
    );
    // A re-listing keeps the object on show marked.
    const shown = $('object-key')?.textContent;
    for (const li of $('objects').children) {
      li.setAttribute('aria-selected', li.dataset.key === shown ? 'true' : 'false');
    }
  } catch (error) {
    note.textContent = error.message;
    note.classList.add('error');
  }
}

async function loadPartitions() {
  const list = $('partitions');
  try {
    const { partitions } = await fetchJson('/api/partitions');
    if (partitions.length === 0) {
      list.replaceChildren(el('li', { className: 'note' }, 'nothing stored yet'));
      return;
    }
    const selected = list.querySelector('[aria-selected="true"]')?.dataset.prefix;
    list.replaceChildren(
      ...partitions.map((p) => {
        const li = el(
          'li',
          { 'data-prefix': p.prefix },
          `dt=${p.dt}`,
          el('span', { className: 'meta' }, `hour=${p.hour}`),
        );
        li.addEventListener('click', () => showPartition(p, li));
        return li;
      }),
    );
    const again =
      [...list.children].find((li) => li.dataset.prefix === selected) ?? list.firstElementChild;
    const partition = partitions.find((p) => p.prefix === again.dataset.prefix);
    await showPartition(partition, again);
  } catch (error) {
    list.replaceChildren(el('li', { className: 'note error' }, error.message));
  }
}

// --- SQL -----------------------------------------------------------------------------------
async function runSql(event) {
  event?.preventDefault();
  if ($('sql-run').disabled) return;
  const note = $('sql-note');
  note.classList.remove('error');
  note.textContent = 'running…';
  try {
    const result = await fetchJson('/api/sql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: $('sql').value }),
    });
    note.textContent = `${result.rows.length} row(s) in ${result.elapsedMs} ms`;
    $('sql-result').replaceChildren(resultTable(result.columns, result.rows));
  } catch (error) {
    note.textContent = error.message;
    note.classList.add('error');
  }
}

// --- faults --------------------------------------------------------------------------------
let faultsShown = '';
function showFaultsUnavailable() {
  $('faults-note').textContent =
    'Fault injection is not available: the console was started without a fault control.';
  $('faults-clear').disabled = true;
  for (const control of $('fault-form').elements) control.disabled = true;
}

function renderFaults(faults) {
  const key = JSON.stringify(faults);
  if (key === faultsShown) return;
  faultsShown = key;
  $('faults-note').textContent = faults.length === 0 ? 'no fault is on' : `${faults.length} on`;
  $('faults').replaceChildren(
    ...faults.map((f) =>
      el(
        'li',
        { 'data-id': f.id },
        el(
          'div',
          {},
          el('code', {}, f.spec),
          el('div', { className: 'note' }, `${f.description} · acted ${f.injected}×`),
        ),
        el(
          'button',
          {
            type: 'button',
            className: 'meta',
            onclick: () => faultRequest(`/api/faults/${encodeURIComponent(f.id)}`, 'DELETE'),
          },
          'switch off',
        ),
      ),
    ),
  );
}

async function faultRequest(url, method, body) {
  try {
    const result = await fetchJson(url, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    renderFaults(result.faults);
    return true;
  } catch (error) {
    $('faults-note').textContent = error.message;
    return false;
  }
}

// --- wiring --------------------------------------------------------------------------------
$('errors-only').addEventListener('change', renderRequests);
$('refresh-objects').addEventListener('click', loadPartitions);
$('sql-form').addEventListener('submit', runSql);
$('sql').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) runSql(event);
});
$('faults-clear').addEventListener('click', () => faultRequest('/api/faults', 'DELETE'));
$('fault-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const spec = $('fault-spec').value.trim();
  if (spec !== '' && (await faultRequest('/api/faults', 'POST', { spec })))
    $('fault-spec').value = '';
});

loadOverview().catch((error) => {
  $('api-url').textContent = error.message;
});
connect();
loadPartitions();
