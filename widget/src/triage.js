// The five triage levels of the design, in words a person understands; colour is never the only cue.
export function triageWords(level, emergencyNumber) {
  const words = {
    emergency_ambulance: `Call ${emergencyNumber} now`,
    emergency: 'Go to an emergency room now',
    consultation_24: 'See a doctor within 24 hours',
    consultation: "Book a doctor's visit (within two weeks)",
    self_care: 'Care for yourself at home and watch for changes',
  };
  return words[level] || 'Get medical advice';
}

export const TRIAGE_CLASSES = ['emergency_ambulance', 'emergency', 'consultation_24', 'consultation', 'self_care'];

export function triageClass(level) {
  return TRIAGE_CLASSES.includes(level) ? `lnw-level-${level.replace(/_/g, '-')}` : 'lnw-level-unknown';
}
