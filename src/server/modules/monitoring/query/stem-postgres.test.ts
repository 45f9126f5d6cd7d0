import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../../../test/support/test-db.ts';
import type { DatabaseHandle } from '../../../core/db/index.ts';
import { syntheticWords } from './synthetic.ts';
import { stem } from './tokenize.ts';

/**
 * Our stems are the database's: PostgreSQL's `russian` configuration stems with Snowball (`russian_stem`, and
 * `english_stem` for ASCII words), so a query here and `to_tsvector('russian', …)` there agree. Runs on PGlite, and
 * on PostgreSQL with DATABASE_URL. `russian_stem` drops stop words (returns {}); for those we ask a Snowball
 * dictionary without a stop-word list, created here, since we keep stop words as tokens.
 */

// Nouns, adjectives, verbs, participles in several cases and numbers, ё, proper names, municipal vocabulary.
const RUSSIAN = [
  'яма',
  'ямы',
  'ямами',
  'ямой',
  'дорога',
  'дороги',
  'дорогами',
  'дорогой',
  'дорожный',
  'освещение',
  'освещения',
  'фонарь',
  'фонари',
  'фонарей',
  'мусор',
  'мусора',
  'мусорные',
  'мусорных',
  'контейнеры',
  'отключили',
  'отключение',
  'отключат',
  'отопление',
  'отопления',
  'батареи',
  'горячей',
  'горячая',
  'холодной',
  'вода',
  'воды',
  'воду',
  'водой',
  'Кемерово',
  'Кемерове',
  'Белове',
  'Белово',
  'Новокузнецка',
  'Прокопьевске',
  'Междуреченск',
  'жалоба',
  'жалобы',
  'жалобой',
  'жалуются',
  'ёлка',
  'ёлки',
  'всё',
  'ещё',
  'Ёжиками',
  'сломанные',
  'сломана',
  'переполнены',
  'затопило',
  'протекает',
  'бродячих',
  'собаками',
  'подъезда',
  'подъезде',
  'администрация',
  'администрации',
  'управляющая',
  'компании',
  'неделю',
  'электричества',
  'электроэнергии',
  'светофоры',
  'остановках',
  'благоустройство',
  'капитального',
  'пешеходного',
  'уличное',
];

const ENGLISH = ['running', 'cities', 'generously', 'hopping', 'stopped', 'news', 'communism', 'lying', 'skiing'];

// Stemmed differently by PostgreSQL 15 («ad», as we do) and PostgreSQL 18 / PGlite («add»): see tokenize.ts.
const ENGLISH_BY_VERSION: Array<[string, string, string]> = [
  ['added', 'ad', 'add'],
  ['adding', 'ad', 'add'],
  ['egging', 'eg', 'egg'],
  ['offed', 'of', 'off'],
];

// Stop words: russian_stem says {}, the dictionary without stop words stems them.
const STOP = ['и', 'не', 'на', 'было', 'нет', 'без', 'опять', 'уже', 'всего', 'между'];

describe('stems agree with PostgreSQL', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase();
    await sql`create text search dictionary monitoring_ru_nostop (template = snowball, language = russian)`.execute(database.db);
  });
  after(async () => {
    await database?.close();
  });

  async function lexize(dictionary: string, words: string[]): Promise<Map<string, string[] | null>> {
    const { rows } = await sql<{ w: string; l: string[] | null }>`
      select w, ts_lexize(${sql.raw(`'${dictionary}'`)}::regdictionary, w) as l from unnest(${words}::text[]) as w`.execute(
      database.db,
    );
    return new Map(rows.map((r) => [r.w, r.l]));
  }

  function compare(words: string[], theirs: Map<string, string[] | null>): string[] {
    return words.flatMap((w) => {
      const lexemes = theirs.get(w);
      return lexemes?.length === 1 && lexemes[0] === stem(w)
        ? []
        : [`${w}: ours «${stem(w)}», database ${JSON.stringify(lexemes)}`];
    });
  }

  test(`${RUSSIAN.length} Russian words: ts_lexize('russian_stem', w)`, async () => {
    assert.deepEqual(compare(RUSSIAN, await lexize('russian_stem', RUSSIAN)), []);
  });

  test(`${ENGLISH.length} English words: ts_lexize('english_stem', w)`, async () => {
    assert.deepEqual(compare(ENGLISH, await lexize('english_stem', ENGLISH)), []);
  });

  test('the English words the two PostgreSQL versions stem differently: ours is the older answer', async () => {
    const theirs = await lexize(
      'english_stem',
      ENGLISH_BY_VERSION.map(([w]) => w),
    );
    for (const [word, older, newer] of ENGLISH_BY_VERSION) {
      assert.equal(stem(word), older);
      assert.ok([older, newer].includes(theirs.get(word)?.[0] ?? ''), `${word}: ${JSON.stringify(theirs.get(word))}`);
    }
  });

  test('stop words: dropped by russian_stem, stemmed alike by Snowball without a stop list', async () => {
    const dropped = await lexize('russian_stem', STOP);
    assert.deepEqual(
      STOP.filter((w) => dropped.get(w)?.length !== 0),
      [],
    );
    assert.deepEqual(compare(STOP, await lexize('monitoring_ru_nostop', STOP)), []);
  });

  test('every word of the synthetic monitoring corpus', async () => {
    const words = syntheticWords();
    assert.ok(words.length > 300);
    const russian = words.filter((w) => !/^[A-Za-z]+$/.test(w));
    const english = words.filter((w) => /^[A-Za-z]+$/.test(w));
    assert.deepEqual(compare(russian, await lexize('monitoring_ru_nostop', russian)), []);
    const englishStems = await lexize('english_stem', english);
    // english_stem drops English stop words; the rest must agree.
    assert.deepEqual(
      compare(
        english.filter((w) => englishStems.get(w)?.length !== 0),
        englishStems,
      ),
      [],
    );
  });
});
