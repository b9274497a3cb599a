// Turns what Rasa sends (the widget channel, the socket.io channel or the REST channel) into one shape:
// {text, buttons: [{title, payload}], custom} where custom may hold question / assessment / emergency.
const CONTRACT_KEYS = ['question', 'assessment', 'emergency'];

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function normalize(raw) {
  if (!isObject(raw)) return { text: typeof raw === 'string' ? raw : '', buttons: [], custom: null };
  const buttons = (Array.isArray(raw.buttons) ? raw.buttons : Array.isArray(raw.quick_replies) ? raw.quick_replies : [])
    .filter((b) => isObject(b) && typeof b.title === 'string' && typeof b.payload === 'string')
    .map((b) => ({ title: b.title, payload: b.payload }));
  let custom = isObject(raw.custom) ? raw.custom : null;
  if (!custom) {
    const key = CONTRACT_KEYS.find((k) => isObject(raw[k]));
    if (key) custom = { [key]: raw[key] };
  }
  return { text: typeof raw.text === 'string' ? raw.text : '', buttons, custom };
}

// REST and Rasa's socket.io channel send a message's custom JSON separately, right after its text:
// join it back to the message it belongs to so the assessment card replaces its plain-text twin.
export function belongsToPrevious(message, previous) {
  return Boolean(
    message.custom && !message.text && !message.buttons.length && previous && previous.role === 'bot' && !previous.custom,
  );
}
