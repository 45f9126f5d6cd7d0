/**
 * Deadlines that apply only if something turns out to be so (59-ФЗ ст. 8 ч. 3, ст. 11 ч. 2, 4, 4.1): every appeal
 * carries them from registration, but they bind only when the case takes that path. Cards list them apart from the
 * deadlines in force, with the condition, so no one reads «вернуть обращение» as a step every appeal needs.
 */
export const CONDITIONAL_DEADLINES: Readonly<Record<string, string>> = {
  redirect: 'если вопрос не в компетенции и обращение нужно направить в другой орган',
  court_return: 'если в обращении обжалуется судебное решение',
  notice_unreadable: 'если текст обращения не поддаётся прочтению',
  notice_unclear: 'если суть обращения определить невозможно',
};

/** The longer answer period binds only once the head extends it (59-ФЗ ст. 12 ч. 2). */
const EXTENDED = 'если руководитель продлит срок ответа';

/** Is the deadline one that binds only if the case takes its path? (Not yet extended: the extended answer too.) */
export const isConditionalDeadline = (kind: string, extensionCount = 0): boolean =>
  kind in CONDITIONAL_DEADLINES || (kind === 'extended_answer' && extensionCount === 0);

/** The condition under which it binds, in Russian. */
export const deadlineCondition = (kind: string): string =>
  CONDITIONAL_DEADLINES[kind] ?? (kind === 'extended_answer' ? EXTENDED : '');
