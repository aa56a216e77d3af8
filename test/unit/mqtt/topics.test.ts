// Topic names and filters as MQTT 3.1.1/5 section 4.7 defines them: what may be typed, and what matches.
import { describe, expect, it } from 'vitest';
import { checkTopicFilter, checkTopicName, MAX_TOPIC_BYTES, topicMatches } from '../../../electron/common/mqtt/topics.js';

describe('topic filters', () => {
  it.each(['#', '+', 'a', 'a/b', 'a/#', 'a/+', '+/+', '+/b/#', '/', '/a', 'a/', '$SYS/#', 'sport/tennis/+/player1', 'ä/日本/🌡'])('accepts %j', (filter) => {
    expect(checkTopicFilter(filter)).toEqual({ ok: true });
  });

  it.each([
    ['', 'A topic filter cannot be empty.'],
    ['a/b#', '"#" must be a whole level: "b#" in "a/b#" mixes it with other characters (write "b/#"?).'],
    ['#/a', '"#" must be the last level: "#/a" goes on after it.'],
    ['a/#/b', '"#" must be the last level: "a/#/b" goes on after it.'],
    ['a+', '"+" must be a whole level: "a+" in "a+" mixes it with other characters.'],
    ['a/+b/c', '"+" must be a whole level: "+b" in "a/+b/c" mixes it with other characters.'],
    ['a\0b', 'A topic filter cannot contain the NUL character.'],
  ])('refuses %j, saying why', (filter, error) => {
    expect(checkTopicFilter(filter)).toEqual({ ok: false, error });
  });

  it('counts the length in UTF-8 bytes, not characters', () => {
    expect(checkTopicFilter('a'.repeat(MAX_TOPIC_BYTES)).ok).toBe(true);
    expect(checkTopicFilter('a'.repeat(MAX_TOPIC_BYTES + 1)).ok).toBe(false);
    // 21,846 three-byte characters are 65,538 bytes though only 21,846 UTF-16 units.
    expect(checkTopicFilter('日'.repeat(21_846))).toEqual({ ok: false, error: `A topic filter can be at most ${MAX_TOPIC_BYTES} bytes long.` });
  });
});

describe('topic names (publishing)', () => {
  it('refuses wildcards and empty names, accepts the rest', () => {
    expect(checkTopicName('test/led')).toEqual({ ok: true });
    expect(checkTopicName('$SYS/x').ok).toBe(true);
    expect(checkTopicName('a/+').ok).toBe(false);
    expect(checkTopicName('a/#').ok).toBe(false);
    expect(checkTopicName('').ok).toBe(false);
  });
});

describe('which topics a filter matches', () => {
  // [filter, topic, matches]: the specification's examples and the edges around them.
  const TABLE: Array<[string, string, boolean]> = [
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
    ['sport/#', 'sport', true],
    ['#', 'sport/tennis', true],
    ['#', '/', true],
    ['sport/tennis/+', 'sport/tennis/player1', true],
    ['sport/tennis/+', 'sport/tennis/player1/tournament', false],
    ['sport/+', 'sport', false],
    ['sport/+', 'sport/', true],
    ['+/+', '/finance', true],
    ['/+', '/finance', true],
    ['+', '/finance', false],
    ['+/tennis/#', 'sport/tennis/player1', true],
    ['test/led', 'test/led', true],
    ['test/led', 'test/led2', false],
    ['test/led', 'Test/led', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    // Wildcards at the first level leave $-topics alone; a filter naming $SYS matches them.
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
  ];
  it.each(TABLE)('%j against %j: %s', (filter, topic, expected) => {
    expect(checkTopicFilter(filter).ok).toBe(true);
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});
