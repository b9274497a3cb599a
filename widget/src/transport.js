// Talks to Rasa: socket.io through the widget channel, or the REST channel when socket.io can't connect.
// Both use the same sender id, so a conversation carries on whichever way a message travels.
import { io } from 'socket.io-client';

const SOCKET_GRACE_MS = 6000;

export function createTransport({ server, socketPath, sessionId, forceRest, onMessages, onStatus }) {
  let socket = null;
  let restOnly = Boolean(forceRest);

  function status(value) {
    onStatus(value);
  }

  if (!restOnly) {
    socket = io(server, { path: socketPath, transports: ['websocket', 'polling'], tryAllTransports: true });
    const grace = window.setTimeout(() => {
      if (!socket.connected) status('rest');
    }, SOCKET_GRACE_MS);
    socket.on('connect', () => {
      window.clearTimeout(grace);
      socket.emit('session_request', { session_id: sessionId });
    });
    socket.on('session_confirm', () => status('online'));
    socket.on('bot_uttered', (message) => onMessages([message]));
    socket.on('disconnect', () => status('rest'));
    socket.on('connect_error', () => status('rest'));
  } else {
    status('rest');
  }

  async function sendRest(text) {
    const response = await fetch(`${server}/webhooks/rest/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender: sessionId, message: text }),
    });
    if (!response.ok) throw new Error(`The assistant answered ${response.status}`);
    const messages = await response.json();
    onMessages(Array.isArray(messages) ? messages : []);
    if (!restOnly && socket && !socket.connected) status('rest');
  }

  // Ends this conversation on the server ("New chat"), so that whoever continues this session id later
  // finds nothing of it: Rasa's /restart. Over REST with keepalive, so it is sent even as the socket closes.
  function end() {
    fetch(`${server}/webhooks/rest/webhook`, {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sender: sessionId, message: '/restart' }),
    }).catch(() => {});
  }

  return {
    end,
    async send(text) {
      if (socket && socket.connected) {
        socket.emit('user_uttered', { message: text, session_id: sessionId });
        return;
      }
      await sendRest(text);
    },
    close() {
      if (socket) socket.close();
    },
  };
}
