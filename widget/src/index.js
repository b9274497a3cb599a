// One <script src=".../webhooks/widget/widget.js" defer></script> embeds the assistant on any page.
import { readConfig } from './config.js';
import { mountWidget } from './widget.js';

const config = readConfig();

function start() {
  if (document.getElementById('leg-numbness-widget')) return;
  window.legNumbnessWidget = mountWidget(config);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
