(() => {
const ID = Math.random().toString(36).slice(2);
const OPTIONS = {renderer: 'svg', actions: false};
const byId = (id) => document.getElementById(id);
// a server reachable beyond this machine asks for the token it printed; every request carries it
const TOKEN = new URLSearchParams(location.search).get('token');
const signed = (q) => { const s = new URLSearchParams(q); if (TOKEN) s.set('token', TOKEN); return s.toString(); };
let answerAt = 0, asked = 0;
function query() {
  const q = new URLSearchParams();
  const out = [...document.querySelectorAll('input[data-member]')].filter(e => !e.checked).map(e => e.value);
  if (out.length) q.set('out', out.join(','));
  for (const group of ['domains', 'structures']) {
    const boxes = [...document.querySelectorAll(`input[data-${group}]`)];
    const chosen = boxes.filter(e => e.checked).map(e => e.value);
    if (chosen.join(',') !== boxes.filter(e => e.defaultChecked).map(e => e.value).join(',')) q.set(group, chosen.join(','));
  }
  for (const e of document.querySelectorAll('input[data-figure]')) {
    if (e.value !== e.defaultValue) q.set(e.name, e.value);
  }
  const keep = [...document.querySelectorAll('input[data-keep]')].filter(e => e.checked).map(e => e.value);
  if (keep.length) q.set('keep', keep.join(','));
  const apart = [...document.querySelectorAll('#apart li')].map(e => e.dataset.pair);
  if (apart.length) q.set('apart', apart.join(','));
  q.set('lang', LANG);
  return q;
}
function restore() {
  const q = new URLSearchParams(location.search);
  const out = (q.get('out') || '').split(',');
  for (const e of document.querySelectorAll('input[data-member]')) e.checked = !out.includes(e.value);
  for (const group of ['domains', 'structures']) {
    if (!q.has(group)) continue;
    const chosen = q.get(group).split(',');
    for (const e of document.querySelectorAll(`input[data-${group}]`)) e.checked = chosen.includes(e.value);
  }
  for (const e of document.querySelectorAll('input[data-figure]')) if (q.has(e.name)) e.value = q.get(e.name);
  const keep = (q.get('keep') || '').split(',');
  for (const e of document.querySelectorAll('input[data-keep]')) e.checked = keep.includes(e.value);
  for (const pair of (q.get('apart') || '').split(',').filter(Boolean)) addPair(pair);
  showWeights();
}
function showWeights() {
  for (const e of document.querySelectorAll('input[type=range]')) e.nextElementSibling.value = e.value;
}
function addPair(pair) {
  const li = document.createElement('li'); li.dataset.pair = pair;
  const [a, b] = pair.split('-');
  li.textContent = `${NAMES[a] || a} / ${NAMES[b] || b} `;
  const x = document.createElement('button'); x.textContent = '×'; x.type = 'button';
  x.onclick = () => { li.remove(); changed(); };
  li.appendChild(x); byId('apart').appendChild(li);
}
async function changed(given) {
  // the first solve takes the address as typed, so a bad value in it is reported, not tidied away
  const q = given instanceof URLSearchParams ? given : query();
  history.replaceState(null, '', '?' + signed(q));
  byId('download').href = 'api/scenario.yaml?' + signed(q);
  const other = new URLSearchParams(q);  // the other language keeps the settings
  other.set('lang', LANG === 'en' ? 'nl' : 'en');
  byId('language').href = '?' + signed(other);
  const mine = ++asked;
  byId('answer').classList.add('busy');
  byId('status').textContent = TEXT.solving;
  const started = performance.now();
  let data;
  try {
    data = await ask('api/solve?client=' + ID + '&' + signed(q), mine, 'status');
  } catch (error) { if (mine === asked) byId('status').textContent = TEXT.unreachable; return; }
  if (mine !== asked || data.status === 'superseded') return;
  answerAt = performance.now() - started;
  show(data, q);
}
// A busy server (503, "busy") is asked again after the wait it gives, spread so that the room's
// pages do not all come back at once, and a little longer each time; a newer change ends the wait.
async function ask(url, mine, place) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url);
    const data = await response.json();
    if (response.status !== 503 || data.status !== 'busy') return data;
    if (mine !== asked) return {status: 'superseded'};
    const wait = (Number(response.headers.get('Retry-After')) || 5) * Math.min(attempt, 4) * (1 + Math.random() / 2);
    const line = TEXT.busy.replace('{s}', Math.round(wait));
    if (place === 'why') muted(line); else byId(place).textContent = line;
    await new Promise((done) => setTimeout(done, 1000 * wait));
    if (mine !== asked) return {status: 'superseded'};
  }
}
function show(data, q) {
  byId('answer').classList.remove('busy');
  byId('problems').textContent = '';
  document.body.dataset.status = data.status;
  if (data.status === 'bad input') {
    byId('status').textContent = TEXT.bad;
    byId('problems').textContent = data.problems.map(p => p[0] + ': ' + p[1]).join('\n');
    for (const id of ['headline', 'pools', 'split', 'gains', 'why', 'map', 'effects']) byId(id).innerHTML = '';
    return;
  }
  if (data.status_text === undefined) {  // the server would not answer: stopping, an error, a refusal
    byId('status').textContent = data.message || TEXT[data.status] || data.status;
    byId('problems').textContent = (data.problems || []).map(p => p[0] + ': ' + p[1]).join('\n');
    return;
  }
  byId('status').textContent = data.status_text;
  document.body.dataset.objective = data.objective === null ? '' : String(data.objective);
  document.body.dataset.pools = JSON.stringify(data.pool_rows || []);
  const headline = byId('headline');
  headline.replaceChildren();
  (data.council || []).forEach((line, index) => {
    const paragraph = document.createElement('p');
    paragraph.textContent = line;
    if (index === 0) paragraph.className = 'answer';
    headline.append(paragraph);
  });
  if (data.headline) {
    const figures = document.createElement('p');
    figures.className = 'muted';
    figures.textContent = data.headline;
    headline.append(figures);
  }
  byId('pools').innerHTML = data.pools || '';
  byId('split').innerHTML = data.split || '';
  byId('gains').innerHTML = data.gains || '';
  for (const id of ['map', 'effects']) {
    byId(id).innerHTML = '';
    if (data.charts && data.charts[id]) vegaEmbed('#' + id, data.charts[id], OPTIONS).catch(e => byId('problems').textContent += String(e));
  }
  byId('why').innerHTML = '<p class="muted">' + TEXT.explaining + '</p>';
  document.body.dataset.explained = '';
  if (data.objective !== null) explain(q, asked);
}
async function explain(q, mine) {
  let data;
  try {
    data = await ask('api/explain?client=' + ID + '&' + signed(q), mine, 'why');
  } catch (error) { data = {text: TEXT.unreachable}; }
  if (mine !== asked || data.status === 'superseded') return;
  if (data.html) byId('why').innerHTML = data.html;
  else muted(data.text || data.message || TEXT[data.status] || data.status || '');
  document.body.dataset.explained = 'yes';  // what a test or a script waits for
}
function muted(text) {  // a line under "Why this answer", as text (a server's message is not HTML)
  const p = document.createElement('p'); p.className = 'muted'; p.textContent = text;
  byId('why').replaceChildren(p);
}
document.addEventListener('DOMContentLoaded', () => {
  restore();
  for (const e of document.querySelectorAll('#controls input')) {
    e.addEventListener(e.type === 'range' ? 'input' : 'change', () => { showWeights(); if (e.type !== 'range') changed(); });
    if (e.type === 'range') e.addEventListener('change', changed);
  }
  byId('add-pair').onclick = () => {
    const a = byId('pair-a').value, b = byId('pair-b').value;
    if (a && b && a !== b) { addPair(a + '-' + b); changed(); }
  };
  const first = new URLSearchParams(location.search);
  first.delete('token');  // not a setting: signed() adds it to each request
  if (!first.has('lang')) first.set('lang', LANG);  // the server's language, unless the address says
  changed(first);
});
})();
