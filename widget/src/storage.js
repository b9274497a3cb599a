// Keeps the conversation across a page reload: the session id and what was shown, in sessionStorage,
// so it ends with the browser tab (this is health data; nothing is kept after the tab closes).
const MAX_ENTRIES = 300;

function randomId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function safeStorage() {
  try {
    const probe = '__lnw_probe__';
    window.sessionStorage.setItem(probe, probe);
    window.sessionStorage.removeItem(probe);
    return window.sessionStorage;
  } catch (error) {
    return null; // storage blocked: the conversation still works, it just won't survive a reload
  }
}

export function createStore(server) {
  const storage = safeStorage();
  const key = `lnw:${server}`;
  let state = null;
  if (storage) {
    try {
      state = JSON.parse(storage.getItem(key) || 'null');
    } catch (error) {
      state = null;
    }
  }
  if (!state || typeof state.sessionId !== 'string' || !Array.isArray(state.entries)) {
    state = { sessionId: randomId(), entries: [], open: false };
  }

  function save() {
    if (!storage) return;
    state.entries = state.entries.slice(-MAX_ENTRIES);
    try {
      storage.setItem(key, JSON.stringify(state));
    } catch (error) {
      /* full or blocked: keep going without persistence */
    }
  }

  return {
    get sessionId() {
      return state.sessionId;
    },
    get entries() {
      return state.entries;
    },
    get open() {
      return state.open;
    },
    setOpen(open) {
      state.open = Boolean(open);
      save();
    },
    add(entry) {
      state.entries.push(entry);
      save();
      return state.entries.length - 1;
    },
    update(index, entry) {
      state.entries[index] = entry;
      save();
    },
    reset() {
      state = { sessionId: randomId(), entries: [], open: state.open };
      save();
    },
  };
}
