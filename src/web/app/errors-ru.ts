import type { ErrorCode } from '../../shared/errors.ts';
import { ApiError } from './api.ts';

/** What a person reads for each error code; the server's own message is shown when it is already in Russian. */
const CODE_MESSAGES: Record<ErrorCode | 'NETWORK', string> = {
  VALIDATION_FAILED: 'Проверьте, пожалуйста, поля формы: некоторые заполнены неверно.',
  MALFORMED_JSON: 'Запрос не удалось прочитать. Обновите страницу и попробуйте ещё раз.',
  EMPTY_BODY: 'Запрос пришёл пустым. Обновите страницу и попробуйте ещё раз.',
  UNAUTHENTICATED: 'Войдите, чтобы продолжить.',
  INVALID_CREDENTIALS: 'Неверный адрес электронной почты или пароль.',
  FORBIDDEN: 'Недостаточно прав для этого действия.',
  CSRF_TOKEN_INVALID: 'Сеанс устарел. Обновите страницу и повторите действие.',
  NOT_FOUND: 'Запись не найдена: возможно, её удалили или ссылка неверна.',
  METHOD_NOT_ALLOWED: 'Это действие не поддерживается.',
  CONFLICT: 'Такая запись уже существует.',
  EMAIL_TAKEN: 'Учётная запись с этим адресом уже есть. Войдите или восстановите пароль.',
  TOKEN_INVALID: 'Ссылка устарела или уже была использована. Запросите новую.',
  PAYLOAD_TOO_LARGE: 'Слишком большой объём данных.',
  UNSUPPORTED_MEDIA_TYPE: 'Неподдерживаемый формат данных.',
  CALENDAR_RANGE: 'Для этой даты нет производственного календаря (есть данные за 2020–2027 годы).',
  QUERY_SYNTAX: 'В запросе ошибка: исправьте его в отмеченном месте.',
  RATE_LIMITED: 'Слишком много запросов. Подождите немного и повторите.',
  ACCOUNT_LOCKED: 'Слишком много неудачных попыток входа. Вход временно приостановлен — повторите позже или восстановите пароль.',
  INTERNAL: 'На сервере произошла ошибка. Повторите попытку позже.',
  NOT_READY: 'Сервис временно недоступен. Повторите попытку через минуту.',
  NETWORK: 'Нет связи с сервером. Проверьте подключение к интернету и повторите.',
};

/**
 * Russian text, not an English sentence that quotes a Russian source («… looser than the law (59-ФЗ ст. 12 ч. 1 …)»):
 * more Cyrillic letters than Latin ones.
 */
const hasCyrillic = (s: string) => (s.match(/[А-Яа-яЁё]/g)?.length ?? 0) > (s.match(/[A-Za-z]/g)?.length ?? 0);

const UNITS_RU: Record<string, readonly [string, string, string]> = {
  'calendar days': ['календарный день', 'календарных дня', 'календарных дней'],
  'working days': ['рабочий день', 'рабочих дня', 'рабочих дней'],
  hours: ['час', 'часа', 'часов'],
};

function periodRu(n: string, unit: string): string {
  const forms = UNITS_RU[unit];
  if (!forms) return `${n} ${unit}`;
  const v = Number(n);
  const mod10 = v % 10;
  const mod100 = v % 100;
  const form =
    mod10 === 1 && mod100 !== 11 ? forms[0] : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? forms[1] : forms[2];
  return `${n} ${form}`;
}

/** «2027-11-06» → «06.11.2027». */
const dateRu = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3.$2.$1');

/**
 * Server messages (English for now) that say more than their code does, in Russian. A code may be shared by
 * different situations — RATE_LIMITED is both «too many requests» and «the letter went out a minute ago».
 */
const MESSAGE_TEXTS: Array<[ErrorCode, RegExp, string]> = [
  [
    'RATE_LIMITED',
    /^A letter was sent less than a minute ago/,
    'Письмо уже отправлено меньше минуты назад. Проверьте почту, в том числе папку «Спам»; если письма нет, повторите через минуту.',
  ],
  [
    'CONFLICT',
    /only a dead \(dead-letter\) job can be retried/,
    'Эта задача уже в очереди или выполняется: повторить можно только задачу, не выполненную за все попытки. Обновите список.',
  ],
  // Cases (staff pages): a step from a status the case has already left, or a rule of the case that forbids it.
  [
    'CONFLICT',
    /^Cannot .+: the case is /,
    'Это действие сейчас недоступно: состояние обращения изменилось. Обновите страницу и посмотрите историю.',
  ],
  [
    'CONFLICT',
    /has already been extended/,
    'Срок ответа уже продлевался: 59-ФЗ (ст. 12 ч. 2) позволяет продлить его только один раз.',
  ],
  ['CONFLICT', /^Only an appeal under 59-ФЗ/, 'Это действие применяется только к обращениям по 59-ФЗ.'],
];

/** A message for a failed request (or any thrown value) that can be shown as it is. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (hasCyrillic(error.message)) return error.message;
    for (const [code, pattern, text] of MESSAGE_TEXTS) if (error.code === code && pattern.test(error.message)) return text;
    const base = CODE_MESSAGES[error.code] ?? CODE_MESSAGES.INTERNAL;
    if (error.code === 'INTERNAL' && error.requestId) return `${base} Код запроса: ${error.requestId}.`;
    return base;
  }
  return CODE_MESSAGES.INTERNAL;
}

/**
 * A message for an action that is not a form (a button): a refused value has no field to point at, so its
 * reason is the message — «the consent text has changed» rather than «check the form's fields».
 */
export function actionErrorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') {
    const reasons = error.details.filter((d) => d.field !== 'body').map((d) => reasonRu(d.reason));
    if (reasons.length) return [...new Set(reasons)].join(' ');
  }
  return errorMessage(error);
}

const REASON_TEXTS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^is required$/, () => 'Заполните это поле.'],
  [/^is required for the role/, () => 'Для этой роли нужно указать муниципалитет.'],
  [/^must be an e-mail address$/, () => 'Введите адрес электронной почты, например ivanova@mail.ru.'],
  [/^must be at least (\d+) characters$/, (m) => `Должно быть не короче ${m[1]} символов.`],
  [/^must be at most (\d+) characters$/, (m) => `Должно быть не длиннее ${m[1]} символов.`],
  [/^must be ≥ (\d+)$/, (m) => `Значение должно быть не меньше ${m[1]}.`],
  [/^must be ≤ (\d+)$/, (m) => `Значение должно быть не больше ${m[1]}.`],
  [/^must be an integer$/, () => 'Введите целое число.'],
  [/^has an invalid format$/, () => 'Неверный формат.'],
  [/^is too common; choose another$/, () => 'Этот пароль слишком распространён — придумайте другой.'],
  [/^must not contain your name or e-mail$/, () => 'Пароль не должен содержать ваше имя, фамилию или адрес почты.'],
  [/^already registered$/, () => 'Этот адрес уже зарегистрирован.'],
  [/^already exists$/, () => 'Такое значение уже используется.'],
  [/^expired or already used$/, () => 'Ссылка устарела или уже была использована.'],
  [/^you cannot block your own account$/, () => 'Нельзя заблокировать собственную учётную запись.'],
  [/^the same role is listed twice$/, () => 'Эта роль указана дважды.'],
  [/^is not a department of this municipality$/, () => 'Подразделение не относится к этому муниципалитету.'],
  [/^give at least one role$/, () => 'Выберите хотя бы одну роль.'],
  [/^must have at least 1 items$/, () => 'Выберите хотя бы один вариант.'],
  [/is a regional role/, () => 'Региональная роль не привязывается к муниципалитету и подразделению.'],
  [/is not an IANA time zone/, () => 'Укажите часовой пояс в формате IANA, например Asia/Novokuznetsk.'],
  [/^must be one of/, () => 'Выберите значение из списка.'],
  // Deadline settings (core/time rules).
  [
    /^(\d+) is looser than the law \((.+): (\d+) (calendar days|working days|hours)\)/,
    (m) =>
      `${m[1]} — дольше срока по закону (${m[2]}: ${periodRu(m[3]!, m[4]!)}). Внутренний контрольный срок не может быть дольше установленного законом.`,
  ],
  [
    /^(\d+) is looser than the (\d+) (calendar days|working days|hours) set for a category/,
    (m) =>
      `${m[1]} — дольше срока, установленного для категории (${periodRu(m[2]!, m[3]!)}). Внутренний контрольный срок может быть только строже.`,
  ],
  [/^must be a whole number from (\d+) to (\d+)$/, (m) => `Введите целое число от ${m[1]} до ${m[2]}.`],
  [/^there is no \S+ deadline for/, () => 'Для этого вида дел такого срока нет.'],
  [
    /^the periods of appeals are fixed by 59-ФЗ/,
    () => 'Сроки обращений установлены 59-ФЗ: можно задать только более строгие внутренние контрольные сроки.',
  ],
  [/^the registration cannot be before the receipt$/, () => 'Обращение не может быть зарегистрировано раньше, чем поступило.'],
  // Production calendar documents (core/time calendar-data).
  [
    /^(\S+) is a Saturday or Sunday, already a day off$/,
    (m) => `${dateRu(m[1]!)} — суббота или воскресенье, этот день и так выходной.`,
  ],
  [
    /^(\S+) is a weekday; only a Saturday or Sunday day off can be moved$/,
    (m) => `${dateRu(m[1]!)} — будний день: перенести можно только выходной субботы или воскресенья.`,
  ],
  [/^(\S+) is a holiday, already a day off$/, (m) => `${dateRu(m[1]!)} — праздничный день, он и так выходной.`],
  [/^(\S+) already receives another day off$/, (m) => `На ${dateRu(m[1]!)} уже перенесён другой выходной.`],
  [/^(\S+) is listed twice$/, (m) => `${dateRu(m[1]!)} указан дважды.`],
  [/^(\S+) is moved twice$/, (m) => `Выходной ${dateRu(m[1]!)} перенесён дважды.`],
  [/^not a calendar date in the form YYYY-MM-DD/, () => 'Дата должна быть настоящей и в виде ГГГГ-ММ-ДД.'],
  [/^(\S+) is outside the year (\d+)$/, (m) => `${dateRu(m[1]!)} — не в ${m[2]} году.`],
  [
    /^(\S+) is a day off; a shortened day must be a working day$/,
    (m) => `${dateRu(m[1]!)} — выходной: сокращённым может быть только рабочий день.`,
  ],
  [
    /^the data gives (\d+) working (days|hours), the published figure is (\d+)/,
    (m) =>
      `По датам документа получается ${m[1]} ${m[2] === 'days' ? 'рабочих дней' : 'рабочих часов'}, а в итогах указано ${m[3]}.`,
  ],
  // Case intake and workflow (59-ФЗ ст. 7, 11, 12).
  [/^a written appeal states the surname/, () => 'Укажите фамилию: письменное обращение её содержит (59-ФЗ, ст. 7 ч. 1).'],
  [
    /^the answer goes by e-mail: give the address/,
    () => 'Ответ направляется по электронной почте — укажите адрес (59-ФЗ, ст. 7 ч. 1).',
  ],
  [
    /^the answer goes by post: give the postal address/,
    () => 'Ответ направляется почтой — укажите почтовый адрес (59-ФЗ, ст. 7 ч. 1).',
  ],
  [/^an appeal under 59-ФЗ is not anonymous/, () => 'Обращение по 59-ФЗ не может быть анонимным (ст. 11 ч. 1).'],
  [/^only a signed-in applicant has a cabinet$/, () => 'Личный кабинет есть только у заявителя, вошедшего на сайт.'],
  [/^cannot be in the future$/, () => 'Не может быть позже текущего момента.'],
  [/^no such active category in this municipality$/, () => 'Такой действующей категории в муниципалитете нет.'],
  [/^write what the appeal is about$/, () => 'Напишите, о чём обращение.'],
  [/^write the answer$/, () => 'Напишите текст ответа.'],
  [/^say what to change in the draft$/, () => 'Напишите, что исправить в проекте.'],
  [/^say why the answer needs more time$/, () => 'Укажите причину продления.'],
  [/^from 1 to 30 days/, () => 'От 1 до 30 дней (59-ФЗ, ст. 12 ч. 2).'],
  [/^name the body the case goes to$/, () => 'Укажите орган, в который направляется обращение.'],
  [/^say why it is that body’s matter$/, () => 'Укажите, почему вопрос относится к компетенции этого органа.'],
  [/^no such department in the case’s municipality$/, () => 'Подразделение не относится к муниципалитету обращения.'],
  [
    /^this person has no executor’s or head’s role in that department$/,
    () => 'У сотрудника нет роли исполнителя или руководителя в этом подразделении.',
  ],
  // Resident's case form (cases-resident): attachments, co-signers, rating, reopening.
  [/^attachment \d+ is listed twice$/, () => 'Один и тот же файл указан дважды.'],
  [/^attachment \d+ is not one of your uploads$/, () => 'Файл не найден среди ваших загрузок — загрузите его ещё раз.'],
  [/^attachment \d+ is already attached to a case$/, () => 'Этот файл уже приложен к другому обращению.'],
  [/^attachment \d+ was uploaded more than 24 hours ago/, () => 'Файл загружен больше суток назад — загрузите его ещё раз.'],
  [/^a case holds at most (\d+) files$/, (m) => `К обращению можно приложить не больше ${m[1]} файлов.`],
  [/^the files of a case may take at most (\d+) MB in all$/, (m) => `Все файлы обращения вместе — не больше ${m[1]} МБ.`],
  [/^each co-signer gives the surname$/, () => 'Укажите фамилию соавтора.'],
  [/^each co-signer gives the first name$/, () => 'Укажите имя соавтора.'],
  [/^from 1 to 5$/, () => 'Оценка — от 1 до 5.'],
  [/^say what the answer did not resolve$/, () => 'Напишите, что в ответе осталось нерешённым.'],
  [/^unknown field \(allowed: (.+)\)$/, (m) => `Неизвестное поле (допустимы: ${m[1]}).`],
  [/^must be an object$/, () => 'Должен быть объект { … }.'],
  [/^must be an array$/, () => 'Должен быть список [ … ].'],
  [/^must be a non-empty string$/, () => 'Должна быть непустая строка.'],
  [/^must be true or false$/, () => 'Должно быть true или false.'],
  [
    /^is not the current version/,
    () =>
      'Текст согласия за это время обновился. Прочитайте новую редакцию (она уже на странице) и, если согласны, отметьте согласие ещё раз.',
  ],
];

/** The server's reason in Russian when it is known or already Russian; null for an English reason not known here. */
export function translateReason(reason: string): string | null {
  for (const [pattern, text] of REASON_TEXTS) {
    const m = reason.match(pattern);
    if (m) return text(m);
  }
  return hasCyrillic(reason) ? reason : null;
}

/** The server's reason for one field, in Russian (the server speaks English in `details` for now). */
export function reasonRu(reason: string): string {
  return translateReason(reason) ?? `Неверное значение (${reason}).`;
}

/**
 * Spreads the server's `details` over a form's fields. `fieldOf` maps a server path (`roles.0.departmentId`)
 * to the form field that shows it; details with no matching field come back in `rest`.
 */
export function fieldErrors(
  error: unknown,
  known: readonly string[],
  fieldOf: (path: string) => string = (path) => path.split('.')[0] ?? path,
): { fields: Record<string, string>; rest: string[] } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) return { fields, rest };
  for (const d of error.details) {
    const field = fieldOf(d.field);
    const text = reasonRu(d.reason);
    if (known.includes(field)) {
      if (!fields[field]) fields[field] = text;
    } else if (d.field !== 'body') {
      rest.push(text);
    }
  }
  return { fields, rest };
}
