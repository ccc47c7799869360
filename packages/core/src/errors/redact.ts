const REDACTED = '[REDACTED]';

// Shapes of credentials that must never be echoed: provider key prefixes,
// bearer tokens, and keys carried in URL query strings (Gemini's `?key=`).
const SECRET_PATTERNS: readonly RegExp[] = [
  /\b(sk|pk|rk)-(?:proj-|ant-(?:api\d+-)?|or-v1-)?[A-Za-z0-9_-]{8,}/g,
  /\bhf_[A-Za-z0-9]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bAIza[0-9A-Za-z_-]{20,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /([?&](?:key|api[_-]?key|access[_-]?token|token|sig|signature)=)[^&#\s"']+/gi,
  /("?(?:api[_-]?key|x-api-key|authorization|x-goog-api-key|api-key)"?\s*[:=]\s*"?)[^"\s,}]{6,}/gi,
];

/**
 * Removes credentials from text bound for a log, an error or a response.
 * `known` lists exact secrets (configured keys) to remove wherever they appear.
 */
export function redactSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, ...groups) => {
      const prefix = groups[0];
      // Patterns whose first group is a "name=" prefix keep it for readability.
      if (typeof prefix === 'string' && /[=:]\s*"?$/.test(prefix)) return `${prefix}${REDACTED}`;
      if (typeof prefix === 'string' && /^(Bearer|Basic)$/i.test(prefix))
        return `${prefix} ${REDACTED}`;
      return REDACTED;
    });
  }
  return out;
}
