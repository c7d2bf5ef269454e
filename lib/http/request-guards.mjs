// @ts-check
/**
 * Checks the server front (scripts/server.mjs) runs before Next, for input that Next itself would answer with a 500.
 * Each returns null when the input is fine, else a sentence for a 400 answer. Plain JavaScript: the server imports it.
 */

/** Server actions' body limit, also set as Next's `serverActions.bodySizeLimit` (next.config.mjs). */
export const ACTION_BODY_LIMIT = 1024 * 1024;

/** How deeply a server action's arguments may nest (ours nest 4 or 5 levels). */
export const MAX_ACTION_DEPTH = 64;

const CONTROL = /[\u0000-\u001f\u007f]/;
// The same sentence the workspace API gives for control characters in its parameters (lib/media/api.ts).
const UNSTORABLE = "The address contains characters that can't be stored (control characters such as NUL).";

/**
 * A request target whose path is not valid percent-encoded UTF-8 (Next answers those with a 500), or that holds raw
 * control characters. Encoded ones (%00) are left to the app, which answers them like any unusable value: a 404 page,
 * or the workspace API's 400 with this same sentence.
 * @param {string} target
 */
export function checkPath(target) {
  if (CONTROL.test(target)) return UNSTORABLE;
  const queryAt = target.indexOf('?');
  const pathname = queryAt === -1 ? target : target.slice(0, queryAt);
  try {
    decodeURIComponent(pathname);
  } catch {
    return 'That address is not valid: it has a broken %-escape.';
  }
  return null;
}

/**
 * The deepest nesting of arrays and objects in JSON text, skipping string literals; Infinity when a string is left
 * open. Linear and allocation-free, so a hostile body costs no more than reading it.
 * @param {string} text
 */
export function jsonDepth(text) {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return inString ? Infinity : max;
}

/** @param {string} text */
function checkJson(text) {
  if (jsonDepth(text) > MAX_ACTION_DEPTH) return `That request nests deeper than ${MAX_ACTION_DEPTH} levels.`;
  try {
    JSON.parse(text);
  } catch {
    return 'That request is not valid JSON.';
  }
  return null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A server action's body as React's client sends it: `text/plain` JSON of the argument list, or `multipart/form-data`
 * whose non-file fields are JSON or plain strings.
 * @param {string} contentType
 * @param {Buffer} body
 */
export function checkActionBody(contentType, body) {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'multipart/form-data') {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const marker = boundary?.[1] ?? boundary?.[2];
    if (!marker) return 'That request is not valid form data.';
    const text = body.toString('latin1');
    for (const part of text.split(`--${marker}`).slice(1, -1)) {
      const split = part.indexOf('\r\n\r\n');
      if (split === -1) return 'That request is not valid form data.';
      const headers = part.slice(0, split);
      if (/filename=/i.test(headers)) continue;
      const value = Buffer.from(part.slice(split + 4).replace(/\r\n$/, ''), 'latin1');
      let decoded;
      try {
        decoded = utf8.decode(value);
      } catch {
        return 'That request is not valid UTF-8.';
      }
      const first = decoded.trimStart()[0];
      if (first === '[' || first === '{') {
        const problem = checkJson(decoded);
        if (problem) return problem;
      }
    }
    return null;
  }
  let text;
  try {
    text = utf8.decode(body);
  } catch {
    return 'That request is not valid UTF-8.';
  }
  if (!text.trimStart().startsWith('[')) return 'That request is not a list of arguments.';
  return checkJson(text);
}
