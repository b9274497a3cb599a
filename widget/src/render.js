// Builds the message bubbles, the quick replies, the assessment card and the emergency banner.
import { el } from './dom.js';
import { triageClass, triageLabel } from './triage.js';

const CHOICE_WORDS = { present: 'yes', absent: 'no', unknown: 'not sure' };
const CHOICE_MARKS = { present: '✓', absent: '✗', unknown: '?' };

export function bubble(role, text) {
  const who = role === 'user' ? 'You' : 'Assistant';
  return el('div', { className: `lnw-msg lnw-msg-${role}` }, [
    el('span', { className: 'lnw-sr', text: `${who}: ` }),
    el('span', { className: 'lnw-msg-text', text }),
  ]);
}

export function quickReplies(buttons, onChoose, active) {
  const group = el('div', { className: 'lnw-replies', role: 'group', 'aria-label': 'Answer options' });
  for (const button of buttons) {
    const node = el('button', { type: 'button', className: 'lnw-reply', text: button.title, disabled: !active });
    node.addEventListener('click', () => onChoose(button, group));
    group.append(node);
  }
  return group;
}

export function disableReplies(root) {
  root.querySelectorAll('.lnw-reply').forEach((node) => {
    node.disabled = true;
  });
}

// Never 0% or 100%: a ranking of a few answers is never certain, and never rules anything out.
function percent(probability) {
  const value = Number(probability);
  return Number.isFinite(value) ? Math.min(99, Math.max(1, Math.round(value * 100))) : 1;
}

function causes(conditions) {
  const list = el('ol', { className: 'lnw-causes' });
  for (const condition of conditions) {
    const pct = percent(condition.probability);
    const fill = el('span', { className: 'lnw-bar-fill' });
    fill.style.width = `${pct}%`;
    list.append(
      el('li', { className: 'lnw-cause' }, [
        el('span', { className: 'lnw-cause-head' }, [
          el('span', { className: 'lnw-cause-name', text: String(condition.name || condition.id || '') }),
          el('span', { className: 'lnw-cause-pct', text: condition.likelihood ? `${condition.likelihood} (${pct}%)` : `${pct}%` }),
        ]),
        el('span', { className: 'lnw-bar', 'aria-hidden': 'true' }, [fill]),
        reasons(condition),
      ]),
    );
  }
  return list;
}

// A finding in a few words: "tingling", or "no tingling" for one the person denied (as bot/contracts.py words it).
function findingWords(finding) {
  const name = String((finding && (finding.name || finding.id)) || '');
  const words = name.charAt(0).toLowerCase() + name.slice(1);
  return finding && finding.choice === 'absent' ? `no ${words}` : words;
}

// What speaks for and against one cause; nothing from an assistant older than contract version 3.
function reasons(condition) {
  const lines = [['for', 'For', condition.supporting], ['against', 'Against', condition.conflicting]]
    .filter(([, , findings]) => Array.isArray(findings) && findings.length)
    .map(([kind, label, findings]) => el('li', { className: `lnw-cause-${kind}` }, [
      el('span', { className: 'lnw-reason-label', text: `${label}: ` }),
      findings.map(findingWords).join(', '),
    ]));
  return lines.length ? el('ul', { className: 'lnw-reasons', 'aria-label': 'Reasons' }, lines) : null;
}

function evidenceList(evidence) {
  const list = el('ul', { className: 'lnw-evidence' });
  for (const item of evidence) {
    const choice = CHOICE_WORDS[item.choice] ? item.choice : 'unknown';
    list.append(
      el('li', { className: `lnw-evidence-${choice}` }, [
        el('span', { className: 'lnw-mark', 'aria-hidden': 'true', text: CHOICE_MARKS[choice] }),
        el('span', { text: `${item.name || item.id}: ${CHOICE_WORDS[choice]}` }),
      ]),
    );
  }
  return list;
}

export function assessmentCard(assessment, text) {
  const conditions = Array.isArray(assessment.conditions) ? assessment.conditions : [];
  const evidence = Array.isArray(assessment.evidence) ? assessment.evidence : [];
  const card = el('article', { className: 'lnw-card', 'aria-label': 'Assessment' }, [
    el('h3', { className: 'lnw-card-title', text: 'Assessment (not a diagnosis)' }),
    el('p', { className: `lnw-badge ${triageClass(assessment.triage)}` }, [
      el('span', { className: 'lnw-sr', text: 'Urgency: ' }),
      triageLabel(assessment),
    ]),
  ]);
  if (conditions.length) {
    card.append(el('h4', { text: 'Possible causes, most likely first' }), causes(conditions));
  }
  if (evidence.length) card.append(el('h4', { text: 'What I understood' }), evidenceList(evidence));
  if (assessment.advice) card.append(el('h4', { text: 'What to do' }), el('p', { className: 'lnw-advice', text: assessment.advice }));
  if (text) {
    card.append(
      el('details', { className: 'lnw-details' }, [
        el('summary', { text: 'Show the full answer as text' }),
        el('p', { className: 'lnw-msg-text', text }),
      ]),
    );
  }
  if (assessment.kb_version) card.append(el('p', { className: 'lnw-footnote', text: `Knowledge base ${assessment.kb_version}` }));
  return card;
}

function understood(findings) {
  const names = (Array.isArray(findings) ? findings : []).map((f) => String((f && (f.name || f.id)) || '')).filter(Boolean);
  return names.length ? el('p', { className: 'lnw-emergency-findings', text: `What I understood: ${names.join(', ')}.` }) : null;
}

export function emergencyBanner(banner, emergency, text, emergencyNumber) {
  const ambulance = emergency.triage !== 'emergency';
  const action = ambulance
    ? `Call ${emergencyNumber} now. Do not drive yourself.`
    : `Go to an emergency room now. If you can't get there safely, call ${emergencyNumber}.`;
  banner.replaceChildren(
    el('p', { className: 'lnw-emergency-title', text: 'Emergency' }),
    el('p', { className: 'lnw-emergency-action', text: action }),
    emergency.reason ? el('p', { className: 'lnw-emergency-reason', text: String(emergency.reason) }) : null,
    understood(emergency.findings),
    el('a', { className: 'lnw-call', href: `tel:${emergencyNumber.replace(/[^0-9+]/g, '')}`, text: `Call ${emergencyNumber}` }),
  );
  banner.classList.add('lnw-emergency-on');
  banner.dataset.triage = String(emergency.triage || '');
  return el('div', { className: 'lnw-msg lnw-msg-bot lnw-msg-emergency' }, [
    el('span', { className: 'lnw-sr', text: 'Assistant: ' }),
    el('span', { className: 'lnw-msg-text', text }),
  ]);
}
