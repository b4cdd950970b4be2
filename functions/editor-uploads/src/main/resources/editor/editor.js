'use strict';

// The editor page of The Meridian Review. The page is served under a CSP without inline code, so
// all behaviour is attached here; the HTML reads on its own without it.
(() => {
  const TOKEN_KEY = 'meridian-editor-token';
  const PKCE_KEY = 'meridian-editor-pkce';
  const UPLOADS_KEY = 'meridian-editor-uploads';
  // The server's caps, given in the page (the defaults only if a meta tag is missing).
  const cap = (name, fallback) => Number(document.querySelector(`meta[name="${name}"]`)?.content) || fallback;
  const ARTICLE_MAX_BYTES = cap('editor-article-max-bytes', 1048576);
  const IMAGE_MAX_BYTES = cap('editor-image-max-bytes', 20971520);
  // The name before .md becomes the article's address (the server's slug rule).
  const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  // Browsers report "" as the type of .md files and sometimes of images, hence the extensions.
  const IMAGE_TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif', gif: 'image/gif' };
  const POLL_EVERY_MS = 2000;
  const POLL_FOR_MS = 3 * 60 * 1000;
  const STATE_LABELS = {
    uploading: 'Uploading…',
    waiting: 'Waiting for the file to be checked…',
    published: 'Published',
    rejected: 'Rejected',
    superseded: 'A newer version of this article is already live.',
    failed: 'Upload failed',
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    error: $('error'), status: $('status'), signedIn: $('signed-in'), signOut: $('sign-out'),
    hosted: $('hosted'), signIn: $('sign-in'), token: $('token'), useToken: $('use-token'),
    form: $('upload-form'), file: $('file'), fileCheck: $('file-check'), uploadHint: $('upload-hint'),
    upload: $('upload'), progressBox: $('progress-box'), progress: $('progress'),
    progressText: $('progress-text'), uploads: $('uploads'),
  };

  let token = null;
  let claims = null;
  let expiryTimer = 0;
  let fileCheck = null;
  let busy = false;
  const records = []; // this tab's uploads, newest first

  // Text always goes in as text nodes, so names and server messages cannot inject markup.
  function make(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  const listOf = (items, className = '') => make('ul', className ? { class: className } : {}, ...items.map((item) => make('li', {}, item)));
  const announce = (message) => { ui.status.textContent = message; };
  const clearError = () => ui.error.replaceChildren();

  function showError(message, items = []) {
    ui.error.replaceChildren(make('p', {}, message), ...(items.length ? [listOf(items)] : []));
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
    const [value, unit] = bytes < 1048576 ? [bytes / 1024, 'KB'] : [bytes / 1048576, 'MB'];
    return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${unit}`;
  }

  const formatTime = (date) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);

  // ---- Signing in -------------------------------------------------------------------------

  function base64url(bytes) {
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  // Read only to greet the editor and warn before expiry; the server is what checks the signature.
  function decodeClaims(jwt) {
    const parts = jwt.split('.');
    if (parts.length !== 3) return null;
    try {
      const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
      const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
      const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
      return payload && typeof payload === 'object' ? payload : null;
    } catch {
      return null;
    }
  }

  const expiresAt = (c) => (typeof c.exp === 'number' ? new Date(c.exp * 1000) : null);
  const isExpired = (c) => expiresAt(c) !== null && expiresAt(c).getTime() <= Date.now();
  const hasUsableToken = () => token !== null && !isExpired(claims);
  const displayName = (c) => c.name || c.email || c['cognito:username'] || c.sub || 'an unnamed editor';

  function adoptToken(value) {
    const raw = value.trim().replace(/^Bearer\s+/i, '');
    const decoded = raw ? decodeClaims(raw) : null;
    const problem = !raw ? 'Paste an editor token into the field first.'
      : !decoded ? 'That is not an editor token: a token is three parts separated by dots, starting with "ey".'
      : isExpired(decoded) ? `That token expired on ${formatTime(expiresAt(decoded))}. Get a new one and try again.`
      : null;
    if (problem) {
      showError(problem);
      return false;
    }
    token = raw;
    claims = decoded;
    sessionStorage.setItem(TOKEN_KEY, raw);
    clearError();
    renderSignIn();
    announce(`Signed in as ${displayName(claims)}.`);
    return true;
  }

  function forgetToken() {
    token = null;
    claims = null;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  function signInLapsed() {
    forgetToken();
    renderSignIn();
    showError('Your sign-in is missing, has expired or was not accepted. Sign in again or paste a new token.');
  }

  function renderSignIn() {
    clearTimeout(expiryTimer);
    const expiry = claims && expiresAt(claims);
    if (!token) {
      ui.signedIn.textContent = 'Not signed in.';
    } else if (isExpired(claims)) {
      ui.signedIn.textContent = `Signed in as ${displayName(claims)}, but the token expired on ${formatTime(expiry)}. Sign in again or paste a new token.`;
    } else {
      ui.signedIn.textContent = `Signed in as ${displayName(claims)}, ${expiry ? `until ${formatTime(expiry)}` : 'with no expiry time in the token'}.`;
      if (expiry) {
        // Redraw when the token lapses, so Upload is not left enabled with a token the server refuses.
        expiryTimer = setTimeout(() => {
          renderSignIn();
          announce('Your token has expired. Sign in again or paste a new one.');
        }, Math.min(expiry.getTime() - Date.now() + 500, 2 ** 31 - 1));
      }
    }
    ui.signOut.hidden = !token;
    updateUploadButton();
  }

  function hostedConfig() {
    const read = (name) => (document.querySelector(`meta[name="${name}"]`)?.content ?? '').trim();
    const config = { authUrl: read('editor-auth-url'), tokenUrl: read('editor-token-url'), clientId: read('editor-client-id') };
    return config.authUrl && config.tokenUrl && config.clientId ? config : null;
  }

  const redirectUri = () => `${location.origin}/editor`;
  const randomBase64url = (length) => base64url(crypto.getRandomValues(new Uint8Array(length)));

  async function startHostedSignIn(config) {
    if (!crypto.subtle) {
      showError('Signing in here needs the page to be served over HTTPS. Paste a token instead.');
      return;
    }
    const verifier = randomBase64url(32);
    const state = randomBase64url(16);
    const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
    const url = new URL(config.authUrl);
    const query = {
      response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid email profile',
      state, code_challenge: challenge, code_challenge_method: 'S256',
    };
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    location.assign(url.href);
  }

  async function finishHostedSignIn(config, params) {
    const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
    sessionStorage.removeItem(PKCE_KEY);
    // The code is single-use; left in the address it would end up in history and bookmarks.
    history.replaceState(null, '', location.pathname);
    if (!config) return showError('Sign-in is not set up on this server. Paste a token instead.');
    // Checked first: a crafted link must not put words of its own on this page.
    if (!saved || saved.state !== params.get('state')) return showError('This sign-in answer does not belong to a sign-in started in this tab. Please sign in again.');
    if (params.has('error')) return showError(`Sign-in did not complete: ${params.get('error_description') || params.get('error')}.`);
    try {
      const response = await fetch(config.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code', client_id: config.clientId, code: params.get('code'),
          redirect_uri: redirectUri(), code_verifier: saved.verifier,
        }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok || typeof body.id_token !== 'string') {
        return showError(`Sign-in failed (${body.error_description || body.error || `status ${response.status}`}). Please sign in again.`);
      }
      adoptToken(body.id_token);
    } catch (err) {
      showError(`Could not reach the sign-in service (${err.message}). Please sign in again.`);
    }
  }

  // ---- Checking the file ------------------------------------------------------------------

  function checkFile(file) {
    const dot = file.name.lastIndexOf('.');
    const extension = dot < 0 ? '' : file.name.slice(dot + 1).toLowerCase();
    const type = (file.type || '').toLowerCase();
    const refuse = (message) => ({ ok: false, message });
    let kind;
    let contentType;
    if (extension === 'md') {
      const slug = file.name.slice(0, dot);
      if (!file.name.endsWith('.md') || !SLUG.test(slug) || slug.length > 120) {
        return refuse(`${file.name}: the name before .md becomes the article's address, so it must be lower-case letters, digits and single hyphens (for example talks-resume-in-geneva.md).`);
      }
      [kind, contentType] = ['article', 'text/markdown'];
    }
    else if (type === 'image/svg+xml' || extension === 'svg') return refuse(`${file.name} is an SVG image. SVG is not accepted, because it can carry scripts: export it as PNG.`);
    else if (Object.values(IMAGE_TYPES).includes(type)) [kind, contentType] = ['image', type];
    else if (!type && IMAGE_TYPES[extension]) [kind, contentType] = ['image', IMAGE_TYPES[extension]];
    else return refuse(`${file.name} is ${type ? `of type ${type}` : 'of an unknown type'}. Upload a Markdown article (.md) or a JPEG, PNG, WebP, AVIF or GIF image.`);

    const max = kind === 'article' ? ARTICLE_MAX_BYTES : IMAGE_MAX_BYTES;
    const described = `${file.name}: ${kind} (${contentType}), ${formatSize(file.size)}`;
    if (file.size === 0) return refuse(`${file.name} is empty. Choose a file with something in it.`);
    if (file.size > max) {
      return refuse(`${described} (${file.size.toLocaleString()} bytes). Too large: ${kind}s can be at most ${formatSize(max)} (${max.toLocaleString()} bytes).`);
    }
    return { ok: true, kind, contentType, message: `${described}. Ready to upload.` };
  }

  function onFileChosen() {
    const file = ui.file.files[0];
    fileCheck = file ? checkFile(file) : null;
    ui.fileCheck.textContent = fileCheck ? fileCheck.message : 'No file chosen.';
    ui.fileCheck.dataset.ok = fileCheck ? String(fileCheck.ok) : '';
    clearError();
    // The check sits by the field; the alert region makes a refusal heard wherever focus is.
    if (fileCheck && !fileCheck.ok) showError(fileCheck.message);
    else if (fileCheck) announce(fileCheck.message);
    updateUploadButton();
  }

  function updateUploadButton() {
    ui.upload.disabled = busy || !fileCheck?.ok || !hasUsableToken();
    ui.uploadHint.hidden = hasUsableToken();
  }

  function setBusy(value) {
    busy = value;
    ui.file.disabled = value;
    ui.upload.textContent = value ? 'Uploading…' : 'Upload';
    updateUploadButton();
  }

  // ---- Uploading --------------------------------------------------------------------------

  async function upload(event) {
    event.preventDefault();
    const file = ui.file.files[0];
    const check = fileCheck;
    if (busy || !file || !check?.ok || !hasUsableToken()) return;
    clearError();
    setBusy(true);
    try {
      const response = await fetch('/api/editor/uploads', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: check.kind, fileName: file.name, contentType: check.contentType, size: file.size }),
      });
      if (!response.ok) return await explainRefusal(response);
      const target = await response.json();
      if (!target.uploadUrl || !target.key || !target.statusUrl) throw new Error('the server’s answer was incomplete');

      const record = { fileName: file.name, key: target.key, kind: check.kind, statusUrl: target.statusUrl, state: 'uploading', page: '', problems: [], note: '' };
      records.unshift(record);
      renderRecord(record);
      save();
      announce(`Uploading ${file.name}.`);
      showProgress(0, 1);
      const result = await putFile(target, file);
      if (!result.ok) {
        Object.assign(record, { state: 'failed', note: result.message });
        renderRecord(record);
        save();
        return showError(result.message);
      }
      announce(`${file.name} is uploaded and waiting to be checked.`);
      ui.file.value = '';
      fileCheck = null;
      ui.fileCheck.textContent = `Uploaded ${file.name}. Choose another file to upload more.`;
      ui.fileCheck.dataset.ok = '';
      follow(record);
    } catch (err) {
      showError(`The upload could not be started (${err.message}). Check the connection and try again.`);
    } finally {
      setBusy(false);
    }
  }

  async function explainRefusal(response) {
    const { status } = response;
    if (status === 401) return signInLapsed();
    if (status === 403) return showError('You are signed in, but this account is not in the editors group. Ask the managing editor to add you, then sign in again.');
    if (status === 400 || status === 413 || status === 415) {
      const problem = await response.json().catch(() => null);
      const fallback = { 400: 'The upload was refused.', 413: 'The file is too large.', 415: 'This type of file is not accepted.' }[status];
      const summary = [problem?.title, problem?.detail].filter((part) => typeof part === 'string' && part).join(': ') || fallback;
      const errors = Array.isArray(problem?.errors) ? problem.errors : [];
      return showError(summary, errors.map((error) => String(error?.message ?? error)).filter(Boolean));
    }
    return showError(`The server could not prepare the upload (status ${status}). Try again in a moment.`);
  }

  function putFile(target, file) {
    return new Promise((resolve) => {
      // XMLHttpRequest rather than fetch: only it reports upload progress.
      const xhr = new XMLHttpRequest();
      xhr.open(target.method || 'PUT', target.uploadUrl);
      for (const [name, value] of Object.entries(target.headers || {})) {
        // Browsers forbid scripts to set Content-Length and send the body's length themselves.
        if (name.toLowerCase() !== 'content-length') xhr.setRequestHeader(name, String(value));
      }
      xhr.upload.addEventListener('progress', (e) => showProgress(e.loaded, e.lengthComputable ? e.total : file.size));
      xhr.addEventListener('load', () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          showProgress(1, 1);
          resolve({ ok: true });
        } else {
          resolve({ ok: false, message: storageRefusal(xhr) });
        }
      });
      xhr.addEventListener('error', () => resolve({ ok: false, message: 'The upload to storage failed: the connection dropped, or the storage did not accept a request from this page.' }));
      xhr.send(file);
    });
  }

  function storageRefusal(xhr) {
    const text = (xhr.responseText || '').trim();
    // S3 answers with an XML document; its <Message> is the part meant for people.
    const s3Message = /<Message>([^<]{1,300})<\/Message>/.exec(text);
    const detail = s3Message ? s3Message[1] : text.length <= 200 && !text.startsWith('<') ? text : '';
    return `The storage refused the upload (status ${xhr.status})${detail ? `: ${detail}` : '.'}`;
  }

  function showProgress(loaded, total) {
    const percent = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
    ui.progressBox.hidden = false;
    ui.progress.value = percent;
    ui.progressText.textContent = `${percent}%`;
  }

  // ---- Following what became of each upload ------------------------------------------------

  function safeUrl(page) {
    try {
      const url = new URL(page, location.origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
    } catch {
      return null;
    }
  }

  function publishedParts(record) {
    const url = record.page ? safeUrl(record.page) : null;
    if (!url) return [make('p', {}, 'No page address was reported.')];
    const parts = [make('p', {}, make('a', { class: 'page-link', href: url.href }, record.kind === 'image' ? 'Open the image' : 'Open the page'))];
    if (record.kind === 'image') {
      let name = url.pathname.split('/').pop();
      try { name = decodeURIComponent(name); } catch { /* keep the encoded name */ }
      parts.push(
        make('p', {}, 'To use it, put this in an article’s front matter:'),
        make('pre', {}, make('code', {}, `image:\n  key: "${name}"\n  alt: ""\n  credit: ""`)),
      );
    }
    return parts;
  }

  function renderRecord(record) {
    if (!record.item) {
      record.item = make('li', { tabindex: '-1' });
      ui.uploads.prepend(record.item);
    }
    const item = record.item;
    item.dataset.key = record.key;
    item.dataset.state = record.state;
    const parts = [
      make('p', { class: 'entry-head' },
        make('span', { class: 'entry-name' }, record.fileName), ' ',
        make('span', { class: 'entry-state' }, STATE_LABELS[record.state])),
      make('p', { class: 'entry-key' }, 'Key: ', make('code', {}, record.key)),
    ];
    if (record.state === 'published') parts.push(...publishedParts(record));
    if (record.state === 'rejected' && record.problems.length) parts.push(listOf(record.problems, 'problems'));
    if (record.note) parts.push(make('p', { class: 'entry-note' }, record.note));
    if (record.stalled) {
      const again = make('button', { type: 'button', class: 'secondary' }, 'Check again');
      // The button goes away when clicked; keep focus in the entry instead of losing it to the page.
      again.addEventListener('click', () => { item.focus(); follow(record); });
      parts.push(again);
    }
    item.replaceChildren(...parts);
  }

  function follow(record) {
    record.run = (record.run || 0) + 1; // a newer run makes any earlier one stop
    record.deadline = Date.now() + POLL_FOR_MS;
    Object.assign(record, { state: 'waiting', stalled: false, note: '' });
    renderRecord(record);
    save();
    poll(record, record.run);
  }

  function stall(record, note) {
    Object.assign(record, { stalled: true, note });
    renderRecord(record);
  }

  async function poll(record, run) {
    if (record.run !== run) return;
    if (!hasUsableToken()) return stall(record, 'Sign in again to keep following this upload.');
    let response = null;
    try {
      response = await fetch(record.statusUrl, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    } catch {
      // A dropped connection is worth retrying until the deadline, like a busy server.
    }
    if (record.run !== run) return;
    if (response?.status === 401) {
      signInLapsed();
      return stall(record, 'Sign in again, then check again.');
    }
    if (response?.status === 403) return stall(record, 'This account may not read what became of uploads.');
    if (response?.ok) {
      const report = await response.json().catch(() => null);
      if (report) applyReport(record, report);
      if (record.state !== 'waiting') return;
    }
    if (Date.now() < record.deadline) setTimeout(() => poll(record, run), POLL_EVERY_MS);
    else stall(record, 'This is taking longer than usual. The file may still be checked: check again in a minute.');
  }

  function applyReport(record, report) {
    const state = ['waiting', 'published', 'rejected', 'superseded'].includes(report.state) ? report.state : 'waiting';
    const page = typeof report.page === 'string' ? report.page : '';
    const problems = Array.isArray(report.problems) ? report.problems.map(String) : [];
    if (state === record.state && page === record.page && problems.join('\n') === record.problems.join('\n')) return;
    Object.assign(record, { state, page, problems });
    renderRecord(record);
    save();
    if (state === 'rejected') announce(`${record.fileName}: rejected, ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}.`);
    else if (state !== 'waiting') announce(`${record.fileName}: ${STATE_LABELS[state]}`);
  }

  // Kept in sessionStorage so that the list survives the round trip through the sign-in page.
  function save() {
    // Only the reported facts: the DOM node and polling bookkeeping are rebuilt on restore.
    const plain = records.map(({ item, run, deadline, stalled, ...facts }) => facts);
    sessionStorage.setItem(UPLOADS_KEY, JSON.stringify(plain));
  }

  function restore() {
    let saved = [];
    try {
      saved = JSON.parse(sessionStorage.getItem(UPLOADS_KEY) || '[]');
    } catch {
      sessionStorage.removeItem(UPLOADS_KEY);
    }
    // Oldest first, since each entry is put at the top of the list.
    for (const plain of (Array.isArray(saved) ? saved : []).reverse()) {
      const record = { ...plain, problems: Array.isArray(plain.problems) ? plain.problems : [], note: plain.note || '' };
      if (record.state === 'uploading') Object.assign(record, { state: 'failed', note: 'The page was left before this upload finished. Upload the file again.' });
      records.unshift(record);
      renderRecord(record);
    }
  }

  // ---- Start --------------------------------------------------------------------------------

  function start() {
    const config = hostedConfig();
    if (config) {
      ui.hosted.hidden = false;
      ui.signIn.addEventListener('click', () => startHostedSignIn(config).catch((err) => showError(`Could not start signing in (${err.message}).`)));
    }
    ui.useToken.addEventListener('click', () => { if (adoptToken(ui.token.value)) ui.token.value = ''; });
    ui.signOut.addEventListener('click', () => {
      forgetToken();
      clearError();
      renderSignIn();
      announce('Signed out.');
    });
    ui.file.addEventListener('change', onFileChosen);
    ui.form.addEventListener('submit', upload);

    restore();
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (stored && decodeClaims(stored)) [token, claims] = [stored, decodeClaims(stored)];
    else sessionStorage.removeItem(TOKEN_KEY);
    renderSignIn();
    if (ui.file.files.length) onFileChosen(); // a reload may keep the chosen file

    const resume = () => records.filter((record) => record.state === 'waiting').forEach(follow);
    const params = new URLSearchParams(location.search);
    if (params.has('code') || params.has('error')) finishHostedSignIn(config, params).finally(resume);
    else resume();
  }

  start();
})();
