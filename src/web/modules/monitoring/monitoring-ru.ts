import { ApiError } from '../../app/api.ts';
import { errorMessage, reasonRu, translateReason } from '../../app/errors-ru.ts';

/**
 * The monitoring API's own reasons and messages (English on the server, as everywhere for now) in Russian. The
 * general ones (length, required, format) come from app/errors-ru.ts.
 */
const REASONS: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^no such municipality$/, () => 'Такого муниципалитета нет.'],
  [/^a VK service token is required$/, () => 'Укажите сервисный ключ доступа приложения ВКонтакте.'],
  [/^a bot token is required$/, () => 'Укажите токен бота Telegram.'],
  [/^only VK sources take a separate reply token$/, () => 'Отдельный ключ для ответов бывает только у источников ВКонтакте.'],
  [
    /^must be a VK owner id/,
    () => 'Укажите числовой id стены ВКонтакте: у сообщества он отрицательный (−1 для vk.com/club1), у человека — положительный.',
  ],
  [
    /^give at least one wall \(owners\) or one search \(queries\)$/,
    () => 'Укажите хотя бы одну стену или один поисковый запрос.',
  ],
  [/^must be a VK API version such as 5\.199$/, () => 'Версия API ВКонтакте — например, 5.199.'],
  [
    /^must be a chat id/,
    () => 'Укажите id чата (число, например −1001234567890) или имя канала через @, например @kemerovo_news.',
  ],
  [/^must be an http\(s\) URL$/, () => 'Нужен адрес, начинающийся с http:// или https://.'],
  [/^must not carry a user name or password$/, () => 'Адрес не должен содержать имя пользователя и пароль.'],
  [/^must be an integer from (-?\d+) to (-?\d+)$/, (m) => `Введите целое число от ${m[1]} до ${m[2]}.`],
  [/^must be a number from (\S+) to (\S+)$/, (m) => `Введите число от ${m[1]} до ${m[2]}.`],
  [/^at most (\d+) items$/, (m) => `Не больше ${m[1]} значений.`],
  [/^must be 1–500 characters$/, () => 'От 1 до 500 символов.'],
  [/^unknown setting/, () => 'Неизвестная настройка источника.'],
  [/^give the query a name$/, () => 'Дайте запросу название.'],
  [/^no such active category in the query’s municipality$/, () => 'Такой действующей категории в муниципалитете запроса нет.'],
  [/^no such active category/, () => 'Такой действующей категории в муниципалитете нет.'],
  [/^the post belongs to another municipality$/, () => 'Публикация относится к другому муниципалитету.'],
  [
    /^a post of the regional queue goes to the municipality you choose/,
    () => 'Выберите муниципалитет, в который направить инцидент.',
  ],
  [/^the category belongs to another municipality$/, () => 'Категория относится к другому муниципалитету.'],
  [/^the post has no text/, () => 'В публикации нет текста: напишите, о чём инцидент.'],
  [/^say why (the post is|these posts are) noise$/, () => 'Напишите, почему публикация отклонена.'],
  [/^write the reply$/, () => 'Напишите текст ответа.'],
  [/^a link starting with https:\/\//, () => 'Ссылка должна начинаться с https://.'],
  [/^not a cursor this stream gave$/, () => 'Лента обновилась — откройте её заново.'],
];

const MESSAGES: Array<[RegExp, string]> = [
  [/^The source is deactivated; activate it first$/, 'Источник отключён — сначала включите его.'],
  [/^A webhook source is pushed to, not polled$/, 'Вебхук не опрашивается: публикации присылает внешняя система.'],
  [/^The post has already been handled/, 'Эту публикацию уже обработал другой сотрудник. Обновите ленту.'],
  [/^Another moderator is accepting this post right now$/, 'Эту публикацию прямо сейчас принимает другой сотрудник.'],
  [/^The post was dismissed as noise/, 'Публикация отклонена как шум — на неё не отвечают.'],
  [/^The post has been answered already$/, 'На эту публикацию уже ответили.'],
  [/^A reply waits for publication by hand/, 'Ответ уже ждёт публикации вручную: опубликуйте его и отметьте.'],
  [/^The reply is being published right now$/, 'Ответ публикуется прямо сейчас — обновите ленту через минуту.'],
  [
    /^A post of the regional queue is answered by/,
    'На публикации региональной очереди отвечает администратор региона: сначала примите её в свой муниципалитет.',
  ],
  [
    /^A post of the regional queue is dismissed by/,
    'Публикации региональной очереди отклоняет администратор региона; вы можете принять её в свой муниципалитет.',
  ],
  [
    /^Only a moderator, head or administrator of this municipality/,
    'Это может сделать модератор, руководитель или администратор муниципалитета публикации.',
  ],
  [/^(The monitoring stream is for|Replies are written by)/, 'Мониторинг ведут модераторы, руководители и администраторы.'],
  [/^Monitoring sources are managed by/, 'Источники мониторинга настраивают администраторы муниципалитета и региона.'],
  [/^Regional sources are/, 'Региональные источники настраивает администратор региона.'],
  [/^Regional queries are/, 'Региональные запросы ведёт администратор региона.'],
  [/^Only an administrator of this municipality/, 'Источники муниципалитета добавляет его администратор.'],
  [/^You (keep|see|manage|moderate) the /, 'Это относится к другому муниципалитету.'],
  [/^Monitoring queries are kept by/, 'Запросы мониторинга ведут модераторы, руководители и администраторы.'],
];

export function monitoringReason(reason: string): string {
  for (const [pattern, text] of REASONS) {
    const m = reason.match(pattern);
    if (m) return text(m);
  }
  return translateReason(reason) ?? reasonRu(reason);
}

/** A failed monitoring request in Russian: a refused field's reason, a known message, or the general text. */
export function monitoringError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'VALIDATION_FAILED') {
      const reasons = error.details.filter((d) => d.field !== 'body').map((d) => monitoringReason(d.reason));
      if (reasons.length) return [...new Set(reasons)].join(' ');
    }
    for (const [pattern, text] of MESSAGES) if (pattern.test(error.message)) return text;
    if (error.status === 404 && /^No route /.test(error.message)) return 'Эта часть мониторинга ещё не подключена на сервере.';
  }
  return errorMessage(error);
}
