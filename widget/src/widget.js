// The chat bubble: a launcher button and a panel with the conversation, in a shadow root so that the
// host page's CSS can't break it. Everything the assistant says is rendered as text.
import { el } from './dom.js';
import { belongsToPrevious, normalize } from './messages.js';
import { assessmentCard, bubble, disableReplies, emergencyBanner, quickReplies } from './render.js';
import { createStore } from './storage.js';
import { createTransport } from './transport.js';
import css from './widget.css';

const REPLY_TIMEOUT_MS = 30000;
const STATUS_WORDS = { connecting: 'Connecting…', online: 'Online', rest: 'Online', error: 'Connection problem' };

export function mountWidget(config) {
  const host = el('div', { id: 'leg-numbness-widget' });
  const shadow = host.attachShadow({ mode: 'open' });
  applyStyles(shadow);

  const store = createStore(config.server);
  const ui = buildUi(config);
  shadow.append(ui.root);
  document.body.append(host);

  let transport = null;
  let waitTimer = null;

  function setStatus(value) {
    ui.status.textContent = STATUS_WORDS[value] || '';
    ui.root.dataset.transport = value;
  }

  function connect() {
    if (transport) transport.close();
    setStatus('connecting');
    transport = createTransport({
      server: config.server,
      socketPath: config.socketPath,
      sessionId: store.sessionId,
      forceRest: config.transport === 'rest',
      onMessages: receive,
      onStatus: setStatus,
    });
  }

  function waiting(on) {
    window.clearTimeout(waitTimer);
    ui.typing.hidden = !on;
    ui.root.dataset.waiting = on ? 'true' : 'false';
    if (on) waitTimer = window.setTimeout(() => waiting(false), REPLY_TIMEOUT_MS);
  }

  function renderEntry(entry, index) {
    const isLast = index === store.entries.length - 1;
    const node = el('div', { className: 'lnw-entry', 'data-index': index });
    const custom = entry.custom || {};
    if (entry.role === 'user') {
      node.append(bubble('user', entry.text));
    } else if (custom.emergency) {
      node.append(emergencyBanner(ui.emergency, custom.emergency, entry.text, config.emergencyNumber));
    } else if (custom.assessment) {
      node.append(assessmentCard(custom.assessment, entry.text));
    } else if (entry.text) {
      node.append(bubble('bot', entry.text));
    }
    if (entry.buttons && entry.buttons.length) node.append(quickReplies(entry.buttons, choose, isLast));
    return node;
  }

  function appendEntry(entry) {
    const index = store.add(entry);
    disableReplies(ui.log);
    const node = renderEntry(entry, index);
    ui.log.append(node);
    scrollToEnd();
    return node;
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // Shows the assistant's new answer from its start when it is taller than the view (an assessment card),
  // else scrolls to the end.
  function reveal(node) {
    const top = node ? node.offsetTop - 8 : 0;
    if (node && ui.log.scrollHeight - top > ui.log.clientHeight) ui.log.scrollTop = top;
    else scrollToEnd();
  }

  function receive(rawMessages) {
    waiting(false);
    let first = null;
    for (const raw of rawMessages) {
      const message = normalize(raw);
      const lastIndex = store.entries.length - 1;
      const previous = store.entries[lastIndex];
      let node = null;
      if (belongsToPrevious(message, previous)) {
        const merged = { ...previous, custom: message.custom };
        store.update(lastIndex, merged);
        const old = ui.log.querySelector(`[data-index="${lastIndex}"]`);
        node = renderEntry(merged, lastIndex);
        if (old) old.replaceWith(node);
      } else if (message.text || message.buttons.length || message.custom) {
        node = appendEntry({ role: 'bot', text: message.text, buttons: message.buttons, custom: message.custom });
      }
      if (message.custom && (message.custom.assessment || message.custom.emergency)) first = first || node;
      if (message.custom && message.custom.emergency && !store.open) setOpen(true, false);
    }
    reveal(first);
  }

  async function send(text, shown) {
    if (shown) appendEntry({ role: 'user', text: shown });
    waiting(true);
    try {
      await transport.send(text);
    } catch (error) {
      waiting(false);
      setStatus('error');
      appendEntry({
        role: 'bot',
        text: "Sorry, I can't reach the assistant right now. Please try again. If this is an emergency, call "
          + `${config.emergencyNumber} now.`,
        buttons: [],
        custom: null,
      });
    }
  }

  function choose(button) {
    send(button.payload, button.title);
    ui.input.focus();
  }

  function setOpen(open, focus = true) {
    store.setOpen(open);
    ui.panel.hidden = !open;
    ui.launcher.setAttribute('aria-expanded', String(open));
    ui.root.classList.toggle('lnw-open', open);
    if (open && !store.entries.length) send('/greet', null);
    if (open && focus) ui.input.focus();
    if (!open && focus) ui.launcher.focus();
    scrollToEnd();
  }

  function restore() {
    ui.log.replaceChildren(...store.entries.map(renderEntry));
    if (!store.entries.some((e) => e.custom && e.custom.emergency)) {
      ui.emergency.replaceChildren();
      ui.emergency.classList.remove('lnw-emergency-on');
    }
  }

  ui.launcher.addEventListener('click', () => setOpen(ui.panel.hidden));
  ui.close.addEventListener('click', () => setOpen(false));
  // "New chat" on a shared computer: the old conversation ends on the server and leaves this page and
  // its storage, so the next person can read none of it.
  ui.reset.addEventListener('click', () => {
    transport.end();
    store.reset();
    restore();
    connect();
    send('/greet', null);
    ui.input.focus();
  });
  ui.panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  });
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = '';
    send(text, text);
  });

  restore();
  connect();
  if (store.open || config.openOnLoad) setOpen(true, false);
  return { host, shadow };
}

function applyStyles(shadow) {
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(el('style', { text: css }));
  }
}

function buildUi(config) {
  const launcher = el('button', { type: 'button', className: 'lnw-launcher', 'aria-expanded': 'false', 'aria-controls': 'lnw-panel' }, [
    el('span', { className: 'lnw-launcher-icon', 'aria-hidden': 'true', text: '💬' }),
    el('span', { className: 'lnw-launcher-label', text: 'Numb legs? Check your symptoms' }),
  ]);
  const status = el('span', { className: 'lnw-status' });
  const reset = el('button', { type: 'button', className: 'lnw-reset', text: 'New chat' });
  const close = el('button', { type: 'button', className: 'lnw-close', 'aria-label': 'Close the chat', text: '×' });
  const emergency = el('div', { className: 'lnw-emergency', role: 'alert' });
  const log = el('div', { className: 'lnw-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  const typing = el('div', { className: 'lnw-typing', hidden: true }, [
    el('span', { className: 'lnw-sr', text: 'The assistant is answering' }),
    el('span', { 'aria-hidden': 'true', text: '• • •' }),
  ]);
  const input = el('input', {
    id: 'lnw-input', className: 'lnw-input', type: 'text', autocomplete: 'off', maxlength: '500',
    placeholder: 'Describe what you feel…',
  });
  const form = el('form', { className: 'lnw-form' }, [
    el('label', { className: 'lnw-sr', for: 'lnw-input', text: 'Your message' }),
    input,
    el('button', { type: 'submit', className: 'lnw-send', text: 'Send' }),
  ]);
  const panel = el('section', { id: 'lnw-panel', className: 'lnw-panel', role: 'dialog', 'aria-labelledby': 'lnw-title', hidden: true }, [
    el('header', { className: 'lnw-header' }, [
      el('div', { className: 'lnw-heading' }, [
        el('h2', { id: 'lnw-title', className: 'lnw-title', text: config.title }),
        el('p', { className: 'lnw-subtitle', text: 'An automated symptom checker, not a diagnosis. ' }, [status]),
      ]),
      reset,
      close,
    ]),
    emergency,
    log,
    typing,
    form,
  ]);
  const root = el('div', { className: 'lnw' }, [panel, launcher]);
  return { root, launcher, panel, status, reset, close, emergency, log, typing, input, form };
}
