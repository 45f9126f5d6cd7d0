import { ApiError } from '../../app/api.ts';
import { errorMessage, reasonRu, translateReason } from '../../app/errors-ru.ts';

/**
 * The contest API's own reasons and messages (English on the server, as elsewhere for now) in Russian. The general
 * ones (length, required, format) come from app/errors-ru.ts.
 */

/** «1 апреля 2026 г.» of an instant (ends with its own full stop). */
const dateRu = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? `${iso}.` : new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long' }).format(d);
};

const REASONS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^required before submission$/, () => 'Заполните этот раздел: без него заявку не подать.'],
  [/^say what to correct when returning an application$/, () => 'Напишите замечания: что исправить в заявке.'],
  [/^an attachment is listed twice$|^attachment \d+ is listed twice$/, () => 'Один и тот же файл указан дважды.'],
  [/^an application holds at most (\d+) files$/, (m) => `К заявке можно приложить не больше ${m[1]} файлов.`],
  [/^attachment \d+ is already attached to a case$/, () => 'Этот файл уже приложен к обращению — загрузите его ещё раз.'],
  [/^attachment \d+ was uploaded more than 24 hours ago/, () => 'Файл загружен больше суток назад — загрузите его ещё раз.'],
  [/^attachment \d+ is not one of your uploads$/, () => 'Файл не найден среди ваших загрузок — загрузите его ещё раз.'],
  [/^at most (\d+) files$/, (m) => `К заявке можно приложить не больше ${m[1]} файлов.`],
  [/may take at most (\d+) MB in all$/, (m) => `Все файлы заявки вместе — не больше ${m[1]} МБ.`],
  [/^no such municipality in the contest’s region$/, () => 'Этот муниципалитет не относится к региону конкурса.'],
  [/^no category of this contest takes/, () => 'Ни одна категория конкурса не принимает муниципалитет такого типа.'],
  [/^not a date-time$/, () => 'Укажите дату и время.'],
  [/^the criteria method needs at least one criterion$/, () => 'Для оценки по критериям добавьте хотя бы один критерий.'],
  [/^criterion (\S+) is listed twice$/, (m) => `Критерий ${m[1]} указан дважды.`],
  [/^«(.+)»: the weight must be positive$/, (m) => `«${m[1]}»: вес должен быть больше нуля.`],
  [/^the window closes before it opens$/, () => 'Приём заявок должен заканчиваться позже, чем начинается.'],
  [/^resubmission cannot end before the window closes$/, () => 'Повторная подача не может закончиться раньше приёма заявок.'],
  [/^the municipality type \S+ is in both category/, () => 'Один тип муниципалитета отнесён к двум категориям.'],
  [/^categories are fixed once the contest is created$/, () => 'Категории задаются только при создании конкурса.'],
  [/^the commission has exactly one chair$/, () => 'В комиссии должен быть ровно один председатель.'],
  [/^at most one (\S+)$/, () => 'Заместитель председателя и секретарь — не больше чем по одному.'],
  [/^a person sits on the commission once$/, () => 'Один человек входит в комиссию только один раз.'],
  [/^this person has no commission member’s role/, () => 'У этой учётной записи нет роли члена конкурсной комиссии в регионе.'],
  [/^member \d+ is not on this commission$/, () => 'Такого члена в комиссии нет — обновите страницу.'],
  [/^no such member on this commission$/, () => 'Такого члена в комиссии нет — обновите страницу.'],
  [/^no such category in this contest$/, () => 'Такой категории в конкурсе нет.'],
  [/votes by ranking: list the applications best first$/, () => 'Расставьте заявки по местам: первой — лучшую.'],
  [/^application \d+ is not admitted in this category$/, () => 'Голосовать можно только за заявки, допущенные в этой категории.'],
  [/^an application is listed twice$/, () => 'Одна заявка указана дважды: у каждой заявки своё место.'],
  [/^rank all (\d+) admitted applications/, (m) => `Расставьте по местам все допущенные заявки категории (${m[1]}).`],
  [/votes by criteria: give scores for each application$/, () => 'Поставьте баллы по критериям каждой заявке.'],
  [/^application \d+ is scored twice$/, () => 'Одна заявка оценена дважды.'],
  [/^no score for «(.+)» \((\S+)\)$/, (m) => `Поставьте балл по критерию «${m[1]}».`],
  [/^«(.+)»: a whole number from 1 to 10$/, (m) => `«${m[1]}»: целое число от 1 до 10.`],
  [/^no criterion (\S+) in this contest$/, (m) => `Критерия ${m[1]} в конкурсе нет.`],
  [/^score all (\d+) admitted applications$/, (m) => `Оцените все допущенные заявки категории (${m[1]}).`],
  [/^order exactly the tied applications/, () => 'Расставьте ровно те заявки, у которых равные результаты.'],
];

const MESSAGES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [
    /^This member has already voted in this category/,
    () => 'Голос в этой категории уже учтён. Повторно проголосовать или изменить голос нельзя.',
  ],
  [/^Приём заявок завершён: the deadline was (\S+)/, (m) => `Приём заявок завершён: срок истёк ${dateRu(m[1]!)}`],
  [/^Приём заявок завершён/, () => 'Приём заявок завершён.'],
  [
    /^Приём заявок ещё не начался: the window opens at (\S+)/,
    (m) => `Приём заявок ещё не начался: он откроется ${dateRu(m[1]!)}`,
  ],
  [
    /^Нет кворума: (\d+) of (\d+) members present/,
    (m) => `Нет кворума: присутствуют ${m[1]} из ${m[2]} членов комиссии, нужно больше половины.`,
  ],
  [
    /^Finish the compliance check first: (.+)$/,
    (m) => `Сначала завершите проверку заявок (допустите или верните на доработку): ${m[1]}.`,
  ],
  [/^Cannot vote: the contest is/, () => 'Голосование сейчас не идёт: заседание не открыто или уже закрыто.'],
  [/^Cannot break a tie: the contest is/, () => 'Равенство разрешается только во время заседания.'],
  [/^Cannot apply: the contest is/, () => 'Приём заявок по этому конкурсу закрыт.'],
  [
    /^Cannot ([^:]+): the contest is «([^»]+)»/,
    (m) => `Сейчас это действие недоступно: конкурс на этапе «${m[2]}». Обновите страницу.`,
  ],
  [
    /^Cannot ([^:]+): the application is «([^»]+)»/,
    (m) => `Сейчас это действие недоступно: заявка в состоянии «${m[2]}». Обновите страницу.`,
  ],
  [/^The member is not recorded as present/, () => 'Член комиссии не отмечен как присутствующий на заседании.'],
  [/^Категория (\S+): заявок не поступило/, (m) => `Категория ${m[1]}: заявок не поступило, голосовать не за что.`],
  [/^Category (\S+): no votes recorded yet$/, (m) => `Категория ${m[1]}: ещё нет ни одного голоса.`],
  [
    /^Category (\S+): a tie between applications .* must be broken first$/,
    (m) => `Категория ${m[1]}: сначала разрешите равенство результатов (например, решающим голосом председателя).`,
  ],
  [/^The tie in this category is already broken$/, () => 'Равенство в этой категории уже разрешено.'],
  [/^There is no tie among these applications$/, () => 'У этих заявок нет равенства результатов.'],
  [/^The municipality already has an application/, () => 'У муниципалитета уже есть заявка на этот конкурс.'],
  [
    /^This nomination already has a \S+ contest in (\d+)/,
    (m) => `Конкурс по этой номинации на этом этапе в ${m[1]} году уже есть.`,
  ],
  [/^The method cannot change once votes are recorded$/, () => 'Способ голосования нельзя менять после первых голосов.'],
  [/^The application changed meanwhile/, () => 'Заявку за это время изменили — обновите страницу.'],
  [/^Only members of this contest’s commission vote$/, () => 'Голосуют только члены конкурсной комиссии.'],
  [/^Only the chair/, () => 'Равенство разрешает председатель комиссии (или администратор региона по его решению).'],
  [/^Only an administrator of the (applying )?municipality/, () => 'Заявку пишет и подаёт администратор муниципалитета.'],
  [
    /^The federal-stage package is made once the protocol is approved/,
    () => 'Пакет на федеральный этап формируется после утверждения протокола.',
  ],
  [/^This application was not recommended to the federal stage/, () => 'Заявка не рекомендована на федеральный этап.'],
  [/^Only the region’s/, () => 'Это делает администратор региона.'],
];

export function contestReason(reason: string): string {
  for (const [pattern, text] of REASONS) {
    const m = reason.match(pattern);
    if (m) return text(m);
  }
  return translateReason(reason) ?? reasonRu(reason);
}

/** A message only (no field to point at): a known server message in Russian, or the general text. */
export function contestMessage(error: unknown): string {
  if (error instanceof ApiError) {
    for (const [pattern, text] of MESSAGES) {
      const m = error.message.match(pattern);
      if (m) return text(m);
    }
  }
  return errorMessage(error);
}

/** A failed request in Russian: the refused fields' reasons, a known message, or the general text. */
export function contestError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    const reasons = error.details.filter((d) => d.field !== 'body').map((d) => contestReason(d.reason));
    if (reasons.length) return [...new Set(reasons)].join(' ');
  }
  return contestMessage(error);
}

/** The server's refusal spread over a form's fields: `sections.practice` → `practice`, `members.2.userId` → `members`. */
export function contestFieldErrors(error: unknown, fieldOf: (path: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    const f = fieldOf(d.field);
    if (!out[f]) out[f] = contestReason(d.reason);
  }
  return out;
}

const dateFormat = new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long' });

/** «20 августа 2020 г.» of a local date YYYY-MM-DD. */
export function localDateRu(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** An instant in the contest's zone: «1 марта 2026 г. в 09:00». */
export function instantRu(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(new Date(iso));
}
