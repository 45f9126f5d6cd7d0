/** Public names of a report's state and of the timeline's steps (the public page shows only these). */
export const STATE_NAMES = { open: 'В работе', solved: 'Решено' } as const;

export const PUBLIC_EVENT_NAMES: Record<string, string> = {
  received: 'Сообщение поступило',
  registered: 'Зарегистрировано',
  assigned: 'Передано исполнителю',
  in_work: 'Взято в работу',
  answered: 'Дан ответ',
  reopened: 'Возобновлено по просьбе жителя',
  rated: 'Житель оценил ответ',
};

const dateFormat = new Intl.DateTimeFormat('ru-RU', { day: 'numeric', month: 'long', year: 'numeric' });
export const dateRu = (iso: string) => dateFormat.format(new Date(iso));

/** «120 м», «1,2 км». */
export function metres(m: number): string {
  return m < 1000 ? `${Math.round(m)} м` : `${(m / 1000).toLocaleString('ru-RU', { maximumFractionDigits: 1 })} км`;
}
