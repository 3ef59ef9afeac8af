// The web UI: uploads to ingest, a live list of jobs, a gallery with Rekognition's boxes, a detail view.
// Only the public API is used, with the key in the X-Api-Key header; API data is put in the page as text
// (textContent, attributes), never as HTML.

const KEY_STORAGE = 'imagerec.apiKey';
const TERMINAL = new Set(['SUCCEEDED', 'FAILED']);
const RANK = { QUEUED: 0, PROCESSING: 1, SUCCEEDED: 2, FAILED: 2 };
const POLL_MS = 2000;
const MAX_BYTES = 15 * 1024 * 1024;
const PARALLEL_UPLOADS = 3;
/** An upload whose body is sent but that has no answer this long after is sent again (same Idempotency-Key). */
const STALLED_MS = 45000;
/** Tries of one upload before it is left to the Retry button. */
const MAX_ATTEMPTS = 4;

const $ = (id) => document.getElementById(id);

const state = {
  key: null,
  ingestUrl: null,
  /** jobId -> { jobId, imageId, status, fileName, fromPage, view, etag, updated, submittedAt } */
  jobs: new Map(),
  /** 'connecting' | 'events' | 'polling' */
  mode: 'connecting',
  lastEventId: null,
  /** null until known; false when GET /v1/jobs is not served (404/405): the gallery then shows this page's jobs */
  searchAvailable: null,
  filter: null,
  /** jobIds the current label filter lets through (from the search API, or from the jobs shown) */
  filtered: null,
  cards: new Map(),
  imageUrls: new Map(),
  uploadQueue: [],
  uploadsRunning: 0,
  session: 0,
};

// ---------- the key ----------

function keyFromFragment() {
  const match = /(?:^#|&)key=([^&]*)/.exec(location.hash);
  if (!match) {
    return;
  }
  try {
    sessionStorage.setItem(KEY_STORAGE, decodeURIComponent(match[1]));
  } catch (e) {
    // storage refused: the key is still used for this page
    state.key = decodeURIComponent(match[1]);
  }
  // The key must not stay in the address bar, the history or a bookmark.
  history.replaceState(null, '', location.pathname + location.search);
}

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch (e) {
    return state.key;
  }
}

function keyStatus(text, bad = false) {
  const el = $('key-status');
  el.textContent = text;
  el.dataset.state = bad ? 'bad' : 'ok';
}

async function useKey(key) {
  state.session++;
  state.key = key;
  const answer = await api('/v1/jobs/00000000-0000-0000-0000-000000000000').catch(() => null);
  if (!answer) {
    keyStatus('The results service cannot be reached.', true);
    return;
  }
  if (answer.status === 401) {
    keyStatus('This API key is not accepted.', true);
    forgetKey(false);
    return;
  }
  if (answer.status === 403) {
    keyStatus('This API key lacks the read scope.', true);
    forgetKey(false);
    return;
  }
  if (answer.status === 429 || answer.status >= 500) {
    keyStatus(`The key cannot be checked right now (${await errorText(answer)}); try again shortly.`, true);
    return;
  }
  try {
    sessionStorage.setItem(KEY_STORAGE, key);
  } catch (e) {
    // kept in memory only
  }
  keyStatus('Key in use for this browser tab (kept in session storage until the tab closes).');
  $('main').hidden = false;
  start(state.session);
}

function forgetKey(clearStatus = true) {
  state.session++;
  state.key = null;
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch (e) {
    // nothing stored
  }
  $('main').hidden = true;
  for (const url of state.imageUrls.values()) {
    url.then((u) => u && URL.revokeObjectURL(u));
  }
  state.imageUrls.clear();
  state.jobs.clear();
  state.cards.clear();
  state.uploadQueue = [];
  state.lastEventId = null;
  state.searchAvailable = null;
  state.galleryProblem = null;
  state.filter = null;
  state.filtered = null;
  $('filter-bar').hidden = true;
  $('jobs-empty').hidden = false;
  $('jobs').replaceChildren();
  $('gallery').replaceChildren();
  $('uploads').replaceChildren();
  if (clearStatus) {
    keyStatus('Key forgotten. Enter an API key with the upload and read scopes.');
  }
}

// ---------- HTTP ----------

function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  headers.set('X-Api-Key', state.key);
  return fetch(path, { ...options, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
}

async function errorText(response) {
  try {
    const body = await response.json();
    if (body && body.error) {
      return `${body.error.code}: ${body.error.message}`;
    }
  } catch (e) {
    // not JSON
  }
  return `HTTP ${response.status}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function announce(text) {
  $('announcer').textContent = text;
}

// ---------- uploads ----------

function isImage(file) {
  return file.type === 'image/jpeg' || file.type === 'image/png' || /\.(jpe?g|png)$/i.test(file.name);
}

function features() {
  return [...document.querySelectorAll('input[name="feature"]:checked')].map((c) => c.value);
}

function randomId() {
  if (crypto.randomUUID) {
    return crypto.randomUUID();
  }
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function addFiles(files) {
  const chosen = features();
  let queued = 0;
  for (const file of files) {
    const item = uploadItem(file);
    if (!isImage(file)) {
      setUpload(item, 'skipped', 'Skipped: not a JPEG or PNG');
      continue;
    }
    if (file.size > MAX_BYTES) {
      setUpload(item, 'failed', 'Too large: over 15 MB');
      continue;
    }
    item.upload = { file, features: chosen, idempotencyKey: randomId() };
    state.uploadQueue.push(item);
    queued++;
  }
  if (queued) {
    announce(`${queued} image${queued === 1 ? '' : 's'} queued for upload`);
  }
  pumpUploads();
}

function uploadItem(file) {
  const li = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = file.webkitRelativePath || file.relativePath || file.name;
  const progress = document.createElement('progress');
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute('aria-label', `Upload progress of ${name.textContent}`);
  const stateText = document.createElement('span');
  stateText.className = 'state';
  const actions = document.createElement('span');
  li.append(name, progress, stateText, actions);
  li.dataset.file = file.name;
  $('uploads').append(li);
  const item = { li, progress, stateText, actions, name: name.textContent };
  setUpload(item, 'waiting', 'Waiting');
  return item;
}

function setUpload(item, stateName, text) {
  item.li.dataset.state = stateName;
  item.stateText.textContent = text;
}

function pumpUploads() {
  while (state.uploadsRunning < PARALLEL_UPLOADS && state.uploadQueue.length) {
    const item = state.uploadQueue.shift();
    state.uploadsRunning++;
    send(item, state.session).finally(() => {
      state.uploadsRunning--;
      pumpUploads();
    });
  }
}

/** One upload to ingest (multipart, field "file"), with its progress; the same Idempotency-Key on a retry. */
function send(item, session) {
  return new Promise((resolve) => {
    const { file, idempotencyKey } = item.upload;
    const query = new URLSearchParams();
    if (item.upload.features.length) {
      query.set('features', item.upload.features.join(','));
    }
    item.attempts = (item.attempts || 0) + 1;
    const xhr = new XMLHttpRequest();
    let stalled = null;
    xhr.open('POST', `${state.ingestUrl}/v1/images?${query}`);
    xhr.setRequestHeader('X-Api-Key', state.key);
    xhr.setRequestHeader('Idempotency-Key', idempotencyKey);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        item.progress.value = e.loaded / e.total;
      }
    };
    // The whole body is sent: an answer should follow soon; if none does, ask again with the same key.
    xhr.upload.onload = () => {
      stalled = setTimeout(() => xhr.abort(), STALLED_MS);
    };
    xhr.onabort = () => {
      if (session === state.session) {
        again(item, 'No answer from ingest', 0);
      }
      resolve();
    };
    xhr.onload = () => {
      clearTimeout(stalled);
      if (session !== state.session) {
        resolve();
        return;
      }
      const body = xhr.response;
      const passing = xhr.status === 503 || xhr.status === 409 || xhr.status === 429;
      if (passing && item.attempts < MAX_ATTEMPTS) {
        const wait = Number(xhr.getResponseHeader('Retry-After'));
        again(item, body && body.error ? body.error.code : `HTTP ${xhr.status}`,
          Number.isFinite(wait) && wait > 0 ? Math.min(wait, 30) * 1000 : 5000);
        resolve();
        return;
      }
      if (xhr.status === 202 && body && body.jobId) {
        item.progress.value = 1;
        setUpload(item, 'accepted', 'Accepted');
        item.actions.replaceChildren();
        announce(`${item.name} uploaded; recognition queued`);
        trackJob({ jobId: body.jobId, imageId: body.imageId, status: body.status || 'QUEUED', fileName: item.name });
      } else {
        const error = body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${xhr.status}`;
        failUpload(item, error, passing);
      }
      resolve();
    };
    xhr.onerror = () => {
      clearTimeout(stalled);
      failUpload(item, 'Network error: ingest could not be reached (or refused this page by CORS)', true);
      resolve();
    };
    const form = new FormData();
    form.append('file', file, file.name);
    setUpload(item, 'uploading', 'Uploading');
    xhr.send(form);
  });
}

/** Sends an upload again after a passing failure, with the same Idempotency-Key: never a second job. */
function again(item, reason, delayMs) {
  if (item.attempts >= MAX_ATTEMPTS) {
    failUpload(item, reason, true);
    return;
  }
  setUpload(item, 'waiting', `${reason}; trying again`);
  const session = state.session;
  setTimeout(() => {
    if (session === state.session) {
      state.uploadQueue.unshift(item);
      pumpUploads();
    }
  }, delayMs);
}

function failUpload(item, error, retryable) {
  setUpload(item, 'failed', `Failed: ${error}`);
  announce(`${item.name}: upload failed`);
  item.actions.replaceChildren();
  if (retryable) {
    const retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'secondary';
    retry.textContent = 'Retry';
    retry.setAttribute('aria-label', `Retry upload of ${item.name}`);
    retry.addEventListener('click', () => {
      item.attempts = 0;
      item.actions.replaceChildren();
      item.progress.value = 0;
      setUpload(item, 'waiting', 'Waiting');
      state.uploadQueue.push(item);
      pumpUploads();
    });
    item.actions.append(retry);
  }
}

/** Files of a drop: plain files, and the images anywhere inside dropped folders. */
async function droppedFiles(dataTransfer) {
  const entries = [...dataTransfer.items]
    .filter((i) => i.kind === 'file')
    .map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (entries.length && entries.every((e) => e)) {
    const files = [];
    for (const entry of entries) {
      await collect(entry, files);
    }
    return files;
  }
  return [...dataTransfer.files];
}

async function collect(entry, files) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject)).catch(() => null);
    if (file) {
      file.relativePath = entry.fullPath.replace(/^\//, '');
      files.push(file);
    }
    return;
  }
  if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject)).catch(() => []);
      if (!batch.length) {
        break;
      }
      for (const child of batch) {
        await collect(child, files);
      }
    }
  }
}

// ---------- jobs: the live list ----------

/** Adds or updates a job; a status never moves backwards. Returns the job. */
function trackJob(update) {
  let job = state.jobs.get(update.jobId);
  const isNew = !job;
  if (isNew) {
    job = { jobId: update.jobId, status: 'QUEUED', fromPage: false };
    state.jobs.set(job.jobId, job);
  }
  if (update.fileName) {
    job.fileName = update.fileName;
    job.fromPage = true;
  }
  if (update.imageId) {
    job.imageId = update.imageId;
  }
  if (update.submittedAt) {
    job.submittedAt = update.submittedAt;
  }
  if (update.labels && !job.view) {
    job.summaryLabels = update.labels;
  }
  const before = job.status;
  if (update.status && RANK[update.status] !== undefined && RANK[update.status] >= RANK[job.status]
      && !TERMINAL.has(job.status)) {
    job.status = update.status;
  }
  job.updated = update.occurredAt || new Date().toISOString();
  renderJobRow(job);
  if (job.status !== before || isNew) {
    if (!isNew || job.fromPage) {
      announce(`${job.fileName || job.jobId}: ${job.status}`);
    }
    if (job.status === 'SUCCEEDED' && !job.view) {
      loadJob(job);
    } else {
      renderGallery();
    }
  }
  return job;
}

function renderJobRow(job) {
  let row = document.querySelector(`#jobs tr[data-job-id="${CSS.escape(job.jobId)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.jobId = job.jobId;
    for (const cls of ['name', 'id', 'status', 'updated']) {
      const td = document.createElement('td');
      td.className = cls;
      row.append(td);
    }
    $('jobs').prepend(row);
    $('jobs-empty').hidden = true;
  }
  row.dataset.status = job.status;
  row.cells[0].textContent = job.fileName || job.imageId || '';
  row.cells[1].textContent = job.jobId;
  row.cells[2].textContent = job.status;
  row.cells[3].textContent = job.updated ? new Date(job.updated).toLocaleTimeString() : '';
}

function setMode(mode) {
  state.mode = mode;
  const el = $('live-mode');
  el.dataset.mode = mode;
  el.textContent = mode === 'events' ? 'live' : mode === 'polling' ? 'polling every 2 s' : 'connecting';
}

/** The tenant's events as a fetch-read SSE stream (the key goes in a header); polling when it is not served. */
async function streamEvents(session) {
  let delay = 1000;
  while (session === state.session) {
    const headers = { Accept: 'text/event-stream' };
    if (state.lastEventId) {
      headers['Last-Event-ID'] = state.lastEventId;
    }
    let response;
    try {
      response = await api('/v1/events', { headers });
    } catch (e) {
      response = null;
    }
    if (session !== state.session) {
      return;
    }
    if (response && [401, 403, 404, 405, 406].includes(response.status)) {
      setMode('polling');
      return;
    }
    if (response && response.ok && response.body) {
      setMode('events');
      delay = 1000;
      pollOnce(session); // whatever changed before the stream opened
      try {
        await readEvents(response.body, session);
      } catch (e) {
        // the stream broke: reconnect with Last-Event-ID
      }
    }
    if (session !== state.session) {
      return;
    }
    setMode('connecting');
    await sleep(delay);
    delay = Math.min(delay * 2, 15000);
  }
}

async function readEvents(body, session) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { id: null, type: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done || session !== state.session) {
      reader.cancel().catch(() => {});
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (event.data.length) {
          onEvent(event);
        }
        event = { id: null, type: 'message', data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') {
          event.data.push(text);
        } else if (field === 'event') {
          event.type = text;
        } else if (field === 'id') {
          event.id = text;
        }
      }
    }
  }
}

function onEvent(event) {
  if (event.id) {
    state.lastEventId = event.id;
  }
  let data;
  try {
    data = JSON.parse(event.data.join('\n'));
  } catch (e) {
    return;
  }
  if (data && typeof data.jobId === 'string' && typeof data.status === 'string') {
    trackJob({ jobId: data.jobId, imageId: data.imageId, status: data.status, occurredAt: data.occurredAt });
  }
}

/** While no event stream is open: this page's unfinished jobs, every 2 s. */
async function pollJobs(session) {
  while (session === state.session) {
    if (state.mode !== 'events') {
      await pollOnce(session);
    }
    await sleep(POLL_MS);
  }
}

async function pollOnce(session) {
  const pending = [...state.jobs.values()].filter((j) => j.fromPage && !TERMINAL.has(j.status));
  await Promise.all(pending.map(async (job) => {
    const headers = job.etag ? { 'If-None-Match': job.etag } : {};
    const response = await api(`/v1/jobs/${encodeURIComponent(job.jobId)}`, { headers }).catch(() => null);
    if (!response || session !== state.session || response.status !== 200) {
      return;
    }
    job.etag = response.headers.get('ETag');
    const view = await response.json();
    if (TERMINAL.has(view.status)) {
      job.view = view;
    }
    trackJob({ jobId: view.jobId, imageId: view.imageId, status: view.status, submittedAt: view.submittedAt,
      occurredAt: view.updatedAt });
  }));
}

async function loadJob(job) {
  if (job.loading) {
    return;
  }
  job.loading = true;
  const response = await api(`/v1/jobs/${encodeURIComponent(job.jobId)}`).catch(() => null);
  if (response && response.ok) {
    const view = await response.json();
    job.view = view;
    job.imageId = view.imageId || job.imageId;
    job.submittedAt = view.submittedAt || job.submittedAt;
  }
  job.loading = false;
  renderGallery();
}

// ---------- gallery ----------

async function loadGallery(session) {
  const response = await api('/v1/jobs?limit=50').catch(() => null);
  if (session !== state.session) {
    return;
  }
  if (response && (response.status === 404 || response.status === 405)) {
    state.searchAvailable = false;
    galleryNote();
    return;
  }
  if (!response || !response.ok) {
    galleryNote(response ? `The jobs could not be listed (${await errorText(response)}).`
      : 'The jobs could not be listed.');
    return;
  }
  state.searchAvailable = true;
  state.galleryProblem = null;
  const page = await response.json();
  for (const item of (page.items || []).slice().reverse()) {
    trackJob({ jobId: item.jobId, imageId: item.imageId, status: item.status, submittedAt: item.submittedAt,
      labels: item.labels, occurredAt: item.completedAt || item.submittedAt });
  }
}

/** The jobs the gallery shows now, newest first. */
function shownJobs() {
  return [...state.jobs.values()]
    .filter((j) => j.status === 'SUCCEEDED' && j.view)
    .filter((j) => !state.filter || (state.filtered && state.filtered.has(j.jobId)))
    .sort((a, b) => String(b.submittedAt || '').localeCompare(String(a.submittedAt || '')));
}

function renderGallery() {
  const jobs = shownJobs();
  const cards = jobs.map((job) => {
    let card = state.cards.get(job.jobId);
    if (!card) {
      card = buildCard(job);
      state.cards.set(job.jobId, card);
    }
    return card;
  });
  const gallery = $('gallery');
  const current = [...gallery.children];
  if (current.length !== cards.length || current.some((c, i) => c !== cards[i])) {
    gallery.replaceChildren(...cards);
  }
  for (const chip of gallery.querySelectorAll('.chip')) {
    chip.setAttribute('aria-pressed', String(chip.dataset.label === state.filter));
  }
  $('filter-count').textContent = String(cards.length);
  galleryNote();
}

function galleryNote(problem) {
  if (problem) {
    state.galleryProblem = problem;
  }
  let text = state.galleryProblem || '';
  if (state.searchAvailable === false) {
    text = 'This server has no job search yet: the gallery shows the images uploaded from this page, and a '
      + 'label filters them.';
  }
  if (!$('gallery').children.length && !state.filter) {
    text = `${text} No recognised images yet.`.trim();
  }
  $('gallery-note').textContent = text;
}

function labelsOf(view) {
  return Array.isArray(view.labels) ? view.labels.filter((l) => l && typeof l.Name === 'string') : [];
}

/** DetectModerationLabels' labels of a job that asked for MODERATION; any one of them flags the image. */
function moderationOf(view) {
  return Array.isArray(view.moderationLabels)
    ? view.moderationLabels.filter((l) => l && typeof l.Name === 'string') : [];
}

/** The top-level moderation categories found (Rekognition lists them beside their second-level labels). */
function flagsOf(view) {
  const labels = moderationOf(view);
  const top = labels.filter((l) => !l.ParentName);
  return (top.length ? top : labels).map((l) => `${l.Name} ${percent(l.Confidence)}`.trim());
}

function clamp(n) {
  const x = Number(n);
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Rekognition's boxes (ratios of the image's width and height): label instances, faces, lines of text. */
function boxesOf(view) {
  const boxes = [];
  for (const label of labelsOf(view)) {
    for (const instance of Array.isArray(label.Instances) ? label.Instances : []) {
      if (instance && instance.BoundingBox) {
        boxes.push({ kind: 'label', name: label.Name, confidence: instance.Confidence ?? label.Confidence,
          box: instance.BoundingBox });
      }
    }
  }
  for (const face of Array.isArray(view.faceDetails) ? view.faceDetails : []) {
    if (face && face.BoundingBox) {
      boxes.push({ kind: 'face', name: 'Face', confidence: face.Confidence, box: face.BoundingBox });
    }
  }
  for (const text of Array.isArray(view.textDetections) ? view.textDetections : []) {
    if (text && text.Type === 'LINE' && text.Geometry && text.Geometry.BoundingBox) {
      boxes.push({ kind: 'text', name: String(text.DetectedText ?? ''), confidence: text.Confidence,
        box: text.Geometry.BoundingBox });
    }
  }
  return boxes;
}

function percent(confidence) {
  const x = Number(confidence);
  return Number.isFinite(x) ? `${x.toFixed(x >= 99.95 ? 0 : 1)}%` : '';
}

function imageFrame(job, view) {
  const frame = document.createElement('div');
  frame.className = 'frame';
  const img = document.createElement('img');
  const names = labelsOf(view).slice(0, 5).map((l) => l.Name);
  img.alt = `${job.fileName || 'Image ' + (view.imageId || '')}${names.length ? ': ' + names.join(', ') : ''}`;
  img.decoding = 'async';
  frame.append(img);
  const flags = flagsOf(view);
  if (flags.length) {
    // Flagged by moderation: blurred, boxes hidden (their captions could tell too much), until asked to show.
    frame.classList.add('flagged');
    const cover = document.createElement('div');
    cover.className = 'cover';
    const note = document.createElement('p');
    note.textContent = `Flagged: ${flags.join(', ')}`;
    const show = document.createElement('button');
    show.type = 'button';
    show.className = 'show-flagged';
    show.textContent = 'Show image';
    show.addEventListener('click', () => {
      frame.classList.remove('flagged');
      cover.remove();
    });
    cover.append(note, show);
    frame.append(cover);
  }
  for (const b of boxesOf(view)) {
    const box = document.createElement('div');
    box.className = 'box';
    box.dataset.kind = b.kind;
    box.dataset.name = b.name;
    const left = clamp(b.box.Left);
    const top = clamp(b.box.Top);
    box.style.left = `${left * 100}%`;
    box.style.top = `${top * 100}%`;
    box.style.width = `${Math.min(clamp(b.box.Width), 1 - left) * 100}%`;
    box.style.height = `${Math.min(clamp(b.box.Height), 1 - top) * 100}%`;
    const caption = document.createElement('span');
    caption.textContent = `${b.name} ${percent(b.confidence)}`.trim();
    if (top < 0.08) {
      caption.className = 'inside'; // no room above the box: the caption goes in it
    }
    box.append(caption);
    box.setAttribute('aria-hidden', 'true');
    frame.append(box);
  }
  imageUrl(view.imageId || job.imageId).then((url) => {
    if (url) {
      img.src = url;
    } else {
      img.alt = `${img.alt} (the image could not be loaded)`;
    }
  });
  return frame;
}

/** The image's bytes through the API (the key in a header), shown from an object URL; fetched once. */
function imageUrl(imageId) {
  if (!imageId) {
    return Promise.resolve(null);
  }
  if (!state.imageUrls.has(imageId)) {
    state.imageUrls.set(imageId, api(`/v1/images/${encodeURIComponent(imageId)}/content`)
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => (blob ? URL.createObjectURL(blob) : null))
      .catch(() => null));
  }
  return state.imageUrls.get(imageId);
}

function buildCard(job) {
  const view = job.view;
  const li = document.createElement('li');
  li.className = 'card';
  li.dataset.jobId = job.jobId;
  li.dataset.imageId = view.imageId || job.imageId || '';
  const figure = document.createElement('figure');
  const caption = document.createElement('figcaption');
  const title = document.createElement('p');
  title.className = 'title';
  title.textContent = job.fileName || view.imageId || job.jobId;
  const line = document.createElement('p');
  line.className = 'status-line';
  const boxes = boxesOf(view);
  line.textContent = `${boxes.length} box${boxes.length === 1 ? '' : 'es'} · ${view.engine || ''} ${view.modelVersion || ''}`.trim();
  const chips = document.createElement('ul');
  chips.className = 'chips';
  chips.setAttribute('aria-label', 'Labels; choose one to show only images with it');
  for (const label of labelsOf(view)) {
    const item = document.createElement('li');
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.dataset.label = label.Name;
    chip.setAttribute('aria-pressed', 'false');
    chip.append(document.createTextNode(label.Name));
    const conf = document.createElement('span');
    conf.className = 'conf';
    conf.textContent = percent(label.Confidence);
    chip.append(conf);
    chip.addEventListener('click', () => filterBy(label.Name === state.filter ? null : label.Name));
    item.append(chip);
    chips.append(item);
  }
  const details = document.createElement('button');
  details.type = 'button';
  details.className = 'details';
  details.textContent = 'Details';
  details.setAttribute('aria-label', `Details of ${title.textContent}`);
  details.addEventListener('click', () => showDetail(job, details));
  caption.append(title, line, chips, details);
  figure.append(imageFrame(job, view), caption);
  li.append(figure);
  return li;
}

/** Only the images with this label: from the search API when it is served, else among the jobs shown. */
async function filterBy(label) {
  state.filter = label;
  state.filtered = null;
  $('filter-bar').hidden = !label;
  $('filter-name').textContent = label || '';
  if (!label) {
    renderGallery();
    announce('Showing all images');
    return;
  }
  const session = state.session;
  let ids = null;
  if (state.searchAvailable) {
    const response = await api(`/v1/jobs?label=${encodeURIComponent(label)}&limit=50`).catch(() => null);
    if (session !== state.session || state.filter !== label) {
      return;
    }
    if (response && response.ok) {
      const page = await response.json();
      ids = new Set();
      for (const item of page.items || []) {
        ids.add(item.jobId);
        const job = trackJob({ jobId: item.jobId, imageId: item.imageId, status: item.status,
          submittedAt: item.submittedAt, labels: item.labels });
        if (job.status === 'SUCCEEDED' && !job.view) {
          loadJob(job);
        }
      }
    } else if (response && (response.status === 404 || response.status === 405)) {
      state.searchAvailable = false;
    }
  }
  if (!ids) {
    ids = new Set([...state.jobs.values()]
      .filter((j) => j.view && labelsOf(j.view).some((l) => l.Name === label))
      .map((j) => j.jobId));
  }
  state.filtered = ids;
  renderGallery();
  announce(`Showing ${shownJobs().length} images labelled ${label}`);
}

// ---------- detail ----------

function showDetail(job, opener) {
  const view = job.view;
  const dialog = $('detail');
  $('detail-title').textContent = job.fileName || view.imageId || job.jobId;
  $('detail-image').replaceChildren(imageFrame(job, view));
  const meta = $('detail-meta');
  meta.replaceChildren();
  const rows = [['Job', view.jobId], ['Image', view.imageId], ['Status', view.status], ['Engine', view.engine],
    ['Model', view.modelVersion], ['Submitted', view.submittedAt], ['Completed', view.completedAt]];
  for (const [name, value] of rows) {
    if (value === undefined || value === null) {
      continue;
    }
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    meta.append(dt, dd);
  }
  $('detail-json').textContent = JSON.stringify(view, null, 2);
  dialog.returnFocusTo = opener;
  dialog.showModal();
  $('close-detail').focus();
}

// ---------- start ----------

async function start(session) {
  setMode('connecting');
  if (!state.ingestUrl) {
    const response = await fetch('config.json', { cache: 'no-store', credentials: 'omit' }).catch(() => null);
    const config = response && response.ok ? await response.json() : {};
    state.ingestUrl = String(config.ingestUrl || `${location.protocol}//${location.hostname}:8080`).replace(/\/+$/, '');
  }
  streamEvents(session);
  pollJobs(session);
  loadGallery(session);
}

function wire() {
  $('key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('api-key');
    const key = input.value.trim();
    input.value = '';
    if (key) {
      forgetKey(false);
      useKey(key);
    }
  });
  $('forget-key').addEventListener('click', () => forgetKey());
  const zone = $('drop-zone');
  zone.addEventListener('click', () => $('file-input').click());
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', async (e) => {
    e.preventDefault();
    zone.classList.remove('dragging');
    addFiles(await droppedFiles(e.dataTransfer));
  });
  // A drop beside the zone must not navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  for (const id of ['file-input', 'folder-input']) {
    $(id).addEventListener('change', (e) => {
      addFiles([...e.target.files]);
      e.target.value = '';
    });
  }
  $('clear-filter').addEventListener('click', () => filterBy(null));
  const dialog = $('detail');
  $('close-detail').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    if (dialog.returnFocusTo) {
      dialog.returnFocusTo.focus();
    }
  });
}

wire();
keyFromFragment();
const initial = storedKey();
if (initial) {
  useKey(initial);
}
