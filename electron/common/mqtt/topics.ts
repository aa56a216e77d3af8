/**
 * MQTT topic names and topic filters as the specification defines them
 * (MQTT 3.1.1 section 4.7, MQTT 5 section 4.7): what may be typed where, with
 * a message a person can act on, and which topics a filter matches. Pure, so
 * the connection form, the publish box, the model and the CLI agree.
 */

/** A topic name or filter is a UTF-8 string of at most this many bytes. */
export const MAX_TOPIC_BYTES = 65_535;

export type TopicCheck = { ok: true } | { ok: false; error: string };

const OK: TopicCheck = { ok: true };
const fail = (error: string): TopicCheck => ({ ok: false, error });

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** What every topic string must be, name or filter. */
function checkCommon(text: string, what: string): TopicCheck | undefined {
  if (text.length === 0) return fail(`A ${what} cannot be empty.`);
  if (text.includes('\0')) return fail(`A ${what} cannot contain the NUL character.`);
  if (utf8Length(text) > MAX_TOPIC_BYTES) return fail(`A ${what} can be at most ${MAX_TOPIC_BYTES} bytes long.`);
  return undefined;
}

/** A subscription's filter: `+` a whole level, `#` a whole level and the last one. */
export function checkTopicFilter(filter: string): TopicCheck {
  const common = checkCommon(filter, 'topic filter');
  if (common) return common;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#')) {
      if (level !== '#') return fail(`"#" must be a whole level: "${level}" in "${filter}" mixes it with other characters (write "${level.replace(/#/g, '')}/#"?).`);
      if (i !== levels.length - 1) return fail(`"#" must be the last level: "${filter}" goes on after it.`);
    }
    if (level.includes('+') && level !== '+') return fail(`"+" must be a whole level: "${level}" in "${filter}" mixes it with other characters.`);
  }
  return OK;
}

/** A topic to publish to: no wildcards. */
export function checkTopicName(topic: string): TopicCheck {
  const common = checkCommon(topic, 'topic');
  if (common) return common;
  if (topic.includes('+') || topic.includes('#')) return fail(`A topic to publish to cannot contain "+" or "#" (those are for subscribing): "${topic}".`);
  return OK;
}

/**
 * Whether `topic` matches `filter` (both already valid). A filter whose first
 * level is a wildcard does not match topics beginning with `$` (`$SYS/...`):
 * those need a filter that names their first level.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    // "a/#" matches "a" too: "#" stands for the parent level and any number of children.
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
