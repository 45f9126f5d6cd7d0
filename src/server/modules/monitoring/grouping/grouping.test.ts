import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { groupingWords, NearDuplicateIndex, signature, similarity } from './index.ts';
import { decodeSignature } from './minhash.ts';

const HOT_WATER =
  'Третий день нет горячей воды в доме на улице Весенней, 12. Управляющая компания на звонки не отвечает, в аварийной говорят ждать. Сколько можно? #Кемерово https://vk.com/wall-123_456';

/** Deterministic random numbers (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ба ве го ду жи зо ка ле ми но пу ра се ти фу хо ца че ша щу ны ро ля вы мо де'.split(' ');
function vocabulary(rand: () => number, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    let w = '';
    const n = 2 + Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}
const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

function bigramJaccard(a: string, b: string): number {
  const bigrams = (t: string) => {
    const w = groupingWords(t);
    return new Set(w.slice(1).map((x, i) => `${w[i]} ${x}`));
  };
  const A = bigrams(a);
  const B = bigrams(b);
  let common = 0;
  for (const x of A) if (B.has(x)) common++;
  return common / (A.size + B.size - common);
}

describe('grouping: normalised words', () => {
  const cases: Array<[string, string, string]> = [
    ['links, handles, emoji and punctuation go', 'Нет света!!! 🔥 https://vk.com/wall-1_2 @kem_news www.kem.ru/x', 'нет света'],
    ['a bare domain goes, a Cyrillic one too', 'пишите на kemerovo.ru или в администрация.рф', 'пишите на или в'],
    ['the repost marker goes', 'Репост: Нет света', 'нет света'],
    ['«Переслано от» goes', 'Переслано от: нет света', 'нет света'],
    ['a VK mention keeps the name', '[id123|Иван Петров], нет света', 'иван петров нет света'],
    ['hashtags keep their word', '#Кемерово #нетсвета', 'кемерово нетсвета'],
    ['ё, case, stress marks', 'ЁЛКИ, Бе\u0301лово', 'елки белово'],
    [
      'Latin look-alikes inside Cyrillic words',
      'Нeт cвета (Latin e, c), but English stays',
      'нет света latin e c but english stays',
    ],
    ['numbers stay', 'Дом 12а, подъезд 3', 'дом 12а подъезд 3'],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => assert.equal(groupingWords(text).join(' '), expected));
  }
});

describe('grouping: same group or not', () => {
  // [case, first post, second post, same group?]
  const pairs: Array<[string, string, string, boolean]> = [
    [
      'a repost: «Репост:» prefix, emoji, another link and a handle',
      HOT_WATER,
      `Репост: 🔥🔥 ${HOT_WATER.replace('https://vk.com/wall-123_456', 'https://t.me/kem/789 @kem_news').replace('12.', '12!!!')}`,
      true,
    ],
    ['a repost with a comment in front', HOT_WATER, `Полностью согласна, у нас то же самое! ${HOT_WATER}`, true],
    [
      'the same text in capitals with Latin look-alikes',
      HOT_WATER,
      HOT_WATER.toUpperCase().replaceAll('О', 'O').replaceAll('Е', 'E'),
      true,
    ],
    [
      'an edited copy: three words changed',
      HOT_WATER,
      'Четвёртый день нет горячей воды в доме на улице Весенней, 12. Управляющая компания на звонки не отвечает, в диспетчерской говорят ждать. Сколько можно терпеть?',
      true,
    ],
    [
      'an edited copy: another house, a word dropped',
      'Во дворе дома по проспекту Ленина, 45 уже месяц не вывозят мусор, контейнеры переполнены, крысы бегают среди бела дня. Куда смотрит администрация?',
      'Во дворе дома по проспекту Ленина, 47 уже месяц не вывозят мусор, контейнеры переполнены, крысы бегают среди дня. Куда смотрит администрация?',
      true,
    ],
    [
      'a copy-paste storm message with the address swapped',
      'Жители Рудничного района! Завтра сход граждан против вырубки сквера у дома Шахтёров 58, приходите в 18:00, нас должны услышать!',
      'Жители Рудничного района! Завтра сход граждан против вырубки сквера у дома Шахтёров 60, приходите в 19:00, нас должны услышать!',
      true,
    ],
    [
      'different complaints about hot water',
      HOT_WATER,
      'У нас на Ленина 5 нет горячей воды уже неделю, куда звонить? Управляющая компания молчит',
      false,
    ],
    [
      'different complaints about hot water, many shared words',
      'Горячей воды нет третий день, управляющая компания не отвечает на звонки, дом 7 по Тухачевского',
      HOT_WATER,
      false,
    ],
    [
      'different complaints about hot water in one district',
      'Нет горячей воды в Ленинском районе с понедельника. Когда дадут? Дети не мылись три дня',
      'В Ленинском районе опять отключили горячую воду без предупреждения, объявлений не было, дети не мылись',
      false,
    ],
    [
      'different complaints about the same road',
      'На проспекте Ленина огромная яма у остановки, машины бьют колёса, уже три аварии',
      'Проспект Ленина: на остановке нет навеса, люди мокнут под дождём, сделайте хоть что-нибудь',
      false,
    ],
    ['short texts: equal after normalisation', 'Нет воды!!!', 'нет воды 💧', true],
    ['short texts: one word differs', 'Нет воды', 'Нет света', false],
    ['short texts against a long one', 'Нет горячей воды', HOT_WATER, false],
    ['posts without words are never duplicates', '🔥🔥🔥', '🔥🔥🔥', false],
    ['bare links are never duplicates', 'https://vk.com/wall-1_1', 'https://vk.com/wall-1_1', false],
  ];
  for (const [name, a, b, same] of pairs) {
    test(`${name} → ${same ? 'same group' : 'different groups'}`, () => {
      const index = new NearDuplicateIndex<string>();
      index.add('a', a, 0);
      const r = index.add('b', b, 1000);
      assert.equal(r.groupId === 'a', same, `similarity ${similarity(signature(a), signature(b))}`);
      assert.equal(r.duplicateOf, same ? 'a' : null);
      if (same) assert.ok(r.similarity >= index.threshold);
      else assert.equal(r.similarity, 0);
    });
  }

  test('a copy of a copy joins the first post’s group, even when it no longer resembles the first', () => {
    const rand = random(7);
    const words = vocabulary(rand, 500);
    let text = Array.from({ length: 30 }, () => pick(rand, words));
    const index = new NearDuplicateIndex<number>();
    const first = index.add(0, text.join(' '), 0);
    assert.equal(first.groupId, 0);
    for (let step = 1; step <= 8; step++) {
      text = [...text];
      text[Math.floor(rand() * text.length)] = pick(rand, words); // one word changed a step
      text[Math.floor(rand() * text.length)] = pick(rand, words);
      const r = index.add(step, text.join(' '), step);
      assert.equal(r.groupId, 0, `step ${step}`);
    }
    assert.equal(index.groupSize(0), 9);
  });

  test('the most similar earlier post is the one a post is a duplicate of; the earliest among equals', () => {
    const index = new NearDuplicateIndex<string>();
    const edited = HOT_WATER.replace('Третий', 'Четвёртый').replace('ждать', 'терпеть');
    index.add('original', HOT_WATER, 0);
    index.add('edited', edited, 1);
    index.add('copy of original', HOT_WATER, 2);
    assert.deepEqual(
      { ...index.add('copy of edited', edited, 3), signature: undefined },
      { groupId: 'original', duplicateOf: 'edited', similarity: 1, signature: undefined },
    );
    assert.equal(index.add('another copy', HOT_WATER, 4).duplicateOf, 'original');
  });

  test('adding an id again returns its first answer and changes nothing', () => {
    const index = new NearDuplicateIndex<string>();
    const first = index.add('a', HOT_WATER, 0);
    assert.deepEqual(index.add('a', 'совсем другой текст про дороги и ямы во дворе', 5), first);
    assert.equal(index.size, 1);
    assert.equal(index.groupSize('a'), 1);
  });
});

describe('grouping: the window and the capacity', () => {
  const rand = random(11);
  const words = vocabulary(rand, 800);
  const texts = Array.from({ length: 6 }, () => Array.from({ length: 20 }, () => pick(rand, words)).join(' '));

  test('beyond the capacity the oldest posts are evicted; a copy of an evicted post starts a new group', () => {
    const index = new NearDuplicateIndex<number>({ capacity: 3 });
    for (const [i, t] of texts.slice(0, 4).entries()) index.add(i, t, i);
    assert.equal(index.size, 3);
    assert.equal(index.has(0), false);
    assert.equal(index.add(10, texts[0]!, 10).groupId, 10);
    assert.equal(index.has(1), false);
    assert.equal(index.add(11, texts[2]!, 11).groupId, 2);
  });

  test('posts older than the window are evicted; within it they still group', () => {
    const hour = 3600_000;
    const index = new NearDuplicateIndex<string>({ windowMs: 24 * hour });
    index.add('old', texts[0]!, 0);
    index.add('recent', texts[1]!, 10 * hour);
    assert.equal(index.add('copy of recent', texts[1]!, 30 * hour).groupId, 'recent');
    assert.equal(index.has('old'), false);
    assert.equal(index.add('copy of old', texts[0]!, 30 * hour).groupId, 'copy of old');
    assert.equal(index.size, 3);
  });

  test('a late post is not compared with one more than the window apart, and time given as a Date works', () => {
    const day = 24 * 3600_000;
    const index = new NearDuplicateIndex<string>({ windowMs: day });
    index.add('new', texts[3]!, new Date(Date.UTC(2026, 0, 10)));
    const late = index.add('late, three days older', texts[3]!, new Date(Date.UTC(2026, 0, 7)));
    assert.equal(late.duplicateOf, null);
    index.add('short', 'Нет воды', new Date(Date.UTC(2026, 0, 10)));
    assert.equal(index.add('short, old', 'нет воды', new Date(Date.UTC(2026, 0, 8))).duplicateOf, null);
  });

  test('remove(): the group lives on in its other posts; group sizes follow evictions', () => {
    const index = new NearDuplicateIndex<string>({ capacity: 3 });
    index.add('a', texts[4]!, 0);
    index.add('b', texts[4]!, 1);
    assert.equal(index.groupSize('a'), 2);
    assert.equal(index.remove('a'), true);
    assert.equal(index.remove('a'), false);
    assert.equal(index.groupSize('a'), 1);
    assert.equal(index.add('c', texts[4]!, 2).groupId, 'a');
    index.add('d', texts[5]!, 3);
    index.add('e', texts[0]!, 4); // evicts b (a is gone already)
    assert.equal(index.has('b'), false);
    assert.equal(index.groupSize('a'), 1);
    assert.equal(index.size, 3);
  });

  test('bad options are refused', () => {
    assert.throws(() => new NearDuplicateIndex({ capacity: 0 }), RangeError);
    assert.throws(() => new NearDuplicateIndex({ windowMs: -1 }), RangeError);
    assert.throws(() => new NearDuplicateIndex({ threshold: 1.5 }), RangeError);
  });
});

describe('grouping: signatures and a restart', () => {
  test('the stored form: prefix and length; one text, one signature; garbage refused', () => {
    const long = signature(HOT_WATER);
    assert.match(long, /^m1:[A-Za-z0-9_-]{342}$/);
    assert.equal(signature(HOT_WATER), long);
    assert.equal(decodeSignature(long).kind, 'minhash');
    assert.match(signature('Нет воды'), /^e1:[0-9a-f]{16}$/);
    assert.equal(signature('Нет воды!'), signature('нет   воды'));
    assert.equal(signature('🔥'), 'n1:');
    assert.equal(similarity(long, long), 1);
    assert.equal(similarity(signature('🔥'), signature('🔥')), 0);
    for (const bad of ['', 'm1:abc', 'e1:xyz', 'x1:', HOT_WATER])
      assert.throws(() => decodeSignature(bad), /not a near-duplicate/);
  });

  test('an index rebuilt from stored signatures and groups answers as the original would', () => {
    const rand = random(3);
    const words = vocabulary(rand, 300);
    const base = Array.from({ length: 12 }, () => Array.from({ length: 25 }, () => pick(rand, words)));
    const variant = (i: number) => {
      const w = [...base[i % base.length]!];
      w[Math.floor(rand() * w.length)] = pick(rand, words);
      return w.join(' ');
    };
    const original = new NearDuplicateIndex<number>({ capacity: 40 });
    const stored: Array<{ id: number; signature: string; groupId: number; at: number }> = [];
    for (let i = 0; i < 60; i++) {
      const r = original.add(i, variant(i), i * 1000);
      stored.push({ id: i, signature: r.signature, groupId: r.groupId, at: i * 1000 });
    }
    const rebuilt = new NearDuplicateIndex<number>({ capacity: 40 });
    for (const post of stored) rebuilt.restore(post);
    assert.equal(rebuilt.size, original.size);
    for (let i = 60; i < 100; i++) {
      const text = variant(i);
      assert.deepEqual(rebuilt.add(i, text, i * 1000), original.add(i, text, i * 1000), `post ${i}`);
    }
    // addSignature() matches as add() does
    const fromSignature = new NearDuplicateIndex<number>();
    fromSignature.addSignature(1, signature(HOT_WATER), 0);
    assert.equal(fromSignature.add(2, `Репост: ${HOT_WATER}`, 1).groupId, 1);
  });
});

describe('grouping: properties over random texts', () => {
  const rand = random(2026);
  const words = vocabulary(rand, 3000);
  const text = (n: number) => Array.from({ length: n }, () => pick(rand, words));

  test('unrelated texts never group, and lookup compares with few posts (no scan)', () => {
    const index = new NearDuplicateIndex<number>({ capacity: 10_000 });
    let grouped = 0;
    for (let i = 0; i < 4000; i++)
      if (index.add(i, text(8 + Math.floor(rand() * 50)).join(' '), i).duplicateOf !== null) grouped++;
    assert.equal(grouped, 0);
    assert.ok(index.comparisons < 400, `${index.comparisons} comparisons for 4000 posts`);
  });

  test('edited copies group when their bigram Jaccard is ≥ 0.65 and do not when it is < 0.3; the estimate is close', () => {
    let high = 0;
    let highGrouped = 0;
    let low = 0;
    let lowGrouped = 0;
    let errorSum = 0;
    let maxError = 0;
    const pairs = 1500;
    for (let p = 0; p < pairs; p++) {
      const a = text(10 + Math.floor(rand() * 60));
      const b = [...a];
      const edits = Math.floor(rand() * Math.max(2, b.length / 2));
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * b.length);
        const op = rand();
        if (op < 0.6) b[at] = pick(rand, words);
        else if (op < 0.8) b.splice(at, 1);
        else b.splice(at, 0, pick(rand, words));
      }
      const [ta, tb] = [a.join(' '), b.join(' ')];
      if (groupingWords(tb).length < 5) continue;
      const exact = bigramJaccard(ta, tb);
      const estimate = similarity(signature(ta), signature(tb));
      errorSum += Math.abs(estimate - exact);
      maxError = Math.max(maxError, Math.abs(estimate - exact));
      const index = new NearDuplicateIndex<string>();
      index.add('a', ta, 0);
      const same = index.add('b', tb, 1).groupId === 'a';
      if (exact >= 0.65) {
        high++;
        if (same) highGrouped++;
      } else if (exact < 0.3) {
        low++;
        if (same) lowGrouped++;
      }
    }
    assert.ok(high > 100 && low > 100, `high ${high}, low ${low}`);
    assert.ok(highGrouped / high >= 0.97, `${highGrouped} of ${high} similar pairs grouped`);
    assert.ok(lowGrouped / low <= 0.01, `${lowGrouped} of ${low} dissimilar pairs grouped`);
    assert.ok(errorSum / pairs < 0.05, `mean error ${errorSum / pairs}`);
    assert.ok(maxError < 0.2, `max error ${maxError}`);
  });

  test('a storm of 2,000 copies with small changes is one group, checked against few posts each', () => {
    const index = new NearDuplicateIndex<number>();
    const base = text(40);
    for (let i = 0; i < 2000; i++) {
      const copy = [...base];
      copy[Math.floor(rand() * copy.length)] = pick(rand, words);
      assert.equal(index.add(i, copy.join(' '), i).groupId, 0, `copy ${i}`);
    }
    assert.equal(index.groupSize(0), 2000);
    // at most 64 a bucket are looked at, and a post found in several buckets is compared once
    assert.ok(index.comparisons < 2000 * 300, `${index.comparisons} comparisons`);
  });
});
