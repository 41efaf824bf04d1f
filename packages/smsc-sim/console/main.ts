// The console's entry: the views (one page, a link each: #sessions, #throughput, …), the live feed, the token prompt.

import { initActions } from './actions.js';
import { errorText, onTokenNeeded } from './api.js';
import { initDelivery, showDelivery } from './delivery.js';
import { byId } from './dom.js';
import { initEditors, loadEditors } from './editors.js';
import { connectEvents } from './events.js';
import { initMessages, search } from './messages.js';
import { initSessions, refreshSessions, renderSessions } from './sessions.js';
import { addTick, initThroughput, showThroughput } from './throughput.js';

const VIEWS = ['sessions', 'throughput', 'delivery', 'messages', 'actions'] as const;
type View = (typeof VIEWS)[number];

function notice(text: string) {
  byId('notice').textContent = text;
}

function tokenPrompt(wrong: boolean): Promise<string> {
  const dialog = byId<HTMLDialogElement>('token-dialog');
  const input = byId<HTMLInputElement>('token-input');
  byId('token-why').textContent = wrong
    ? 'The token was refused: enter the API token again.'
    : "This simulator's admin API asks for a token (--api-token).";
  input.value = '';
  return new Promise((resolve, reject) => {
    const form = byId<HTMLFormElement>('token-form');
    const done = () => {
      form.removeEventListener('submit', ok);
      dialog.removeEventListener('cancel', no);
      byId('token-cancel').removeEventListener('click', no);
    };
    const ok = (e: Event) => {
      e.preventDefault();
      if (input.value === '') return;
      done();
      dialog.close();
      resolve(input.value);
    };
    const no = () => {
      done();
      dialog.close();
      reject(new Error('no token entered'));
    };
    form.addEventListener('submit', ok);
    dialog.addEventListener('cancel', no);
    byId('token-cancel').addEventListener('click', no);
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}

let current: View | null = null;
let started = false;
function show(view: View, focus: boolean) {
  if (view === current) return;
  current = view;
  for (const v of VIEWS) {
    byId(`view-${v}`).hidden = v !== view;
    const link = document.querySelector(`nav a[data-view="${v}"]`);
    if (v === view) link?.setAttribute('aria-current', 'page');
    else link?.removeAttribute('aria-current');
  }
  document.title = `${view[0].toUpperCase()}${view.slice(1)} · smsc-sim console`;
  showThroughput(view === 'throughput');
  showDelivery(view === 'delivery');
  if (view === 'sessions' && started) refreshSessions().catch((e: unknown) => notice(errorText(e)));
  if (view === 'messages') void search();
  if (view === 'actions') loadEditors();
  if (focus) byId(`h-${view}`).focus();
}

function fromHash(focus: boolean) {
  const h = location.hash.slice(1);
  show((VIEWS as readonly string[]).includes(h) ? (h as View) : 'sessions', focus);
}

function start() {
  onTokenNeeded(tokenPrompt);
  initSessions(notice);
  initThroughput();
  initDelivery();
  initMessages();
  initEditors();
  initActions();
  window.addEventListener('hashchange', () => fromHash(true));
  fromHash(false);
  started = true;
  // the event stream opens after a first call has passed (and asked for the token if one is needed): an
  // EventSource cannot tell a 401 from any other failure
  refreshSessions()
    .catch((e: unknown) => notice(`sessions: ${errorText(e)}`))
    .finally(live);
}

function live() {
  let last = 0;
  connectEvents({
    tick: (t) => {
      addTick(t);
      // TPS and PDU counts move between binds: the sessions view refreshes every few seconds while shown
      if (current === 'sessions' && t.t - last >= 2000) {
        last = t.t;
        refreshSessions().catch((e: unknown) => notice(`sessions: ${errorText(e)}`));
      }
    },
    sessions: (s) => renderSessions(s),
    status: (state, text) => {
      const p = byId('live');
      p.dataset.state = state;
      p.textContent = text;
    },
  });
}

start();
