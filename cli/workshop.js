(() => {
const ID = Math.random().toString(36).slice(2);
const OPTIONS = {renderer: 'svg', actions: false};
const byId = (id) => document.getElementById(id);
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
  history.replaceState(null, '', '?' + q.toString());
  byId('download').href = 'api/scenario.yaml?' + q.toString();
  const other = new URLSearchParams(q);  // the other language keeps the settings
  other.set('lang', LANG === 'en' ? 'nl' : 'en');
  byId('language').href = '?' + other.toString();
  const mine = ++asked;
  byId('answer').classList.add('busy');
  byId('status').textContent = TEXT.solving;
  const started = performance.now();
  let data;
  try {
    const response = await fetch('api/solve?client=' + ID + '&' + q.toString());
    data = await response.json();
  } catch (error) { if (mine === asked) byId('status').textContent = String(error); return; }
  if (mine !== asked || data.status === 'superseded') return;
  answerAt = performance.now() - started;
  show(data, q);
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
  byId('status').textContent = data.status_text;
  document.body.dataset.objective = data.objective === null ? '' : String(data.objective);
  document.body.dataset.pools = JSON.stringify(data.pool_rows || []);
  byId('headline').textContent = data.headline || '';
  byId('pools').innerHTML = data.pools || '';
  byId('split').innerHTML = data.split || '';
  byId('gains').innerHTML = data.gains || '';
  for (const id of ['map', 'effects']) {
    byId(id).innerHTML = '';
    if (data.charts && data.charts[id]) vegaEmbed('#' + id, data.charts[id], OPTIONS).catch(e => byId('problems').textContent += String(e));
  }
  byId('why').innerHTML = '<p class="muted">' + TEXT.explaining + '</p>';
  if (data.objective !== null) explain(q, asked);
}
async function explain(q, mine) {
  const response = await fetch('api/explain?client=' + ID + '&' + q.toString());
  const data = await response.json();
  if (mine !== asked || data.status === 'superseded') return;
  byId('why').innerHTML = data.html || ('<p class="muted">' + (data.text || '') + '</p>');
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
  if (!first.has('lang')) first.set('lang', LANG);  // the server's language, unless the address says
  changed(first);
});
})();
