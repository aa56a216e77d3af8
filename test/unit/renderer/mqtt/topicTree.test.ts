// The explorer's topic tree: levels from the `/`-separated topic, counts added up the ancestors from the main process's diffs, and the rows a view shows.
import { describe, expect, it } from 'vitest';
import type { TopicSummaryDto } from '../../../../electron/common/api/contract.js';
import { TopicTree, type TopicRow } from '../../../../renderer/features/mqtt/tree/TopicTree.js';

function summary(topic: string, count = 1, rate = 0, retained = false): TopicSummaryDto {
  return { id: 0, topic, count, rate, last: { seq: count, preview: new Uint8Array(), size: 0, qos: 0, retain: retained, receivedAt: 0 }, retained };
}

function treeOf(...topics: string[]): TopicTree {
  const tree = new TopicTree();
  tree.load(topics.map((t) => summary(t)));
  return tree;
}

/** Rows as 'path' indented by depth, with '+' for expanded, '>' for collapsed with children. */
function show(rows: TopicRow[]): string[] {
  return rows.map((r) => `${'  '.repeat(r.depth)}${r.expanded ? '+' : r.hasChildren ? '>' : '-'}${r.node.path}`);
}

function names(tree: TopicTree, path?: string): string[] {
  const node = path === undefined ? tree.root : tree.node(path);
  return [...(node?.children.keys() ?? [])];
}

describe('levels', () => {
  it('splits on every `/`, keeping empty levels', () => {
    const tree = treeOf('a/b', '/x', 'c/', 'd//e');
    expect(names(tree).sort()).toEqual(['', 'a', 'c', 'd']);
    expect(names(tree, 'a')).toEqual(['b']);
    expect(tree.node('')).toMatchObject({ name: '', path: '', depth: 0 });
    expect(tree.node('/x')).toMatchObject({ name: 'x', path: '/x', depth: 1 });
    expect(tree.node('c/')).toMatchObject({ name: '', path: 'c/', depth: 1 });
    expect(tree.node('d/')).toMatchObject({ name: '', path: 'd/', depth: 1 });
    expect(tree.node('d//e')).toMatchObject({ name: 'e', path: 'd//e', depth: 2 });
    expect(tree.node('d//e')!.parent).toBe(tree.node('d/'));
    expect(tree.node('d')!.parent).toBe(tree.root);
    expect(tree.root).toMatchObject({ path: '', depth: -1, parent: undefined });
    // Intermediate levels are nodes without a summary.
    expect(tree.node('d/')!.summary).toBeUndefined();
    expect(tree.node('c/')!.summary?.topic).toBe('c/');
  });

  it('treats $SYS topics as ordinary top-level nodes', () => {
    const tree = treeOf('$SYS/broker/uptime', '$SYS/broker/clients/connected', 'home/t');
    expect(tree.node('$SYS')).toMatchObject({ name: '$SYS', depth: 0, topics: 2 });
    expect(tree.node('$SYS/broker/uptime')!.depth).toBe(2);
  });
});

describe('nodes', () => {
  it('share one empty children map between leaves, which refuses changes', () => {
    const tree = treeOf('a/b', 'a/c');
    const b = tree.node('a/b')!;
    expect(b.children.size).toBe(0);
    expect(b.children).toBe(tree.node('a/c')!.children);
    expect(() => b.children.set('x', b)).toThrow();
    expect(() => b.children.clear()).toThrow();
    // A leaf that gains a child gets a map of its own.
    tree.apply({ changed: [summary('a/b/x')], removed: [], reset: false });
    expect(names(tree, 'a/b')).toEqual(['x']);
    expect(tree.node('a/c')!.children.size).toBe(0);
  });

  it('handles a topic thousands of levels deep without recursion', () => {
    const deep = Array.from({ length: 20_000 }, (_, i) => `l${i}`).join('/');
    const tree = treeOf(deep, 'other');
    expect(tree.node(deep)!.depth).toBe(19_999);
    tree.expandAll();
    expect(tree.rows()).toHaveLength(20_001);
    expect(tree.rows('l19999')).toHaveLength(20_000);
    expect(tree.topicsUnder('l0')).toHaveLength(1);
    tree.apply({ changed: [], removed: [deep], reset: false });
    expect(show(tree.rows())).toEqual(['-other']);
  });
});

describe('counts', () => {
  it('adds messages, topics and rates up the ancestors, and the differences when a topic changes', () => {
    const tree = new TopicTree();
    tree.apply({ changed: [summary('a/b/c', 3, 1.5), summary('a/b/d', 2, 0.5), summary('a/x', 10, 2)], removed: [], reset: false });
    expect(tree.node('a')).toMatchObject({ messages: 15, topics: 3, rate: 4 });
    expect(tree.node('a/b')).toMatchObject({ messages: 5, topics: 2, rate: 2 });
    expect(tree.node('a/b/c')).toMatchObject({ messages: 3, topics: 1, rate: 1.5 });
    expect(tree.root).toMatchObject({ messages: 15, topics: 3, rate: 4 });

    tree.apply({ changed: [summary('a/b/c', 7, 0.25)], removed: [], reset: false });
    expect(tree.node('a/b/c')).toMatchObject({ messages: 7, topics: 1, rate: 0.25 });
    expect(tree.node('a/b')).toMatchObject({ messages: 9, topics: 2, rate: 0.75 });
    expect(tree.node('a')).toMatchObject({ messages: 19, topics: 3, rate: 2.75 });
    expect(tree.node('a/b/c')!.summary!.count).toBe(7);
  });

  it('counts a node that is both a topic and a parent once, with its children', () => {
    const tree = new TopicTree();
    tree.apply({ changed: [summary('a/b', 2, 1)], removed: [], reset: false });
    tree.apply({ changed: [summary('a', 5, 1)], removed: [], reset: false });
    expect(tree.node('a')).toMatchObject({ messages: 7, topics: 2, rate: 2 });
    expect(tree.node('a')!.summary!.count).toBe(5);
    expect(show(tree.rows())).toEqual(['>a']);

    // Losing its own summary keeps it as a parent.
    tree.apply({ changed: [], removed: ['a'], reset: false });
    expect(tree.node('a')).toMatchObject({ messages: 2, topics: 1, rate: 1, summary: undefined });
    // And losing its last child keeps it as a topic.
    tree.apply({ changed: [summary('a', 6, 0)], removed: ['a/b'], reset: false });
    expect(tree.node('a')).toMatchObject({ messages: 6, topics: 1, rate: 0 });
    expect(tree.node('a')!.children.size).toBe(0);
  });

  it('does not leave rounding dust in a rate that is back to zero', () => {
    const tree = new TopicTree();
    const rates = [0.1, 0.2, 0.7, 1 / 3];
    tree.apply({ changed: rates.map((r, i) => summary(`s/${i}`, 1, r)), removed: [], reset: false });
    tree.apply({ changed: rates.map((_, i) => summary(`s/${i}`, 1, 0)), removed: [], reset: false });
    expect(tree.node('s')!.rate).toBe(0);
    expect(tree.root.rate).toBe(0);
  });
});

describe('removal, reset and load', () => {
  it('prunes levels left with no topic and no children, walking up', () => {
    const tree = treeOf('a/b/c/d', 'a/x');
    tree.apply({ changed: [], removed: ['a/b/c/d'], reset: false });
    expect(tree.node('a/b/c/d')).toBeUndefined();
    expect(tree.node('a/b/c')).toBeUndefined();
    expect(tree.node('a/b')).toBeUndefined();
    expect(names(tree, 'a')).toEqual(['x']);
    expect(tree.node('a')).toMatchObject({ messages: 1, topics: 1 });

    tree.apply({ changed: [], removed: ['a/x'], reset: false });
    expect(tree.node('a')).toBeUndefined();
    expect(tree.root.children.size).toBe(0);
    expect(tree.root).toMatchObject({ messages: 0, topics: 0, rate: 0 });
    expect(tree.rows()).toEqual([]);
  });

  it('stops pruning at a level that is a topic itself', () => {
    const tree = treeOf('a', 'a/b/c');
    tree.apply({ changed: [], removed: ['a/b/c'], reset: false });
    expect(tree.node('a/b')).toBeUndefined();
    expect(tree.node('a')).toMatchObject({ topics: 1, messages: 1 });
  });

  it('ignores removal of unknown topics and of levels that are not topics', () => {
    const tree = treeOf('a/b');
    const version = tree.version;
    tree.apply({ changed: [], removed: ['nope', 'a'], reset: false });
    expect(tree.version).toBe(version);
    expect(tree.node('a/b')).toBeDefined();
  });

  it('applies reset, then removed, then changed', () => {
    const tree = treeOf('old/1', 'old/2');
    tree.apply({ changed: [summary('new/1', 4)], removed: ['new/1'], reset: true });
    expect(names(tree)).toEqual(['new']);
    expect(tree.root).toMatchObject({ messages: 4, topics: 1 });
    // Removed then published again in the same batch: present.
    tree.apply({ changed: [summary('new/1', 5)], removed: ['new/1'], reset: false });
    expect(tree.node('new/1')).toMatchObject({ messages: 5, topics: 1 });
    expect(tree.root).toMatchObject({ messages: 5, topics: 1 });
  });

  it('load replaces everything with the snapshot', () => {
    const tree = treeOf('x/1', 'x/2');
    tree.load([summary('y/1', 3, 1), summary('y/2/z', 2, 1)]);
    expect(tree.node('x')).toBeUndefined();
    expect(tree.root).toMatchObject({ messages: 5, topics: 2, rate: 2 });
    expect(tree.node('y')).toMatchObject({ messages: 5, topics: 2 });
    tree.load([]);
    expect(tree.root).toMatchObject({ messages: 0, topics: 0, rate: 0 });
    expect(tree.root.children.size).toBe(0);
  });
});

describe('rows', () => {
  it('shows top-level nodes, then the children of expanded ones, depth first, in numeric order', () => {
    const tree = treeOf('b/sensor10', 'b/sensor2', 'b/sensor1/t', 'a', 'c/x/y', 'ab');
    expect(show(tree.rows())).toEqual(['-a', '-ab', '>b', '>c']);
    tree.setExpanded('b', true);
    expect(show(tree.rows())).toEqual(['-a', '-ab', '+b', '  >b/sensor1', '  -b/sensor2', '  -b/sensor10', '>c']);
    tree.setExpanded('b/sensor1', true);
    tree.setExpanded('c/x', true); // not shown: its parent is collapsed
    expect(show(tree.rows())).toEqual(['-a', '-ab', '+b', '  +b/sensor1', '    -b/sensor1/t', '  -b/sensor2', '  -b/sensor10', '>c']);
    tree.setExpanded('c', true);
    expect(show(tree.rows()).slice(-3)).toEqual(['+c', '  +c/x', '    -c/x/y']);
    tree.setExpanded('b', false);
    expect(show(tree.rows())).toEqual(['-a', '-ab', '>b', '+c', '  +c/x', '    -c/x/y']);
    // Expanded again: the state below it was kept.
    tree.setExpanded('b', true);
    expect(show(tree.rows())).toContain('    -b/sensor1/t');
  });

  it('sorts a new child into place, and keeps the expand state of a topic that goes and comes back', () => {
    const tree = treeOf('a/item1', 'a/item20');
    tree.setExpanded('a', true);
    expect(show(tree.rows())).toEqual(['+a', '  -a/item1', '  -a/item20']);
    tree.apply({ changed: [summary('a/item3')], removed: [], reset: false });
    expect(show(tree.rows())).toEqual(['+a', '  -a/item1', '  -a/item3', '  -a/item20']);
    tree.apply({ changed: [], removed: ['a/item1', 'a/item3', 'a/item20'], reset: false });
    expect(tree.rows()).toEqual([]);
    expect(tree.isExpanded('a')).toBe(true);
    tree.apply({ changed: [summary('a/z')], removed: [], reset: false });
    expect(show(tree.rows())).toEqual(['+a', '  -a/z']);
  });

  it('does not show a leaf as expanded', () => {
    const tree = treeOf('a');
    tree.setExpanded('a', true);
    expect(tree.rows()[0]).toMatchObject({ expanded: false, hasChildren: false });
  });

  it('expandAll opens a subtree or everything, collapseAll closes everything', () => {
    const tree = treeOf('a/b/c', 'a/d', 'x/y/z');
    tree.expandAll('a');
    expect(show(tree.rows())).toEqual(['+a', '  +a/b', '    -a/b/c', '  -a/d', '>x']);
    expect(tree.isExpanded('a/d')).toBe(false); // a leaf: nothing to expand
    tree.expandAll();
    expect(show(tree.rows())).toEqual(['+a', '  +a/b', '    -a/b/c', '  -a/d', '+x', '  +x/y', '    -x/y/z']);
    tree.collapseAll();
    expect(show(tree.rows())).toEqual(['>a', '>x']);
    expect(tree.isExpanded('a/b')).toBe(false);
  });

  it('returns the same rows while only counts change, and new rows when the shape does', () => {
    const tree = treeOf('a/b', 'a/c');
    tree.setExpanded('a', true);
    const first = tree.rows();
    tree.apply({ changed: [summary('a/b', 9, 3)], removed: [], reset: false });
    expect(tree.rows()).toBe(first);
    expect(first[1]!.node.summary!.count).toBe(9); // read live from the node
    tree.apply({ changed: [summary('a/d')], removed: [], reset: false });
    expect(tree.rows()).not.toBe(first);
    expect(tree.rows()).toHaveLength(4);
  });
});

describe('filter', () => {
  const topics = ['home/Kitchen/temp', 'home/kitchen2/temp', 'home/hall/temp', 'home/hall/humidity', 'office/temp', 'garden/kitchen-herbs'];

  it('shows the nodes the filter reaches, case-insensitively, with their ancestors expanded, whatever the expand state', () => {
    const tree = treeOf(...topics);
    expect(show(tree.rows('KITCHEN'))).toEqual(['+garden', '  -garden/kitchen-herbs', '+home', '  >home/Kitchen', '  >home/kitchen2']);
    const kitchen = tree.rows('KITCHEN')[3]!;
    expect(kitchen.match).toEqual({ start: 5, end: 12 });
    expect(kitchen.node.path.slice(5, 12)).toBe('Kitchen');
    // Ancestors carry no match.
    expect(tree.rows('KITCHEN')[2]!.match).toBeUndefined();
    // The expand state is set aside while filtering, and back afterwards.
    tree.setExpanded('home', true);
    tree.setExpanded('home/hall', true);
    expect(show(tree.rows('kitchen2'))).toEqual(['+home', '  >home/kitchen2']);
    expect(show(tree.rows())).toEqual(['>garden', '+home', '  +home/hall', '    -home/hall/humidity', '    -home/hall/temp', '  >home/Kitchen', '  >home/kitchen2', '>office']);
  });

  it('hides the descendants of a match unless they match on their own level', () => {
    const tree = treeOf(...topics);
    // Every path below home/Kitchen contains "kitchen", but only the level itself is shown, collapsed.
    expect(show(tree.rows('kitchen')).filter((r) => r.includes('temp'))).toEqual([]);
    // Leaves matching on their own level come with every ancestor.
    expect(show(tree.rows('temp'))).toEqual([
      '+home',
      '  +home/hall',
      '    -home/hall/temp',
      '  +home/Kitchen',
      '    -home/Kitchen/temp',
      '  +home/kitchen2',
      '    -home/kitchen2/temp',
      '+office',
      '  -office/temp',
    ]);
    // A match that also has matching descendants is shown expanded, both with a match.
    const nested = treeOf('tmp/tmp2/x', 'tmp/y');
    const rows = nested.rows('tmp');
    expect(show(rows)).toEqual(['+tmp', '  >tmp/tmp2']);
    expect(rows.map((r) => r.match)).toEqual([
      { start: 0, end: 3 },
      { start: 4, end: 7 },
    ]);
  });

  it('matches across levels on the level where the match ends, and on the `/` before a level', () => {
    const tree = treeOf(...topics);
    expect(show(tree.rows('hall/te'))).toEqual(['+home', '  +home/hall', '    -home/hall/temp']);
    expect(tree.rows('hall/te')[2]!.match).toEqual({ start: 5, end: 12 });
    expect(show(tree.rows('hall/'))).toEqual(['+home', '  +home/hall', '    -home/hall/humidity', '    -home/hall/temp']);
    expect(tree.rows('nothing-like-it')).toEqual([]);
    // Regular-expression characters are plain text.
    expect(tree.rows('.*')).toEqual([]);
    expect(show(treeOf('a/x.*y', 'a/xzzy').rows('.*'))).toEqual(['+a', '  -a/x.*y']);
  });

  it('shows everything below a match the person expands, by the expand state, without clearing the filter', () => {
    const tree = treeOf('home/hall/temp', 'home/hall/deep/x', 'home/kitchen/temp');
    expect(show(tree.rows('hall'))).toEqual(['+home', '  >home/hall']);
    tree.setExpanded('home/hall', true);
    expect(show(tree.rows('hall'))).toEqual(['+home', '  +home/hall', '    >home/hall/deep', '    -home/hall/temp']);
    tree.setExpanded('home/hall/deep', true);
    expect(show(tree.rows('hall'))).toEqual(['+home', '  +home/hall', '    +home/hall/deep', '      -home/hall/deep/x', '    -home/hall/temp']);
    // The rows below carry no match: only the level the filter reached is highlighted.
    expect(tree.rows('hall').map((r) => r.match !== undefined)).toEqual([false, true, false, false, false]);
  });

  it('recomputes the filtered rows when topics come', () => {
    const tree = treeOf(...topics);
    expect(tree.rows('cellar')).toEqual([]);
    tree.apply({ changed: [summary('home/cellar/temp')], removed: [], reset: false });
    expect(show(tree.rows('cellar'))).toEqual(['+home', '  >home/cellar']);
  });
});

describe('version', () => {
  it('is bumped by every change and not by what changes nothing', () => {
    const tree = new TopicTree();
    let v = tree.version;
    const bumped = () => {
      const was = v;
      v = tree.version;
      return v > was;
    };
    tree.load([summary('a/b')]);
    expect(bumped()).toBe(true);
    tree.apply({ changed: [summary('a/b', 2)], removed: [], reset: false });
    expect(bumped()).toBe(true);
    tree.apply({ changed: [], removed: [], reset: false });
    expect(bumped()).toBe(false);
    tree.setExpanded('a', true);
    expect(bumped()).toBe(true);
    tree.setExpanded('a', true);
    expect(bumped()).toBe(false);
    tree.setExpanded('a', false);
    expect(bumped()).toBe(true);
    tree.expandAll();
    expect(bumped()).toBe(true);
    tree.collapseAll();
    expect(bumped()).toBe(true);
    tree.collapseAll();
    expect(bumped()).toBe(false);
    tree.apply({ changed: [], removed: ['a/b'], reset: false });
    expect(bumped()).toBe(true);
    tree.apply({ changed: [], removed: [], reset: true });
    expect(bumped()).toBe(true);
    tree.rows('x');
    expect(bumped()).toBe(false);
  });
});

describe('topicsUnder', () => {
  it('gives the node and every topic below it, in display order, and nothing of a sibling sharing its prefix', () => {
    const tree = treeOf('a/b', 'a/b/c10', 'a/b/c9/d', 'a/bc', 'a/bc/x', 'a');
    expect(tree.topicsUnder('a/b').map((s) => s.topic)).toEqual(['a/b', 'a/b/c9/d', 'a/b/c10']);
    expect(tree.topicsUnder('a').map((s) => s.topic)).toEqual(['a', 'a/b', 'a/b/c9/d', 'a/b/c10', 'a/bc', 'a/bc/x']);
    expect(tree.topicsUnder('a/b/c9').map((s) => s.topic)).toEqual(['a/b/c9/d']);
    expect(tree.topicsUnder('a/b/c')).toEqual([]);
    expect(tree.topicsUnder('zzz')).toEqual([]);
  });
});

describe('100,000 topics', () => {
  it('lays out only what is expanded, and filters correctly', () => {
    const N = 100_000;
    const tree = new TopicTree();
    const all: TopicSummaryDto[] = [];
    for (let i = 0; i < N; i++) all.push(summary(`home/room${i % 100}/device${i}/temp`, 1 + (i % 3), 0.5));
    tree.load(all);
    expect(tree.root).toMatchObject({ topics: N, messages: all.reduce((n, s) => n + s.count, 0), rate: 0.5 * N });
    expect(tree.node('home/room7')).toMatchObject({ topics: 1000 });

    expect(show(tree.rows())).toEqual(['>home']);
    tree.setExpanded('home', true);
    const rooms = tree.rows();
    expect(rooms).toHaveLength(101);
    expect(rooms.slice(1, 4).map((r) => r.node.name)).toEqual(['room0', 'room1', 'room2']);
    expect(rooms[100]!.node.name).toBe('room99');

    tree.setExpanded('home/room42', true);
    const rows = tree.rows();
    expect(rows).toHaveLength(1 + 100 + 1000);
    expect(rows[43]!.node.path).toBe('home/room42');
    expect(rows[43]!.expanded).toBe(true);
    // Numeric order: device42, device142, ..., device99942.
    const devices = rows.slice(44, 44 + 1000).map((r) => r.node.name);
    expect(devices[0]).toBe('device42');
    expect(devices[1]).toBe('device142');
    expect(devices[999]).toBe('device99942');
    expect(rows.slice(44, 1044).every((r) => r.depth === 2 && r.hasChildren && !r.expanded)).toBe(true);
    expect(rows[1044]!.node.path).toBe('home/room43');

    // room1 and room10..room19 match on their own level; their devices do not.
    const filtered = tree.rows('ROOM1');
    expect(filtered).toHaveLength(12);
    expect(filtered.slice(1).map((r) => r.node.name)).toEqual(['room1', ...Array.from({ length: 10 }, (_, k) => `room${10 + k}`)]);
    const one = tree.rows('device12345/');
    expect(show(one)).toEqual(['+home', '  +home/room45', '    +home/room45/device12345', '      -home/room45/device12345/temp']);

    // A 10,000-topic diff of count updates, then its removal.
    const changed = all.slice(0, 10_000).map((s) => summary(s.topic, s.count + 1, 0));
    tree.apply({ changed, removed: [], reset: false });
    expect(tree.root.messages).toBe(all.reduce((n, s) => n + s.count, 0) + 10_000);
    expect(tree.root.rate).toBeCloseTo(0.5 * (N - 10_000), 6);
    tree.apply({ changed: [], removed: changed.map((s) => s.topic), reset: false });
    expect(tree.root.topics).toBe(N - 10_000);
    expect(tree.node('home/room42')).toMatchObject({ topics: 900 });
    expect(tree.rows()).toHaveLength(1 + 100 + 900);
  });
});
