import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explainQuery, MAX_QUERY_LENGTH, MAX_TERMS, parseQuery } from './parser.ts';

function explain(text: string): string {
  const result = parseQuery(text);
  assert.ok(result.ok, `«${text}» refused: ${!result.ok && JSON.stringify(result.error)}`);
  return explainQuery(result.query);
}

describe('parseQuery: how a query is understood', () => {
  // [query, explainQuery: stems, every group bracketed]
  const cases: Array<[string, string]> = [
    ['яма', 'ям'],
    ['Ямами', 'ям'],
    ['#ямы', 'ям'],
    ['яма дорога', 'ям AND дорог'],
    ['ямы (дорога OR улица)', 'ям AND (дорог OR улиц)'],
    // Precedence: NEAR > NOT > AND (written or implicit) > OR.
    ['яма OR ямы выбоина', 'ям OR (ям AND выбоин)'],
    ['яма AND NOT снег OR выбоина', '(ям AND NOT снег) OR выбоин'],
    ['NOT яма NEAR/3 дорога AND свет', 'NOT (ям NEAR/3 дорог) AND свет'],
    ['(яма OR ямы OR выбоина) AND дорог*', '(ям OR ям OR выбоин) AND дорог*'],
    ['отключ* NEAR/3 (свет OR электричеств*)', 'отключ* NEAR/3 (свет OR электричеств*)'],
    ['a NEAR/2 b NEAR/3 c', '(a NEAR/2 b) NEAR/3 c'],
    ['NOT NOT яма', 'NOT NOT ям'],
    // Russian operators in capitals; NEAR/n and РЯДОМ/n in any case.
    ['яма И дорога ИЛИ выбоина НЕ снег', '(ям AND дорог) OR (выбоин AND NOT снег)'],
    ['яма near/3 дорога', 'ям NEAR/3 дорог'],
    ['яма РЯДОМ/2 дорога', 'ям NEAR/2 дорог'],
    // Phrases in any of the usual quotes; a prefix inside a phrase; stop words inside quotes.
    ['"горячей воды"', '"горяч вод"'],
    ['«горячей воды»', '"горяч вод"'],
    ['„горячей воды“', '"горяч вод"'],
    ['“нет света”', '"нет свет"'],
    ['"отключ* свет"', '"отключ* свет"'],
    ['"не ходит" AND автобус', '"не ход" AND автобус'],
    // A hyphenated word is a phrase of its parts; a prefix applies to the last one.
    ['северо-западный', '"север западн"'],
    ['северо-зап*', '"север зап*"'],
    ['Ёлки', 'елк'],
  ];
  for (const [text, expected] of cases) test(`«${text}»`, () => assert.equal(explain(text), expected));

  test('term positions and sources', () => {
    const result = parseQuery('яма AND "горячей воды" OR отключ*');
    assert.ok(result.ok);
    const or = result.query.root;
    assert.equal(or.type, 'or');
    if (or.type !== 'or') return;
    const and = or.children[0]!;
    assert.equal(and.type, 'and');
    if (and.type !== 'and') return;
    assert.deepEqual(
      [...and.children, or.children[1]!].map((n) => (n.type === 'term' ? [n.source, n.from, n.to, n.phrase] : n.type)),
      [
        ['яма', 0, 3, false],
        ['"горячей воды"', 8, 22, true],
        ['отключ*', 26, 33, false],
      ],
    );
  });
});

describe('parseQuery: refusals, with the 0-based position and a reason in Russian', () => {
  // [query, position, a fragment of the message]
  const cases: Array<[string, number, string]> = [
    ['', 0, 'Пустой запрос'],
    ['   ', 0, 'Пустой запрос'],
    ['яма "горячей', 4, 'Не закрыта кавычка, открытая в позиции 5'],
    ['яма "" дорога', 4, 'нет ни одного слова'],
    ['"!!!"', 0, 'нет ни одного слова'],
    ['яма»', 3, 'Закрывающая кавычка в позиции 4 без открывающей'],
    ['(яма OR ямы', 0, 'Не закрыта скобка, открытая в позиции 1'],
    ['((яма) OR ямы', 0, 'Не закрыта скобка, открытая в позиции 1'],
    ['яма AND (ямы OR (выбоина)', 8, 'Не закрыта скобка, открытая в позиции 9'],
    ['яма)', 3, 'Лишняя закрывающая скобка'],
    [')', 0, 'Лишняя закрывающая скобка'],
    ['яма ()', 4, 'Пустые скобки'],
    ['яма AND', 4, 'Оператор AND без правого операнда'],
    ['(яма AND)', 5, 'Оператор AND без правого операнда'],
    ['яма AND OR дорога', 4, 'Оператор AND без правого операнда'],
    ['яма ИЛИ', 4, 'Оператор ИЛИ без правого операнда'],
    ['OR яма', 0, 'Оператор OR без левого операнда'],
    ['(OR яма)', 1, 'Оператор OR без левого операнда'],
    ['яма NOT', 4, 'Оператор NOT без операнда'],
    ['яма НЕ )', 4, 'Оператор НЕ без операнда'],
    ['NEAR/3 яма', 0, 'Оператор NEAR/3 без левого операнда'],
    ['яма NEAR/3', 4, 'Оператор NEAR/3 без правого операнда'],
    ['яма NEAR/ дорога', 9, 'После NEAR/ ожидается число'],
    ['яма NEAR дорога', 4, 'После NEAR ожидается расстояние через косую черту, например NEAR/3'],
    ['яма NEAR/0 дорога', 9, 'от 1 до 50'],
    ['яма NEAR/51 дорога', 9, 'от 1 до 50'],
    ['яма NEAR/3x дорога', 10, 'После NEAR/3 ожидается пробел'],
    ['яма NEAR/3 NOT дорога', 11, 'NOT сразу после него не допускается'],
    ['(яма дорога) NEAR/3 свет', 1, 'AND внутри NEAR/3 не допускается'],
    ['яма NEAR/3 (дорога AND свет)', 12, 'AND внутри NEAR/3 не допускается'],
    ['яма NEAR/3 (дорога OR NOT свет)', 22, 'NOT внутри NEAR/3 не допускается'],
    ['яма AND до*', 8, 'Префикс «до*» слишком короткий'],
    ['дор*ога', 3, 'Звёздочка ставится только в конце слова'],
    ['яма *', 4, 'Звёздочка ставится сразу после начала слова'],
    ['яма & дорога', 4, 'для «и» пишите AND'],
    ['яма | дорога', 4, 'для «или» пишите OR'],
    ['яма, дорога', 3, 'запятая не оператор'],
    ['яма -снег', 4, 'для исключения пишите NOT'],
    ['яма.', 3, 'Непонятный символ «.»'],
    ['@user', 0, 'Непонятный символ «@»'],
    ['яма 😡', 4, 'Непонятный символ «😡»'],
    ['яма или выбоина', 4, '«или» похоже на оператор: операторы пишутся заглавными (ИЛИ)'],
    ['не работает лифт', 0, '«не» похоже на оператор'],
    ['яма and дорога', 4, '«and» похоже на оператор'],
    // Queries that need no word at all: they would match almost every post.
    ['NOT яма', 0, 'совпал бы почти с любым постом'],
    ['яма OR NOT снег', 7, 'совпал бы почти с любым постом'],
    ['NOT (яма AND дорога)', 0, 'совпал бы почти с любым постом'],
    ['(NOT яма) OR (NOT снег)', 1, 'совпал бы почти с любым постом'],
    ['я'.repeat(MAX_QUERY_LENGTH + 1), MAX_QUERY_LENGTH, `длиннее ${MAX_QUERY_LENGTH} символов`],
    [Array.from({ length: MAX_TERMS + 1 }, () => 'яма').join(' '), MAX_TERMS * 4, 'Слишком много слов'],
    [`${'('.repeat(33)}яма${')'.repeat(33)}`, 32, 'Слишком глубокая вложенность'],
  ];
  for (const [text, position, fragment] of cases)
    test(`«${text.length > 40 ? `${text.slice(0, 40)}…` : text}» → ${position}`, () => {
      const result = parseQuery(text);
      assert.ok(!result.ok, 'refused');
      if (result.ok) return;
      assert.equal(result.error.position, position, result.error.message);
      assert.ok(result.error.message.includes(fragment), result.error.message);
    });

  test('every position is inside the text (or at its end)', () => {
    for (const [text] of cases) {
      const result = parseQuery(text);
      if (!result.ok) assert.ok(result.error.position >= 0 && result.error.position <= text.length, text);
    }
  });

  test('the message counts from 1 where it names a position', () => {
    const result = parseQuery('яма AND (ямы OR выбоина');
    assert.deepEqual(result, { ok: false, error: { position: 8, message: 'Не закрыта скобка, открытая в позиции 9' } });
  });
});
