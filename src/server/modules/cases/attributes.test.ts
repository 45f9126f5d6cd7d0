import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/http/errors.ts';
import { type AttributeAnswers, type AttributeDef, checkAttributeDefs, checkAttributes } from './attributes.ts';

const def = (d: Partial<AttributeDef> & Pick<AttributeDef, 'code' | 'datatype'>): AttributeDef => ({
  required: false,
  variable: true,
  description: `вопрос ${d.code}`,
  datatypeDescription: null,
  order: 1,
  values: [],
  ...d,
});

const DEFS: AttributeDef[] = [
  def({
    code: 'SIZE',
    datatype: 'singlevaluelist',
    required: true,
    order: 1,
    values: [
      { key: 'small', name: 'Малая' },
      { key: 'big', name: 'Большая' },
    ],
  }),
  def({
    code: 'NEAR',
    datatype: 'multivaluelist',
    order: 2,
    values: [
      { key: 'stop', name: 'Остановка' },
      { key: 'school', name: 'Школа' },
    ],
  }),
  def({ code: 'DEPTH', datatype: 'number', order: 3 }),
  def({ code: 'SEEN', datatype: 'datetime', order: 4 }),
  def({ code: 'PLATE', datatype: 'string', order: 5 }),
  def({ code: 'MORE', datatype: 'text', order: 6 }),
  def({ code: 'INFO', datatype: 'text', variable: false, order: 7 }),
];

function fails(answers: AttributeAnswers | undefined): { field: string; message: string } {
  try {
    checkAttributes(DEFS, answers);
  } catch (e) {
    assert.ok(e instanceof AppError);
    assert.equal(e.statusCode, 400);
    return { field: e.details?.[0]?.field ?? '', message: e.message };
  }
  assert.fail(`accepted ${JSON.stringify(answers)}`);
}

describe('category attributes (Open311 service attributes) at intake', () => {
  test('accepted answers are stored trimmed, lists as arrays, empty optional answers dropped', () => {
    const rows: Array<[AttributeAnswers, AttributeAnswers]> = [
      [{ SIZE: 'big' }, { SIZE: 'big' }],
      [
        { SIZE: ' small ', DEPTH: '-12.5', PLATE: '' },
        { SIZE: 'small', DEPTH: '-12.5' },
      ],
      [
        { SIZE: 'big', NEAR: 'stop' },
        { SIZE: 'big', NEAR: ['stop'] },
      ],
      [
        { SIZE: 'big', NEAR: ['stop', 'school'] },
        { SIZE: 'big', NEAR: ['stop', 'school'] },
      ],
      [
        { SIZE: 'big', SEEN: '2026-03-02T10:00:00+07:00' },
        { SIZE: 'big', SEEN: '2026-03-02T10:00:00+07:00' },
      ],
      [
        { SIZE: 'big', SEEN: '2026-03-02T03:00Z' },
        { SIZE: 'big', SEEN: '2026-03-02T03:00Z' },
      ],
      [
        { SIZE: 'big', SEEN: '2026-03-02' },
        { SIZE: 'big', SEEN: '2026-03-02' },
      ],
      [
        { SIZE: 'big', MORE: 'строка 1\nстрока 2' },
        { SIZE: 'big', MORE: 'строка 1\nстрока 2' },
      ],
    ];
    for (const [given, stored] of rows) assert.deepEqual(checkAttributes(DEFS, given), stored, JSON.stringify(given));
  });

  test('nothing to store without questions or answers', () => {
    assert.equal(checkAttributes([], undefined), null);
    assert.equal(checkAttributes([], {}), null);
    assert.equal(checkAttributes([def({ code: 'X', datatype: 'string' })], {}), null);
  });

  test('every wrong answer is a 400 on attributes.<code> saying what is wrong', () => {
    const rows: Array<[AttributeAnswers | undefined, string, RegExp]> = [
      [undefined, 'attributes.SIZE', /required: вопрос SIZE/],
      [{ SIZE: '  ' }, 'attributes.SIZE', /required/],
      [{ SIZE: 'huge' }, 'attributes.SIZE', /"huge" is not one of the offered values \(small, big\)/],
      [{ SIZE: ['big'] }, 'attributes.SIZE', /one value/],
      [{ SIZE: 'big', NEAR: ['stop', 'park'] }, 'attributes.NEAR', /"park"/],
      [{ SIZE: 'big', NEAR: ['stop', 'stop'] }, 'attributes.NEAR', /twice/],
      [{ SIZE: 'big', DEPTH: '1e3' }, 'attributes.DEPTH', /not a number/],
      [{ SIZE: 'big', DEPTH: 'глубоко' }, 'attributes.DEPTH', /not a number/],
      [{ SIZE: 'big', SEEN: '2026-03-02T10:00' }, 'attributes.SEEN', /time zone/],
      [{ SIZE: 'big', SEEN: '2026-13-45T10:00:00Z' }, 'attributes.SEEN', /ISO 8601/],
      [{ SIZE: 'big', PLATE: 'две\nстроки' }, 'attributes.PLATE', /line breaks/],
      [{ SIZE: 'big', PLATE: 'x'.repeat(501) }, 'attributes.PLATE', /500/],
      [{ SIZE: 'big', MORE: 'x'.repeat(4001) }, 'attributes.MORE', /4000/],
      [{ SIZE: 'big', INFO: 'x' }, 'attributes.INFO', /not a question/],
      [{ SIZE: 'big', COLOUR: 'red' }, 'attributes.COLOUR', /no such question/],
    ];
    for (const [answers, field, re] of rows) {
      const e = fails(answers);
      assert.equal(e.field, field, JSON.stringify(answers));
      assert.match(e.message, re, JSON.stringify(answers));
    }
  });

  test('an administrator’s list of questions: orders filled in, duplicates and misplaced values refused', () => {
    const base = { required: false, variable: true, description: 'q', datatypeDescription: null, values: [] };
    assert.deepEqual(
      checkAttributeDefs([
        { ...base, code: 'A', datatype: 'string' },
        { ...base, code: 'B', datatype: 'number' },
      ]).map((d) => [d.code, d.order]),
      [
        ['A', 1],
        ['B', 2],
      ],
    );
    const bad: Array<[Parameters<typeof checkAttributeDefs>[0], string]> = [
      [
        [
          { ...base, code: 'A', datatype: 'string' },
          { ...base, code: 'A', datatype: 'text' },
        ],
        'attributes.1.code',
      ],
      [
        [
          { ...base, code: 'A', datatype: 'string', order: 2 },
          { ...base, code: 'B', datatype: 'text' },
        ],
        'attributes.1.order',
      ],
      [[{ ...base, code: 'A', datatype: 'singlevaluelist' }], 'attributes.0.values'],
      [[{ ...base, code: 'A', datatype: 'number', values: [{ key: '1', name: 'один' }] }], 'attributes.0.values'],
      [
        [
          {
            ...base,
            code: 'A',
            datatype: 'multivaluelist',
            values: [
              { key: '1', name: 'a' },
              { key: '1', name: 'b' },
            ],
          },
        ],
        'attributes.0.values.1.key',
      ],
      [[{ ...base, code: 'A', datatype: 'text', variable: false, required: true }], 'attributes.0.required'],
    ];
    for (const [defs, field] of bad) {
      assert.throws(
        () => checkAttributeDefs(defs),
        (e: unknown) => e instanceof AppError && e.details?.[0]?.field === field,
        field,
      );
    }
  });
});
