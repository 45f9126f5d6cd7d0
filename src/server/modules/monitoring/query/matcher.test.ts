import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { evaluate, PostView } from './evaluate.ts';
import { QueryMatcher } from './matcher.ts';
import { parseQuery } from './parser.ts';
import { syntheticPosts, syntheticQueries } from './synthetic.ts';
import { type Token, tokenize } from './tokenize.ts';
import type { Query, QueryNode, TermNode } from './types.ts';

function parsed(text: string): Query {
  const result = parseQuery(text);
  assert.ok(result.ok, `«${text}»: ${!result.ok && result.error.message}`);
  return result.query;
}

/**
 * The reference: the language's definitions evaluated by brute force on the tokens, sharing nothing with the
 * evaluator or the matcher but the tokenizer and the parser.
 */
function referenceHolds(node: QueryNode, tokens: Token[]): boolean {
  switch (node.type) {
    case 'term':
    case 'near':
      return referenceSpans(node, tokens).length > 0;
    case 'and':
      return node.children.every((c) => referenceHolds(c, tokens));
    case 'or':
      return node.children.some((c) => referenceHolds(c, tokens));
    case 'not':
      return !referenceHolds(node.child, tokens);
  }
}

function termAt(term: TermNode, tokens: Token[], p: number): boolean {
  return term.items.every((item, i) => {
    const t = tokens[p + i];
    return t !== undefined && (item.kind === 'stem' ? t.stem === item.value : t.norm.startsWith(item.value));
  });
}

function referenceSpans(node: QueryNode, tokens: Token[]): Array<[number, number]> {
  const out = new Map<string, [number, number]>();
  const add = (s: number, e: number) => out.set(`${s},${e}`, [s, e]);
  if (node.type === 'term') {
    for (let p = 0; p < tokens.length; p++) if (termAt(node, tokens, p)) add(p, p + node.items.length - 1);
  } else if (node.type === 'or') {
    for (const child of node.children) for (const [s, e] of referenceSpans(child, tokens)) add(s, e);
  } else if (node.type === 'near') {
    // Two occurrences, not overlapping, the later one starting at most `distance` positions after the earlier ends.
    for (const [as, ae] of referenceSpans(node.left, tokens))
      for (const [bs, be] of referenceSpans(node.right, tokens)) {
        const gap = ae < bs ? bs - ae : be < as ? as - be : 0;
        if (gap >= 1 && gap <= node.distance) add(Math.min(as, bs), Math.max(ae, be));
      }
  } else {
    throw new Error(`${node.type} has no position`);
  }
  return [...out.values()];
}

describe('QueryMatcher: what matches what', () => {
  // [query, post, matches]
  const cases: Array<[string, string, boolean]> = [
    // Morphology: a word matches every form with its stem.
    ['яма', 'Огромными ямами на дороге', true],
    ['ямами', 'Тут яма', true],
    ['жалоба', 'Отправил жалобу, жалобы не читают', true],
    ['жалоба', 'с жалобой', true],
    ['яма', 'ямщик', false],
    ['Кемерово', 'в Кемерове', true],
    ['ёлка', 'Елки во дворе', true],
    ['мусор', 'мусоp у подъезда', true], // Latin p
    ['running', 'she runs', true],
    ['ямы', '#ямы #Кузбасс', true],
    ['vk', 'см. https://vk.com/wall-1', false],
    ['admin', 'пишите @admin', false],
    // Prefix: of the word as written (normalised), not of its stem.
    ['дорог*', 'ремонт дорогами', true],
    ['дорог*', 'дорожный знак', false],
    ['отключ*', 'ОТКЛЮЧИЛИ свет', true],
    ['елк*', 'ёлочка ёлками', true],
    // Phrases: consecutive tokens, stem-wise; punctuation between them does not break a phrase.
    ['"горячей воды"', 'нет горячей воды', true],
    ['"горячей воды"', 'дали горячую воду', true],
    ['"горячей воды"', 'воды горячей нет', false],
    ['"горячей воды"', 'горячей и холодной воды', false],
    ['"горячей воды"', 'не горячей. Воды нет', true],
    ['"не работает"', 'лифт не работает', true],
    ['"не работает"', 'лифт работает', false],
    ['"отключ* свет"', 'отключили свет', true],
    ['северо-западный', 'Северо-Западный район', true],
    ['северо-западный', 'северо западный', true],
    ['северо-западный', 'западный северо', false],
    // NEAR/n: both, in either order, start of the later at most n positions after the end of the earlier.
    ['отключ* NEAR/3 свет', 'отключили вчера вечером свет', true],
    ['отключ* NEAR/3 свет', 'свет опять отключили', true],
    ['отключ* NEAR/3 свет', 'отключили вчера поздно вечером свет', false],
    ['свет NEAR/1 отключили', 'свет отключили', true],
    ['свет NEAR/1 отключили', 'свет опять отключили', false],
    ['свет NEAR/2 свет', 'свет', false],
    ['свет NEAR/2 свет', 'свет и свет', true],
    ['"горячей воды" NEAR/1 нет', 'горячей воды нет', true],
    ['"горячей воды" NEAR/1 нет', 'нет горячей воды', true],
    ['(свет OR электричество) NEAR/2 отключ*', 'электричество опять отключили', true],
    ['(яма NEAR/1 дорога) NEAR/2 Кемерово', 'яма дорога в Кемерове', true],
    ['(яма NEAR/1 дорога) NEAR/1 Кемерово', 'яма дорога в Кемерове', false],
    // NOT, parentheses, OR of ANDs.
    ['яма AND NOT снег', 'яма и снег', false],
    ['яма AND NOT снег', 'яма летом', true],
    ['яма НЕ (снег OR лёд)', 'яма, а на ней лёд', false],
    ['NOT NOT яма', 'яма', true],
    ['(яма OR выбоина) AND дорога', 'выбоина на дороге', true],
    ['(яма OR выбоина) AND дорога', 'выбоина во дворе', false],
    ['(яма AND дорога) OR (свет AND отключили)', 'опять отключили свет', true],
    ['(яма AND дорога) OR (свет AND отключили)', 'яма во дворе, свет есть', false],
    ['яма OR ямы выбоина', 'яма', true],
    ['яма дорога', 'дорога, яма', true],
    ['(яма OR NOT снег) AND дорога', 'дорога', true],
    ['(яма OR NOT снег) AND дорога', 'дорога и снег', false],
  ];
  for (const [text, post, expected] of cases)
    test(`«${text}» ${expected ? 'matches' : 'does not match'} «${post}»`, () => {
      const matcher = new QueryMatcher([{ id: 7, text }]);
      assert.deepEqual(matcher.match(post), expected ? [7] : []);
      assert.equal(evaluate(parsed(text).root, PostView.of(post)), expected, 'evaluate');
      assert.equal(referenceHolds(parsed(text).root, tokenize(post)), expected, 'reference');
    });
});

describe('QueryMatcher: the index', () => {
  test('many queries: ids ascending, only those that match', () => {
    const matcher = new QueryMatcher([
      { id: 30, text: '(яма OR ямы OR выбоина) AND дорог*' },
      { id: 10, text: 'яма' },
      { id: 20, text: 'отключ* NEAR/3 (свет OR электричеств*)' },
      { id: 40, text: '"горячей воды" AND NOT реклама' },
    ]);
    assert.deepEqual(matcher.match('Огромные ямы на дороге, вчера отключили свет'), [10, 20, 30]);
    assert.deepEqual(matcher.match('Реклама: горячей воды'), []);
    assert.deepEqual(matcher.match('нет горячей воды'), [40]);
    assert.deepEqual(matcher.match(''), []);
  });

  test('matchDetailed: where each positive term occurs, as character ranges', () => {
    const matcher = new QueryMatcher([
      { id: 1, text: 'яма AND NOT снег' },
      { id: 2, text: '"горячей воды" OR отключ*' },
      { id: 3, text: 'снег' },
    ]);
    const post = 'Яма, ещё яма! Нет горячей воды';
    const at = (word: string, from = 0) => {
      const i = post.indexOf(word, from);
      return [i, i + word.length];
    };
    assert.deepEqual(
      matcher.matchDetailed(post).map((m) => [m.id, m.hits.map((h) => [h.from, h.to, h.term])]),
      [
        [
          1,
          [
            [...at('Яма'), 'яма'],
            [...at('яма'), 'яма'],
          ],
        ],
        [2, [[...at('горячей воды'), '"горячей воды"']]],
      ],
    );
  });

  test('add replaces a query with the same id; remove; a refused text keeps the old query', () => {
    const matcher = new QueryMatcher([{ id: 1, text: 'яма' }]);
    assert.deepEqual(matcher.match('яма'), [1]);
    assert.deepEqual(matcher.add({ id: 1, text: 'дорога' }), { ok: true });
    assert.deepEqual(matcher.match('яма'), []);
    assert.deepEqual(matcher.match('дорога'), [1]);
    const refused = matcher.add({ id: 1, text: 'дорога AND' });
    assert.equal(refused.ok, false);
    assert.deepEqual(matcher.match('дорога'), [1]);
    assert.equal(matcher.remove(1), true);
    assert.equal(matcher.remove(1), false);
    assert.deepEqual(matcher.match('дорога'), []);
    assert.equal(matcher.size, 0);
    assert.equal(matcher.stats().keys, 0);
  });

  test('the constructor lists the queries it refused', () => {
    const matcher = new QueryMatcher([
      { id: 1, text: 'яма' },
      { id: 2, text: 'NOT яма' },
      { id: 3, text: '(яма' },
    ]);
    assert.equal(matcher.size, 1);
    assert.deepEqual(
      matcher.refused.map((r) => [r.id, r.error.position]),
      [
        [2, 0],
        [3, 0],
      ],
    );
  });

  test('an already parsed query can be given', () => {
    const matcher = new QueryMatcher([{ id: 5, query: parsed('яма NEAR/2 дорога') }]);
    assert.deepEqual(matcher.match('яма на дороге'), [5]);
  });

  test('shared subtrees are one node, released with the last query holding them', () => {
    const matcher = new QueryMatcher([
      { id: 1, text: '(яма OR выбоина) AND Кемерово' },
      { id: 2, text: '(яма OR выбоина) AND Белово' },
    ]);
    // яма, выбоина, their OR, Кемерово, Белово, two ANDs.
    assert.equal(matcher.stats().nodes, 7);
    matcher.remove(1);
    assert.equal(matcher.stats().nodes, 5);
    assert.deepEqual(matcher.match('яма в Белове'), [2]);
    matcher.remove(2);
    assert.equal(matcher.stats().nodes, 0);
  });

  test('a post with more distinct index keys than the pair limit takes the single-key route', () => {
    const queries = Array.from({ length: 100 }, (_, i) => ({ id: i, text: `a${i} AND b${i} AND NOT c${i}` }));
    const matcher = new QueryMatcher(queries);
    const words: string[] = [];
    for (let i = 0; i < 100; i++) {
      if (i % 2 === 0) words.push(`a${i}`, `b${i}`);
      if (i % 3 === 0) words.push(`a${i}`);
      if (i % 4 === 0) words.push(`c${i}`);
    }
    const expected = queries.filter((q) => q.id % 2 === 0 && q.id % 4 !== 0).map((q) => q.id);
    assert.deepEqual(matcher.match(words.join(' ')), expected);
  });

  test('maxTokens: words after the limit are not read', () => {
    const matcher = new QueryMatcher([{ id: 1, text: 'яма' }], { maxTokens: 3 });
    assert.deepEqual(matcher.match('раз два яма'), [1]);
    assert.deepEqual(matcher.match('раз два три яма'), []);
  });

  test('a post of 100,000 words', () => {
    const matcher = new QueryMatcher(syntheticQueries(500).map((text, id) => ({ id, text })));
    const post = syntheticPosts(3000).join(' ');
    const view = PostView.of(post);
    const queries = syntheticQueries(500).map(parsed);
    const expected = queries.flatMap((q, id) => (evaluate(q.root, view) ? [id] : []));
    assert.ok(expected.length > 100);
    assert.deepEqual(matcher.match(post), expected);
  });

  test('the synthetic corpus: the index finds exactly what evaluating every query finds', () => {
    const texts = syntheticQueries(1000, 11);
    const matcher = new QueryMatcher(texts.map((text, id) => ({ id, text })));
    const queries = texts.map(parsed);
    let matches = 0;
    for (const post of syntheticPosts(400, 12)) {
      const view = PostView.of(post);
      const expected = queries.flatMap((q, id) => (evaluate(q.root, view) ? [id] : []));
      assert.deepEqual(matcher.match(post), expected, post);
      matches += expected.length;
    }
    assert.ok(matches > 100, `${matches} matches`);
  });
});

describe('QueryMatcher: property — the index returns exactly what the definitions say', () => {
  const VOCABULARY = [
    'яма',
    'ямы',
    'ямами',
    'ямой',
    'дорога',
    'дороги',
    'дорогу',
    'дорожный',
    'свет',
    'света',
    'светлый',
    'отключили',
    'отключение',
    'вода',
    'воды',
    'горячей',
    'горячая',
    'мусор',
    'мусорный',
    'снег',
    'Кемерово',
    'Кемерове',
    'фонари',
  ];
  const FILLERS = ['и', 'не', 'на', 'опять', 'уже', '2024'];
  const word = fc.constantFrom(...VOCABULARY);
  const term = fc.oneof(
    word,
    word.chain((w) => fc.integer({ min: 3, max: w.length }).map((k) => `${w.slice(0, k)}*`)),
    fc.array(fc.constantFrom(...VOCABULARY, ...FILLERS), { minLength: 2, maxLength: 3 }).map((ws) => `"${ws.join(' ')}"`),
  );
  const { positional } = fc.letrec<{ positional: string }>((tie) => ({
    positional: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      term,
      fc.tuple(tie('positional'), tie('positional')).map(([a, b]) => `(${a} OR ${b})`),
      fc.tuple(tie('positional'), fc.integer({ min: 1, max: 4 }), tie('positional')).map(([a, n, b]) => `(${a} NEAR/${n} ${b})`),
    ),
  }));
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      positional,
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} AND ${b})`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} ${b})`),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} OR ${b})`),
      tie('expr').map((a) => `NOT ${a}`),
    ),
  }));
  const post = fc
    .array(fc.tuple(fc.constantFrom(...VOCABULARY, ...FILLERS), fc.constantFrom(' ', ' ', ', ', '-', '. ')), {
      maxLength: 25,
    })
    .map((parts) => parts.map(([w, sep]) => w + sep).join(''));

  test('random queries × random posts, with removals', () => {
    fc.assert(
      fc.property(
        fc.array(expr, { minLength: 1, maxLength: 12 }),
        fc.array(post, { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (texts, posts, removed) => {
          const queries = texts.flatMap((text, id) => {
            const result = parseQuery(text);
            return result.ok ? [{ id, query: result.query }] : [];
          });
          const matcher = new QueryMatcher(queries);
          const check = (live: typeof queries) => {
            for (const p of posts) {
              const tokens = tokenize(p);
              const expected = live.filter((q) => referenceHolds(q.query.root, tokens)).map((q) => q.id);
              assert.deepEqual(matcher.match(p), expected, `post «${p}»`);
              assert.deepEqual(
                matcher.matchDetailed(p).map((m) => m.id),
                expected,
              );
              const view = PostView.of(p);
              assert.deepEqual(
                live.filter((q) => evaluate(q.query.root, view)).map((q) => q.id),
                expected,
                'evaluate',
              );
            }
          };
          check(queries);
          for (const q of queries) if (removed[q.id]) matcher.remove(q.id);
          check(queries.filter((q) => !removed[q.id]));
        },
      ),
      { seed: 20_260_601, numRuns: 400 },
    );
  });
});
