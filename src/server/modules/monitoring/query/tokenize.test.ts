import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeWord, stem, tokenize } from './tokenize.ts';

/** Tokens as "text→stem", offsets checked against the text. */
function words(text: string): string[] {
  return tokenize(text).map((t) => {
    assert.equal(text.slice(t.from, t.to), t.text, `offsets of «${t.text}»`);
    return `${t.text}→${t.stem}`;
  });
}

describe('tokenize: what a word is', () => {
  // [what, text, tokens as "as written→stem"]
  const cases: Array<[string, string, string[]]> = [
    ['Russian words, cases and plurals', 'Огромными ямами на дороге', ['Огромными→огромн', 'ямами→ям', 'на→на', 'дороге→дорог']],
    ['punctuation separates', 'Яма!Яма?(яма),«яма»', ['Яма→ям', 'Яма→ям', 'яма→ям', 'яма→ям']],
    ['ё is е', 'Ёлки, всё ещё', ['Ёлки→елк', 'всё→все', 'ещё→ещ']],
    [
      'a hyphenated word is its parts',
      'северо-западный Ленинск‑Кузнецкий',
      ['северо→север', 'западный→западн', 'Ленинск→ленинск', 'Кузнецкий→кузнецк'],
    ],
    [
      'a hashtag is a word; _ separates',
      '#ЯмыКемерово #дороги_кузбасса',
      ['ЯмыКемерово→ямыкемеров', 'дороги→дорог', 'кузбасса→кузбасс'],
    ],
    ['a mention is skipped', 'пишите @admin_kem срочно', ['пишите→пиш', 'срочно→срочн']],
    [
      'links and e-mail addresses are skipped',
      'см. https://vk.com/wall-1_2?x=1 и vk.com/club1, www.kemerovo.ru, mail@kemerovo.ru, kemerovo.ru конец',
      ['см→см', 'и→и', 'конец→конец'],
    ],
    ['a word before a glued link stays', 'тут:https://t.me/x', ['тут→тут']],
    ['.рф addresses are links', 'кемерово.рф/news и кемерово.рф', ['и→и']],
    ['an abbreviation with a slash is words', 'ул.Ленина/5 и/или', ['ул→ул', 'Ленина→ленин', '5→5', 'и→и', 'или→ил']],
    ['dates are words', '01.02.2024', ['01→01', '02→02', '2024→2024']],
    ['Latin look-alikes in a Cyrillic word are folded', 'мусоp Mусор', ['мусоp→мусор', 'Mусор→мусор']],
    ['a Latin word is English', 'Running added cities', ['Running→run', 'added→ad', 'cities→citi']],
    [
      'a word with digits is kept as written, lower-cased',
      'COVID-19 5G 2024года №15',
      ['COVID→covid', '19→19', '5G→5g', '2024года→2024года', '15→15'],
    ],
    [
      'stress marks, soft hyphens, zero-width spaces inside a word',
      'за\u0301мок му\u00adсор му\u200bсор',
      ['за\u0301мок→замок', 'му\u00adсор→мусор', 'му\u200bсор→мусор'],
    ],
    ['decomposed й and ё are composed', 'и\u0306од е\u0308лка', ['и\u0306од→йод', 'е\u0308лка→елк']],
    ['emoji separate', 'рыжий😡кот', ['рыжий→рыж', 'кот→кот']],
    ['VK link markup: its words stay', '[id123|Иван Петров]', ['id123→id123', 'Иван→ива', 'Петров→петр']],
    ['nothing but punctuation', '... !!! — 😡', []],
    ['empty', '', []],
  ];
  for (const [what, text, expected] of cases) test(what, () => assert.deepEqual(words(text), expected));

  test('a long post is read in linear time', () => {
    const text = 'яма на дороге, '.repeat(200_000); // 3 MB
    const t0 = performance.now();
    assert.equal(tokenize(text).length, 600_000);
    assert.ok(performance.now() - t0 < 5000);
  });

  test('a 1 MB chunk without spaces is not a problem', () => {
    assert.equal(tokenize(`${'а'.repeat(1_000_000)}:x`).length, 2);
    assert.equal(tokenize(`https://${'a'.repeat(1_000_000)}`).length, 0);
  });
});

describe('normalizeWord and stem', () => {
  const cases: Array<[string, string, string]> = [
    ['ЯМАМИ', 'ямами', 'ям'],
    ['Ёжиками', 'ежиками', 'ежик'],
    ['мусоp', 'мусор', 'мусор'], // Latin p
    ['Pc', 'pc', 'pc'], // all Latin: not folded
    ['Жалобой', 'жалобой', 'жалоб'],
    ['egging', 'egging', 'eg'],
    ['hopping', 'hopping', 'hop'],
  ];
  for (const [word, norm, stemmed] of cases)
    test(`${word} → ${norm} → ${stemmed}`, () => {
      assert.equal(normalizeWord(word), norm);
      assert.equal(stem(word), stemmed);
    });
});
