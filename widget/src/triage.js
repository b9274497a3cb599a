// The triage level's CSS class (its colour); the words always come from the payload's `triage_label`
// (docs/contracts.md), and colour is never the only cue.
export function triageClass(level) {
  return /^[a-z_]+$/.test(String(level || '')) ? `lnw-level-${level.replace(/_/g, '-')}` : 'lnw-level-unknown';
}

export function triageLabel(payload) {
  return String((payload && payload.triage_label) || 'Get medical advice');
}
