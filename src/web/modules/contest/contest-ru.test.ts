import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../app/api.ts';
import { contestError, contestFieldErrors, localDateRu } from './contest-ru.ts';

// The contest server's English messages and reasons (src/server/modules/contest/commands, tally.ts) as a person
// reads them on the pages.

const conflict = (message: string) => new ApiError(409, 'CONFLICT', message);
const invalid = (field: string, reason: string) =>
  new ApiError(400, 'VALIDATION_FAILED', `${field}: ${reason}`, [{ field, reason }]);

describe('contest errors in Russian', () => {
  test('known messages', () => {
    const cases: Array<[ApiError, string]> = [
      [
        conflict('This member has already voted in this category; a vote is not changed'),
        'Голос в этой категории уже учтён. Повторно проголосовать или изменить голос нельзя.',
      ],
      [
        conflict('Нет кворума: 1 of 3 members present; more than half are needed'),
        'Нет кворума: присутствуют 1 из 3 членов комиссии, нужно больше половины.',
      ],
      [
        conflict('Cannot vote: the contest is «подготовка, приём и проверка заявок» (setup); this needs "meeting"'),
        'Голосование сейчас не идёт: заседание не открыто или уже закрыто.',
      ],
      [
        conflict(
          'Cannot submit the application: the application is «подана, на проверке» (submitted); this needs "draft" or "returned"',
        ),
        'Сейчас это действие недоступно: заявка в состоянии «подана, на проверке». Обновите страницу.',
      ],
      [
        conflict('Category I: a tie between applications 3 and 4 must be broken first'),
        'Категория I: сначала разрешите равенство результатов (например, решающим голосом председателя).',
      ],
      [
        conflict('Finish the compliance check first: Беловский городской округ'),
        'Сначала завершите проверку заявок (допустите или верните на доработку): Беловский городской округ.',
      ],
      [invalid('scores', '«Новизна»: a whole number from 1 to 10'), '«Новизна»: целое число от 1 до 10.'],
      [
        invalid('ranking', 'rank all 3 admitted applications of the category'),
        'Расставьте по местам все допущенные заявки категории (3).',
      ],
      [invalid('members', 'the commission has exactly one chair'), 'В комиссии должен быть ровно один председатель.'],
      [invalid('attachmentIds', 'an application holds at most 10 files'), 'К заявке можно приложить не больше 10 файлов.'],
    ];
    for (const [error, text] of cases) assert.equal(contestError(error), text, error.message);
  });

  test('a closed window names its date; an unknown English message falls back to the code’s text', () => {
    assert.match(
      contestError(conflict('Приём заявок завершён: the deadline was 2026-04-01T08:00:00.000Z')),
      /^Приём заявок завершён: срок истёк 1 апреля 2026 г\.$/,
    );
    assert.equal(contestError(conflict('Something new happened')), 'Такая запись уже существует.');
  });

  test('the missing sections of a submission land on their fields', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'Fill in: Описание практики', [
      { field: 'sections.description', reason: 'required before submission' },
      { field: 'sections.results', reason: 'required before submission' },
    ]);
    const fields = contestFieldErrors(error, (p) => (p.startsWith('sections.') ? (p.split('.')[1] ?? p) : p));
    assert.deepEqual(Object.keys(fields), ['description', 'results']);
    assert.equal(fields.description, 'Заполните этот раздел: без него заявку не подать.');
  });

  test('local dates', () => {
    assert.equal(localDateRu('2020-08-20'), '20 августа 2020 г.');
  });
});
