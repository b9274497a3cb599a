// Reads the embedding page's settings from the widget's own <script> tag (data-* attributes).
const DEFAULT_SOCKET_PATH = '/webhooks/widget/socket.io';

function ownScript() {
  if (document.currentScript) return document.currentScript;
  const scripts = document.querySelectorAll('script[src*="widget.js"]');
  return scripts.length ? scripts[scripts.length - 1] : null;
}

export function readConfig() {
  const script = ownScript();
  const data = (script && script.dataset) || {};
  const scriptOrigin = script && script.src ? new URL(script.src, document.baseURI).origin : window.location.origin;
  return {
    server: (data.server || scriptOrigin).replace(/\/+$/, ''),
    socketPath: data.socketPath || DEFAULT_SOCKET_PATH,
    title: data.title || 'Leg numbness checker',
    emergencyNumber: data.emergencyNumber || '911',
    openOnLoad: data.open === 'true',
    transport: data.transport === 'rest' ? 'rest' : 'socket',
  };
}
