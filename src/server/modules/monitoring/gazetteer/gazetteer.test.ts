import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEMO_GAZETTEER_CSV, demoGazetteerEntries, Gazetteer, type GazetteerEntry, parseGazetteerCsv } from './index.ts';
import { adjectiveForms, declinePhrase, nounParadigm } from './inflect.ts';
import { isShouting, tokenize } from './text.ts';

// The demo gazetteer plus two settlements of a municipality outside the demo whose names are also common adjectives.
const EXTRA: GazetteerEntry[] = [
  { id: 'prom', kind: 'municipality', name: 'Промышленновский муниципальный округ', municipalityId: 'prom' },
  { id: 'prom-pgt', kind: 'settlement', name: 'пгт Промышленная', municipalityId: 'prom' },
  { id: 'prom-bereg', kind: 'settlement', name: 'Береговой', municipalityId: 'prom' },
  { id: 'prom-taiga', kind: 'settlement', name: 'Тайга', municipalityId: 'prom', strict: true },
];
const gazetteer = new Gazetteer([...demoGazetteerEntries(), ...EXTRA]);

describe('gazetteer: declension rules', () => {
  // [word, case, expected forms]
  const adjectives: Array<[string, 'gen' | 'dat' | 'acc' | 'ins' | 'loc', string[]]> = [
    ['ленинский', 'loc', ['ленинском']],
    ['ленинский', 'ins', ['ленинским']],
    ['рудничный', 'gen', ['рудничного']],
    ['береговой', 'ins', ['береговым']],
    ['инской', 'ins', ['инским']],
    ['промышленная', 'gen', ['промышленной']],
    ['промышленная', 'acc', ['промышленную']],
    ['горячая', 'loc', ['горячей', 'горячой']],
    ['верхняя', 'dat', ['верхней']],
    ['верхний', 'gen', ['верхнего']],
    ['калининское', 'loc', ['калининском']],
    ['горячее', 'gen', ['горячего']],
    ['верхние', 'loc', ['верхних']],
    ['новые', 'ins', ['новыми']],
  ];
  for (const [word, c, expected] of adjectives) {
    test(`adjective ${word}, ${c} → ${expected.join('/')}`, () => assert.deepEqual(adjectiveForms(word)?.[c], expected));
  }
  test('nouns are not adjectives', () => {
    for (const w of ['белово', 'мариинск', 'юрга', 'улица', 'ленина']) assert.equal(adjectiveForms(w), undefined, w);
  });

  const nouns: Array<[string, 'gen' | 'dat' | 'acc' | 'ins' | 'loc', string[]]> = [
    ['кемерово', 'loc', ['кемерове']],
    ['белово', 'gen', ['белова']],
    ['мариинск', 'gen', ['мариинска']],
    ['мариинск', 'loc', ['мариинске']],
    ['юрга', 'gen', ['юрги']],
    ['тайга', 'ins', ['тайгой']],
    ['улица', 'ins', ['улицей', 'улицой']],
    ['россия', 'loc', ['россии']],
    ['городок', 'loc', ['городоке', 'городке']],
    ['топки', 'gen', ['топок', 'топков']],
    ['заречье', 'gen', ['заречья']],
    ['тисуль', 'gen', ['тисуля', 'тисули']],
    ['шоссе', 'gen', ['шоссе']],
  ];
  for (const [word, c, expected] of nouns) {
    test(`noun ${word}, ${c} → ${expected.join('/')}`, () => assert.deepEqual(nounParadigm(word).forms[c], expected));
  }
  test('only -ово/-ево/-ино/-ыно toponyms flag their oblique forms as surname-like', () => {
    assert.equal(nounParadigm('белово').obliqueNeedsContext, true);
    assert.equal(nounParadigm('грамотеино').obliqueNeedsContext, true);
    assert.equal(nounParadigm('мариинск').obliqueNeedsContext, undefined);
    assert.equal(nounParadigm('дно').obliqueNeedsContext, false);
  });

  test('a phrase agrees in case up to its head noun; the rest stays as written', () => {
    const forms = (name: string, c: string) =>
      declinePhrase(tokenize(name).map((t) => ({ norm: t.norm, allCaps: t.allCaps })))
        .filter((f) => f.grammaticalCase === c)
        .map((f) => f.words.join(' '));
    assert.deepEqual(forms('Калининское сельское поселение', 'loc'), ['калининском сельском поселении']);
    assert.deepEqual(forms('Лесная Поляна', 'acc'), ['лесную поляну']);
    assert.deepEqual(forms('Калининское СП', 'gen'), ['калининского сп']);
    assert.deepEqual(forms('Ленинск-Кузнецкий', 'loc'), ['ленинске-кузнецком']);
    assert.deepEqual(forms('Анжеро-Судженск', 'gen'), ['анжеро-судженска']);
    // the fleeting vowel is generated both ways (over-generation is harmless); the complement stays as written
    assert.deepEqual(forms('посёлок шахты Северной', 'loc'), ['поселоке шахты северной', 'поселке шахты северной']);
  });
});

describe('gazetteer: text', () => {
  test('tokens keep their offsets; ё, stress marks and Latin look-alikes are folded', () => {
    const text = 'В Кeмерове (ё: Берёзово), Бе\u0301лово!';
    const tokens = tokenize(text);
    assert.deepEqual(
      tokens.map((t) => t.norm),
      ['в', 'кемерове', 'е', 'березово', 'белово'],
    );
    for (const t of tokens) assert.equal(text.slice(t.start, t.end).length, t.end - t.start);
    assert.equal(tokens[0]!.sentenceStart, true);
    assert.equal(tokens[1]!.sentenceStart, false);
  });
  test('sentence starts: after . ! ? … and line breaks, through quotes and emoji', () => {
    const starts = (text: string) =>
      tokenize(text)
        .filter((t) => t.sentenceStart)
        .map((t) => text.slice(t.start, t.end));
    assert.deepEqual(starts('Нет воды. «Береговой» молчит! 🔥Опять\nСнова, Тут'), ['Нет', 'Береговой', 'Опять', 'Снова']);
  });
  test('shouting', () => {
    assert.equal(isShouting('В БЕЛОВЕ НЕТ ВОДЫ ТРЕТИЙ ДЕНЬ'), true);
    assert.equal(isShouting('В Белове нет воды третий день'), false);
    assert.equal(isShouting('ЖКХ'), false);
  });
});

describe('gazetteer: places in posts', () => {
  // [post, expected place as "kind:name@municipality «matched text»", or null]
  const cases: Array<[string, string | null]> = [
    // municipalities and their inflected forms
    ['В Белове третий день нет воды', 'municipality:Белово@belovo «Белове»'],
    ['Белово, ул. Юбилейная', 'street:улица Юбилейная@belovo «ул. Юбилейная»'],
    ['Белово — когда починят дорогу?', 'municipality:Белово@belovo «Белово»'],
    ['Автобус из Мариинска не пришёл', 'municipality:Мариинск@mariinsk «Мариинска»'],
    ['В Мариинске снова отключили свет', 'municipality:Мариинск@mariinsk «Мариинске»'],
    ['Кемерово, опять пробки', 'municipality:Кемерово@kemerovo «Кемерово»'],
    ['Живу в Кемерово десять лет', 'municipality:Кемерово@kemerovo «Кемерово»'],
    ['Живу в Кемерове десять лет', 'municipality:Кемерово@kemerovo «Кемерове»'],
    ['Доехать до Кемерова невозможно', 'municipality:Кемерово@kemerovo «Кемерова»'],
    ['Администрация г. Белово молчит', 'municipality:Белово@belovo «г. Белово»'],
    ['В БЕЛОВЕ НЕТ ВОДЫ', 'municipality:Белово@belovo «БЕЛОВЕ»'],
    ['в белове нет воды', 'municipality:Белово@belovo «белове»'],
    ['Пишу из Кeмерово', 'municipality:Кемерово@kemerovo «Кeмерово»'], // a Latin «e»
    [
      'Сход граждан в Калининском сельском поселении',
      'municipality:Калининское сельское поселение@kalininskoe «Калининском сельском поселении»',
    ],
    ['Дорога в Калининском СП разбита', 'municipality:Калининское сельское поселение@kalininskoe «Калининском СП»'],
    ['Жители Калининского пишут', 'municipality:Калининское сельское поселение@kalininskoe «Калининского»'],
    // districts
    ['На Ленинском районе нет света', 'district:Ленинский район@kemerovo «Ленинском районе»'],
    ['в Ленинском районе нет света', 'district:Ленинский район@kemerovo «Ленинском районе»'],
    ['Заводский район, ямы', 'district:Заводский район@kemerovo «Заводский район»'],
    ['Жители Рудничного района жалуются', 'district:Рудничный район@kemerovo «Рудничного района»'],
    ['в Заводском р-не', 'district:Заводский район@kemerovo «Заводском р-не»'],
    ['в центральном районе опять пробки', 'district:Центральный район@kemerovo «центральном районе»'],
    ['Живу на Рудничном, автобусов нет', 'district:Рудничный район@kemerovo «Рудничном»'],
    // settlements
    ['пгт Промышленная: нет газа', 'settlement:пгт Промышленная@prom «пгт Промышленная»'],
    ['В Промышленной нет света', 'settlement:пгт Промышленная@prom «Промышленной»'],
    ['посёлок Промышленная, нет газа', 'settlement:пгт Промышленная@prom «посёлок Промышленная»'],
    ['Мост в посёлке Береговой', 'settlement:Береговой@prom «посёлке Береговой»'],
    ['Жители Берегового просят автобус', 'settlement:Береговой@prom «Берегового»'],
    ['в п. Береговой', 'settlement:Береговой@prom «п. Береговой»'],
    ['Приезжайте в Новый Городок', 'settlement:Новый Городок@belovo «Новый Городок»'],
    ['в Грамотеине нет воды', 'settlement:пгт Грамотеино@belovo «Грамотеине»'],
    ['пгт Бачатский, котельная', 'settlement:пгт Бачатский@belovo «пгт Бачатский»'],
    ['в Кедровке отключили свет', 'settlement:Кедровка@kemerovo «Кедровке»'],
    ['ст. Тайга — вокзал закрыт', 'settlement:Тайга@prom «ст. Тайга»'],
    // streets
    ['Яма на улице Весенней', 'street:улица Весенняя@kemerovo «улице Весенней»'],
    ['Яма на улице Весенняя', 'street:улица Весенняя@kemerovo «улице Весенняя»'],
    ['ул. Весенняя, яма', 'street:улица Весенняя@kemerovo «ул. Весенняя»'],
    ['на Весенней улице яма', 'street:улица Весенняя@kemerovo «Весенней улице»'],
    ['на Весенней, 12 нет света', 'street:улица Весенняя@kemerovo «Весенней»'],
    ['на Весенней, д. 12 нет света', 'street:улица Весенняя@kemerovo «Весенней»'],
    ['Проспект Ленина перекрыт', 'street:проспект Ленина@kemerovo «Проспект Ленина»'],
    ['пробка на проспекте Ленина', 'street:проспект Ленина@kemerovo «проспекте Ленина»'],
    ['пр-т Ленина, 5', 'street:проспект Ленина@kemerovo «пр-т Ленина»'],
    ['по проспекту Советскому', 'street:проспект Советский@kemerovo «проспекту Советскому»'],
    ['на Притомской набережной', 'street:Притомская набережная@kemerovo «Притомской набережной»'],
    ['на бульваре Строителей', 'street:бульвар Строителей@kemerovo «бульваре Строителей»'],
    // false-positive traps
    ['Размыло береговой откос', null],
    ['Береговой откос размыло', null], // a capital only because it starts the sentence
    ['Ремонт Береговой улицы', null], // a street named Береговая, not the settlement
    ['Промышленная зона за городом', null],
    ['промышленная зона', null],
    ['Ивана Белова наградили', null], // a surname, not «из Белова»
    ['Сибирская тайга горит', null],
    ['кедровка прилетела к кормушке', null], // the bird
    ['в новом городке', null],
    ['Ленинский проспект в Москве', null],
    ['Калининское', null], // an adjective alone at the start of the text
    ['Мариинский театр', null],
    ['Нет горячей воды третий день', null],
    ['Весенняя распродажа', null], // a street name without the word «улица» or a house number
    ['с береговой стороны', null], // «с» without a full stop is a preposition, not «село»
  ];
  for (const [post, expected] of cases) {
    test(`${post} → ${expected ?? 'nothing'}`, () => {
      const { place } = gazetteer.resolve(post);
      const got = place && `${place.kind}:${place.name}@${place.municipalityId} «${place.text}»`;
      assert.equal(got, expected);
      if (place) assert.equal(post.slice(place.start, place.end), place.text);
    });
  }
});

describe('gazetteer: several places', () => {
  const names = (list: Array<{ name: string; municipalityId: unknown }>) => list.map((c) => `${c.name}@${c.municipalityId}`);

  test('a street shared by two cities with no city named: no place, ambiguous, both candidates', () => {
    const r = gazetteer.resolve('На ул. Ленина яма');
    assert.equal(r.place, null);
    assert.equal(r.ambiguous, true);
    assert.deepEqual(names(r.candidates).sort(), ['улица Ленина@belovo', 'улица Ленина@mariinsk']);
  });
  test('the city named elsewhere settles a shared street name, not ambiguous', () => {
    const r = gazetteer.resolve('В Белове на ул. Ленина яма');
    assert.equal(r.place?.placeId, 'belovo:street:улица ленина');
    assert.equal(r.ambiguous, false);
    assert.deepEqual(names(r.candidates), ['улица Ленина@belovo', 'Белово@belovo', 'улица Ленина@mariinsk']);
  });
  test('two cities named: the more specific place wins and the post is ambiguous', () => {
    const r = gazetteer.resolve('Еду из Белова в Кемерово, на Весенней улице яма');
    assert.equal(r.place?.name, 'улица Весенняя');
    assert.equal(r.place?.municipalityId, 'kemerovo');
    assert.equal(r.ambiguous, true);
    assert.deepEqual(names(r.candidates), ['улица Весенняя@kemerovo', 'Кемерово@kemerovo', 'Белово@belovo']);
  });
  test('two cities and nothing more specific: no place', () => {
    const r = gazetteer.resolve('Автобус из Белова в Мариинск отменили');
    assert.equal(r.place, null);
    assert.equal(r.ambiguous, true);
    assert.deepEqual(names(r.candidates), ['Белово@belovo', 'Мариинск@mariinsk']);
  });
  test('a district is more specific than its city; two districts of one city are not ambiguous', () => {
    const r = gazetteer.resolve('Кемерово: из Ленинского района в Центральный район не проехать');
    assert.equal(r.place?.name, 'Ленинский район');
    assert.equal(r.ambiguous, false);
    assert.deepEqual(names(r.candidates), ['Ленинский район@kemerovo', 'Центральный район@kemerovo', 'Кемерово@kemerovo']);
  });
  test('a city named outweighs a street name it does not have', () => {
    const r = gazetteer.resolve('В Кемерове на ул. Ленина яма');
    assert.equal(r.place?.name, 'Кемерово');
    assert.equal(r.ambiguous, false);
  });
  test('the longest mention wins: «проспект Ленина 5» is the avenue, not a bare «Ленина 5»', () => {
    const mentions = gazetteer.findMentions('проспект Ленина 5');
    assert.deepEqual(names(mentions), ['проспект Ленина@kemerovo']);
    const bare = gazetteer.resolve('Ленина 5, подъезд 2');
    assert.equal(bare.place, null);
    assert.equal(bare.candidates.length, 3);
  });
  test('every mention in order with its offsets', () => {
    const post = 'Белово и Мариинск. В Кедровке тоже';
    assert.deepEqual(
      gazetteer.findMentions(post).map((m) => [m.text, m.start, m.end]),
      [
        ['Белово', 0, 6],
        ['Мариинск', 9, 17],
        ['Кедровке', 21, 29],
      ],
    );
  });
  test('a post without places', () => {
    assert.deepEqual(gazetteer.resolve(''), { place: null, ambiguous: false, candidates: [] });
    assert.deepEqual(gazetteer.resolve('Спасибо за оперативность!'), { place: null, ambiguous: false, candidates: [] });
  });
});

describe('gazetteer: the import format', () => {
  const municipalities = new Map([
    ['kemerovo', 1],
    ['belovo', 2],
  ]);

  test('the demo file parses without errors and covers the demo municipalities', () => {
    const { entries, errors } = parseGazetteerCsv(DEMO_GAZETTEER_CSV, {
      kemerovo: 1,
      belovo: 2,
      mariinsk: 3,
      kalininskoe: 4,
    });
    assert.deepEqual(errors, []);
    assert.deepEqual([...new Set(entries.map((e) => e.municipalityId))], [1, 2, 3, 4]);
    assert.deepEqual(
      entries.filter((e) => e.kind === 'district').map((e) => e.name),
      ['Заводский район', 'Центральный район', 'Ленинский район', 'Рудничный район'],
    );
    assert.ok(entries.filter((e) => e.kind === 'street' && e.municipalityId === 2).length >= 3);
    assert.deepEqual(demoGazetteerEntries((slug) => `m-${slug}`).map((e) => e.municipalityId)[0], 'm-kemerovo');
  });

  test('a header, a BOM, CRLF, comments, quotes, aliases by | or , and the strict flag', () => {
    const bytes = Buffer.from(
      '\uFEFFвид;название;муниципалитет;синонимы;строгое\r\n# comment\r\n\r\nулица;"улица ""Весенняя""";kemerovo;Весенняя ул|ул Весенняя\r\nнаселённый пункт;Кедровка;kemerovo;Кедровочка, Кедровка;да\r\nstreet;проспект Ленина;kemerovo\r\n',
      'utf8',
    );
    const { entries, errors } = parseGazetteerCsv(bytes, municipalities);
    assert.deepEqual(errors, []);
    assert.deepEqual(entries, [
      {
        id: 'kemerovo:street:улица весенняя',
        kind: 'street',
        name: 'улица "Весенняя"',
        municipalityId: 1,
        aliases: ['Весенняя ул', 'ул Весенняя'],
      },
      {
        id: 'kemerovo:settlement:кедровка',
        kind: 'settlement',
        name: 'Кедровка',
        municipalityId: 1,
        aliases: ['Кедровочка', 'Кедровка'],
        strict: true,
      },
      { id: 'kemerovo:street:проспект ленина', kind: 'street', name: 'проспект Ленина', municipalityId: 1 },
    ]);
  });

  // [case, file, expected "line:part of the message"]
  const bad: Array<[string, string, string[]]> = [
    ['an unknown kind', 'город;Белово;belovo;\n', ['1:Строка 1: вид места «город» неизвестен']],
    ['an empty name', 'street;;kemerovo;\n', ['1:название пусто']],
    ['a name without letters', 'street;123;kemerovo;\n', ['1:не содержит ни одной буквы']],
    ['no municipality', 'street;улица Весенняя;;\n', ['1:не указан муниципалитет']],
    [
      'an unknown municipality',
      'street;улица Весенняя;novokuznetsk;\n',
      ['1:муниципалитет «novokuznetsk» не найден; известны: kemerovo, belovo'],
    ],
    ['too few fields', 'street;улица Весенняя\n', ['1:ожидается 3–5 полей через «;»']],
    ['too many fields', 'street;улица Весенняя;kemerovo;;да;ещё\n', ['1:найдено 6']],
    ['an unclosed quote', 'street;"улица Весенняя;kemerovo;\n', ['1:кавычка не закрыта']],
    ['a bad strict flag', 'street;улица Весенняя;kemerovo;;может\n', ['1:признак «строгое»']],
    ['a bad alias', 'street;улица Весенняя;kemerovo;Весенняя|42\n', ['1:синоним «42»']],
    [
      'a duplicate, written differently, and the line numbers of the good lines between',
      'street;улица Весенняя;kemerovo;\nmunicipality;Белово;belovo;\nулица;улица  Весенняя;kemerovo;\nstreet;улица Весенняя;belovo;\n',
      ['3:уже есть в строке 1'],
    ],
    [
      'several bad lines, all reported',
      'x;a;kemerovo\nstreet;улица Весенняя;kemerovo\nstreet;b;nowhere\n',
      ['1:неизвестен', '3:не найден'],
    ],
  ];
  for (const [name, file, expected] of bad) {
    test(`refused: ${name}`, () => {
      const { errors } = parseGazetteerCsv(file, municipalities);
      assert.equal(errors.length, expected.length, JSON.stringify(errors));
      for (const [i, want] of expected.entries()) {
        const [line, part] = [Number(want.split(':')[0]), want.slice(want.indexOf(':') + 1)];
        assert.equal(errors[i]!.line, line);
        assert.ok(errors[i]!.message.startsWith(`Строка ${line}: `), errors[i]!.message);
        assert.ok(errors[i]!.message.includes(part), `${errors[i]!.message} should include ${part}`);
      }
    });
  }
  test('bytes that are not UTF-8', () => {
    const { entries, errors } = parseGazetteerCsv(new Uint8Array([0xff, 0xfe, 0x3b, 0xc0]), municipalities);
    assert.deepEqual(entries, []);
    assert.equal(errors[0]?.line, 0);
    assert.match(errors[0]!.message, /UTF-8/);
  });
  test('an imported street is found in posts', () => {
    const { entries } = parseGazetteerCsv('street;переулок Щегловский;kemerovo;\n', municipalities);
    const g = new Gazetteer(entries);
    assert.equal(g.resolve('в переулке Щегловском прорвало трубу').place?.text, 'переулке Щегловском');
    assert.equal(g.resolve('пер. Щегловский, 4').place?.text, 'пер. Щегловский');
  });
});
